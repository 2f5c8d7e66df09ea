package dev.simdgrad.cli;

import dev.simdgrad.experiments.coherent.CoherentGradients;
import dev.simdgrad.experiments.minnorm.MinNorm;
import dev.simdgrad.experiments.gradreg.GradientRegularization;
import dev.simdgrad.experiments.DataSource;
import dev.simdgrad.kernels.Parallelism;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code simdgrad reproduce <experiment>}: runs one of the three papers' experiments, prints a table with the
 * paper's claim beside our measurement, and writes CSV, JSON and PNG charts into the output directory it names.
 * Each experiment is a class computing a result record; its report class renders it.
 */
@Command(name = "reproduce", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Reproduce a paper's experiment: coherent-gradients (Chatterjee 2020), min-norm (Satpathi &"
            + " Srikant 2021), gradient-regularization (Karakida et al. 2023), byzantine (Yin et al. 2018; on Spark"
            + " in local mode: run it through the ./simdgrad launcher, which adds Spark).",
            "Default sizes finish in a few minutes on 2 cores on the embedded data; --full runs the paper's scale."})
final class ReproduceCommand implements Callable<Integer> {
    /** The experiments' command-line names. */
    static final List<String> EXPERIMENTS = List.of("coherent-gradients", "min-norm", "gradient-regularization",
            "byzantine");

    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "EXPERIMENT", description = "coherent-gradients, min-norm,"
            + " gradient-regularization or byzantine.")
    private String experiment;

    @Option(names = "--full", description = "The paper's scale (tens of minutes to hours; more data with --data).")
    private boolean full;

    @Option(names = "--out", paramLabel = "DIR", description = "Output directory (default:"
            + " simdgrad-results/EXPERIMENT).")
    private Path out;

    @Option(names = "--data", paramLabel = "DIR", description = "Fashion-MNIST IDX directory (default: the embedded"
            + " subset).")
    private Path data;

    @Option(names = "--seed", defaultValue = "1", paramLabel = "S", description = "Seed (default: ${DEFAULT-VALUE}).")
    private long seed;

    @Option(names = "--seeds", paramLabel = "K", description = "Train each setting from K seeds (S, S+1, ...) and"
            + " judge the claims on their spread (default: coherent-gradients 5; gradient-regularization 5; min-norm"
            + " 3, 5 with --full).")
    private Integer seeds;

    @Option(names = "--tolerance", paramLabel = "L", description = "min-norm: a run has converged when its training"
            + " loss (mean r^2/2) is below L (default: 1e-4); --epochs caps its steps.")
    private Double tolerance;

    @Option(names = "--threads", paramLabel = "N", description = "Kernel threads (default: available processors).")
    private Integer threads;

    @Option(names = "--train-size", paramLabel = "N", description = "Override: training examples.")
    private Integer trainSize;

    @Option(names = "--epochs", paramLabel = "N", description = "Override: epochs (min-norm: the cap on"
            + " gradient-descent steps; a run that reaches it is reported as not converged).")
    private Integer epochs;

    @Option(names = "--widths", split = ",", paramLabel = "M", description = "Override: hidden widths (min-norm:"
            + " the widths compared, the first for the label-noise runs; coherent-gradients: the hidden layers, e.g."
            + " 256,256; gradient-regularization: the hidden layers).")
    private List<Integer> widths;

    @Option(names = "--noises", split = ",", paramLabel = "P", description = "Override: label-noise fractions.")
    private List<Double> noises;

    @Option(names = "--attacks", split = ",", paramLabel = "A", description = "byzantine: override the attacks"
            + " (signFlip, scaled:s, gaussian:sigma, alie[:z], ipm[:eps]).")
    private List<String> attacks;

    @Option(names = "--aggregators", split = ",", paramLabel = "G", description = "byzantine: override the"
            + " aggregators (mean, median, trimmedMean:c, krum:f, geometricMedian, centeredClipping:tau, ...; mean,"
            + " the reference, is always run).")
    private List<String> aggregators;

    @Override
    public Integer call() throws IOException {
        String name = experiment.toLowerCase(Locale.ROOT);
        if (!EXPERIMENTS.contains(name)) {
            throw new ParameterException(spec.commandLine(), "unknown experiment '" + experiment + "' (one of "
                    + String.join(", ", EXPERIMENTS) + ")");
        }
        checkOverrides();
        if (tolerance != null && !name.equals("min-norm")) {
            throw new ParameterException(spec.commandLine(), "--tolerance: only min-norm runs to a loss tolerance");
        }
        if ((attacks != null || aggregators != null) && !name.equals("byzantine")) {
            throw new ParameterException(spec.commandLine(), (attacks != null ? "--attacks" : "--aggregators")
                    + ": only byzantine has attacks and aggregators");
        }
        if (name.equals("byzantine")) {
            if (noises != null) {
                throw new ParameterException(spec.commandLine(), "--noises: byzantine has no label noise");
            }
            String problem = SparkClasspath.problem("reproduce byzantine");
            if (problem != null) {   // one line, exit 2: a usage problem, before any work
                spec.commandLine().getErr().println(problem);
                spec.commandLine().getErr().flush();
                return 2;
            }
        }
        if (threads != null) {
            Parallelism.setThreads(threads);
        }
        Path dir = out != null ? out : Path.of("simdgrad-results", name);
        OutputLocations.directory(spec, out != null ? "--out" : "the output directory (--out sets it)", dir);
        PrintWriter o = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        long start = System.nanoTime();
        try {
            List<Path> files = switch (name) {
                case "coherent-gradients" -> coherentGradients(o, dir);
                case "min-norm" -> minNorm(o, dir);
                case "gradient-regularization" -> gradientRegularization(o, dir);
                case "byzantine" -> ByzantineReport.run(new ByzantineReport.Overrides(data, full, seed, seeds,
                        trainSize, epochs, widths, attacks, aggregators), spec, o, dir);
                default -> throw new IllegalStateException(name);
            };
            o.println();
            o.println("Wrote " + files.size() + " files into " + dir.toAbsolutePath() + ":");
            for (Path f : files) {
                o.println("  " + dir.relativize(f));
            }
            o.printf(Locale.ROOT, "%s took %.1f s.%n", name, (System.nanoTime() - start) / 1e9);
            o.flush();
            return 0;
        } catch (DataSource.MissingDataException e) {
            throw new ParameterException(spec.commandLine(), "--data: " + e.getMessage());
        } catch (ParameterException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            o.flush();
            err.println("simdgrad reproduce " + name + ": could not run: " + e);
            err.flush();
            return 1;
        }
    }

    private void checkOverrides() {
        if (trainSize != null && trainSize < 1) {
            throw new ParameterException(spec.commandLine(), "--train-size: must be >= 1");
        }

        if (seeds != null && seeds < 1) {
            throw new ParameterException(spec.commandLine(), "--seeds: must be >= 1");
        }
        if (epochs != null && epochs < 1) {
            throw new ParameterException(spec.commandLine(), "--epochs: must be >= 1");
        }
        if (widths != null && (widths.isEmpty() || widths.stream().anyMatch(w -> w < 2 || w % 2 != 0))) {
            throw new ParameterException(spec.commandLine(), "--widths: need even widths >= 2");
        }
        if (noises != null && noises.stream().anyMatch(p -> !(p >= 0 && p <= 1))) {
            throw new ParameterException(spec.commandLine(), "--noises: fractions must be in [0, 1]");
        }
        if (tolerance != null && !(tolerance > 0 && tolerance < 1)) {
            throw new ParameterException(spec.commandLine(), "--tolerance: must be in (0, 1)");
        }
        if (threads != null && (threads < 1 || threads > 1024)) {
            throw new ParameterException(spec.commandLine(), "--threads: must be in 1..1024");
        }
    }

    private List<Path> coherentGradients(PrintWriter o, Path dir) throws IOException {
        int k = seeds != null ? seeds : 5;
        List<Long> seedList = java.util.stream.LongStream.range(seed, seed + k).boxed().toList();
        var d = full ? CoherentGradients.Config.full(data, seedList) : CoherentGradients.Config.small(data, seedList);
        var c = new CoherentGradients.Config(d.data(), d.dataset(), trainSize != null ? trainSize : d.trainSize(),
                d.testSize(), widths != null ? widths : d.hidden(), epochs != null ? epochs : d.epochs(), d.batch(),
                d.lr(), noises != null ? noises : d.noises(), d.cs(), d.extras(), d.seeds(), d.coherenceSteps());
        if (c.trainSize() < c.batch()) {   // it trains on whole batches only
            throw new ParameterException(spec.commandLine(), "--train-size: coherent-gradients needs at least one"
                    + " whole batch of " + c.batch() + " examples, got " + c.trainSize());
        }
        o.printf(Locale.ROOT, "reproduce coherent-gradients: %s, %s, %d threads%n", full ? "the paper's grid"
                : "default size", c.seedRange(), Parallelism.threads());
        o.flush();
        CoherentGradients.Result r;
        int n = Math.min(c.trainSize(), data != null ? 60000 : 5000);
        try (Progress p = Progress.start("coherent-gradients", CoherentGradients.steps(c, n))) {
            r = CoherentGradients.EXPERIMENT.run(c, p, run -> {
                o.print(p.lineStart());
                if (run.hasDiverged()) {
                    o.printf(Locale.ROOT, "p=%.2f seed %d %-12s diverged at %s%n", run.noise(), run.seed(),
                            run.strategy(), run.diverged());
                    o.flush();
                    return;
                }
                var e = run.last();
                o.printf(Locale.ROOT, "p=%.2f seed %d %-12s train %.3f  pristine %.3f  corrupt %s  test %.3f  (%.1f"
                        + " s)%n", run.noise(), run.seed(), run.strategy(), e.trainAccuracy(), e.cleanAccuracy(),
                        CoherentGradientsReport.f3(e.corruptedAccuracy()), e.testAccuracy(), e.seconds());
                o.flush();
            });
        }
        o.println();
        o.print(CoherentGradientsReport.table(r));
        o.flush();
        return CoherentGradientsReport.write(r, dir);
    }

    private List<Path> minNorm(PrintWriter o, Path dir) throws IOException {
        var d = full ? MinNorm.Config.full(data, seed) : MinNorm.Config.small(data, seed);
        var c = new MinNorm.Config(d.data(), d.embedded(), trainSize != null ? trainSize : d.trainSize(), d.positive(),
                d.negative(), widths != null ? widths : d.widths(),
                widths != null ? widths.getFirst() : d.noiseWidth(), noises != null ? noises : d.noises(),
                tolerance != null ? tolerance : d.tolerance(), epochs != null ? epochs : d.maxSteps(),
                seeds != null ? seeds : d.seeds(), d.seed());
        o.printf(Locale.ROOT, "reproduce min-norm: %s, %d threads%n", full ? "full scale" : "default size",
                Parallelism.threads());
        o.flush();
        MinNorm.Result r;
        try (Progress p = Progress.start("min-norm", MinNorm.work(c))) {
            r = MinNorm.run(c, p, row -> {
                o.print(p.lineStart());
                if (row instanceof MinNorm.Run w) {
                    o.printf(Locale.ROOT, "m=%-6d p=%.2f seed %d: %s after %d steps (loss %.1e)  ||W_T-W*||/||W*-W0||"
                            + " %.4f (linearized %.4f)  ||W_T-W0|| %.3f  test error %.3f  (%.1f s)%n", w.width(),
                            w.noise(), w.seed(), w.converged() ? "converged" : "NOT converged", w.steps(),
                            w.trainLoss(), w.relativeDistance(), w.linearRelativeDistance(), w.distance(),
                            w.testError(), w.seconds());
                } else if (row instanceof MinNorm.Diverged dv) {
                    o.println("diverged: " + dv.what());
                }
                o.flush();
            });
        }
        o.println();
        o.print(MinNormReport.table(r));
        o.flush();
        return MinNormReport.write(r, dir);
    }

    private List<Path> gradientRegularization(PrintWriter o, Path dir) throws IOException {
        var d = full ? GradientRegularization.Config.full(data, seed)
                : GradientRegularization.Config.small(data, seed);
        // --widths gives the hidden widths of the MLP (784-w1-...-10).
        var c = new GradientRegularization.Config(d.data(), trainSize != null ? trainSize : d.trainSize(),
                d.testSize(), widths != null ? widths : d.hidden(), epochs != null ? epochs : d.epochs(), d.batch(),
                d.lr(), d.momentum(), d.weightDecay(), d.gammas(), d.epsilons(), d.timingRounds(), d.timingSteps(),
                d.costDepth(), d.dln(), d.seed(), seeds != null ? seeds : d.seeds());
        if (c.trainSize() < c.batch()) {   // it trains on whole batches only
            throw new ParameterException(spec.commandLine(), "--train-size: gradient-regularization needs at least one"
                    + " whole batch of " + c.batch() + " examples, got " + c.trainSize());
        }
        o.printf(Locale.ROOT, "reproduce gradient-regularization: %s, seeds %d..%d, %d threads%n",
                full ? "the paper's grid (as we read it)" : "default size", c.seed(), c.seed() + c.seeds() - 1,
                Parallelism.threads());
        o.flush();
        GradientRegularization.Result r;
        int n = Math.min(c.trainSize(), data != null ? 60000 : 5000);
        try (Progress p = Progress.start("gradient-regularization", GradientRegularization.work(c, n))) {
            r = GradientRegularization.run(c, p, row -> {
                o.print(p.lineStart());
                switch (row) {
                    case GradientRegularization.Cost x -> o.printf(Locale.ROOT, "cost L=%d %-20s %3d products  %.2f"
                            + " +- %.2f ms/step%n", x.layers(), x.method().label(), x.products(), x.ms().mean(),
                            x.ms().sd());
                    case GradientRegularization.Accuracy a -> o.printf(Locale.ROOT, "%-9s gamma %-6s epsilon %-5s"
                            + " test acc %.4f +- %.4f  (%.1f s)%n", a.arm().label(),
                            Double.isNaN(a.gamma()) ? "-" : (float) a.gamma(),
                            Double.isNaN(a.epsilon()) ? "-" : (float) a.epsilon(), a.test().mean(), a.test().sd(),
                            a.seconds());
                    case GradientRegularization.Sparsity s -> o.printf(Locale.ROOT, "diagonal net alpha %-4s %-5s"
                            + " gamma %-5s epsilon %-5s ||b - b*|| %.3f%n", s.scale(), s.method().label(),
                            Double.isNaN(s.gamma()) ? "-" : s.gamma(), Double.isNaN(s.epsilon()) ? "-" : s.epsilon(),
                            s.error().mean());
                }
                o.flush();
            });
        }
        o.println();
        o.print(GradientRegularizationReport.table(r));
        o.flush();
        return GradientRegularizationReport.write(r, dir);
    }
}
