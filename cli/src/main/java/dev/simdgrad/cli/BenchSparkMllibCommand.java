package dev.simdgrad.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code simdgrad bench spark-mllib}: MLlib's multilayer perceptron against simdgrad's Spark estimator in one local
 * session on one DataFrame (time per epoch, test accuracy after the same epochs), and simdgrad's round overhead at
 * several W. Parses and checks the options, then hands over to {@link SparkMllibReport}, which is loaded only when
 * Spark is on the class path (the launcher adds it; a plain {@code java -jar} gets a one-line error, exit 2).
 */
@Command(name = "spark-mllib", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"MLlib MultilayerPerceptronClassifier vs simdgrad on Spark (local mode, same session, same"
            + " DataFrame, same widths): seconds per epoch (mean +- sd over repeated fits) and test accuracy after the"
            + " same number of epochs; then simdgrad's round overhead (a job per round, or a barrier job's"
            + " exchange, against compute) at W = 2 and 8 and K = 1 and 8. Run it through the ./simdgrad launcher,"
            + " which adds Spark. About 3 minutes on 2 cores."})
final class BenchSparkMllibCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Option(names = "--epochs", defaultValue = "10", paramLabel = "E", description = "Epochs of every timed fit"
            + " (default: ${DEFAULT-VALUE}).")
    private int epochs;

    @Option(names = "--repeats", defaultValue = "3", paramLabel = "R", description = "Timed fits per method, after"
            + " one warm-up fit (default: ${DEFAULT-VALUE}).")
    private int repeats;

    @Option(names = "--hidden", defaultValue = "64", paramLabel = "H", description = "Hidden width, 784-H-10"
            + " (default: ${DEFAULT-VALUE}).")
    private int hidden;

    @Option(names = "--train-size", defaultValue = "5000", paramLabel = "N", description = "Training examples of the"
            + " embedded Fashion-MNIST subset (default: ${DEFAULT-VALUE}).")
    private int trainSize;

    @Option(names = "--workers", split = ",", defaultValue = "2,8", paramLabel = "W", description = "W of the"
            + " round-overhead measurement (default: ${DEFAULT-VALUE}).")
    private List<Integer> workers;

    @Option(names = "--local-steps", split = ",", defaultValue = "1,8", paramLabel = "K", description = "K (local"
            + " steps per round) of the round-overhead measurement (default: ${DEFAULT-VALUE}).")
    private List<Integer> localSteps;

    @Option(names = "--out", paramLabel = "DIR", description = "Output directory (default:"
            + " simdgrad-results/bench-spark-mllib).")
    private Path out;

    @Override
    public Integer call() throws Exception {
        for (var o : new Object[][] {{"--epochs", epochs}, {"--repeats", repeats}, {"--hidden", hidden},
            {"--train-size", trainSize}}) {
            if ((int) o[1] < 1) {
                throw new ParameterException(spec.commandLine(), o[0] + ": must be >= 1, got " + o[1]);
            }
        }
        if (trainSize > 5000) {
            throw new ParameterException(spec.commandLine(), "--train-size: the embedded subset has 5000 training"
                    + " examples, got " + trainSize);
        }
        if (workers.isEmpty() || workers.stream().anyMatch(w -> w < 1 || w > 64)) {
            throw new ParameterException(spec.commandLine(), "--workers: each must be in 1..64, got " + workers);
        }
        if (localSteps.isEmpty() || localSteps.stream().anyMatch(k -> k < 1 || k > 1000)) {
            throw new ParameterException(spec.commandLine(), "--local-steps: each must be in 1..1000, got "
                    + localSteps);
        }
        String problem = SparkClasspath.problem("bench spark-mllib");
        if (problem != null) {
            spec.commandLine().getErr().println(problem);
            spec.commandLine().getErr().flush();
            return 2;
        }
        Path dir = out != null ? out : Path.of("simdgrad-results", "bench-spark-mllib");
        OutputLocations.directory(spec, out != null ? "--out" : "the output directory (--out sets it)", dir);
        PrintWriter o = spec.commandLine().getOut();
        long start = System.nanoTime();
        List<Path> files = SparkMllibReport.run(new SparkMllibReport.Settings(trainSize, hidden, epochs, repeats,
                workers, localSteps), o, dir);
        o.println();
        o.println("Wrote " + files.size() + " files into " + dir.toAbsolutePath() + ":");
        for (Path f : files) {
            o.println("  " + dir.relativize(f));
        }
        o.printf(Locale.ROOT, "bench spark-mllib took %.1f s.%n", (System.nanoTime() - start) / 1e9);
        o.flush();
        return 0;
    }
}
