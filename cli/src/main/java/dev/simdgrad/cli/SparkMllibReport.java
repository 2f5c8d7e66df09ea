package dev.simdgrad.cli;

import dev.simdgrad.spark.MllibBenchmark;
import dev.simdgrad.spark.LocalSession;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Runs and renders {@link MllibBenchmark} for {@code bench spark-mllib}: the comparison table with each simdgrad
 * method's speed-up per epoch over each MLlib solver and whether it meets the target (at least 5x faster per
 * epoch at equal or better test accuracy), the round-overhead table, and result.json. Uses Spark: load it only after
 * {@link SparkClasspath#problem} said Spark is there.
 */
final class SparkMllibReport {
    /** The target speed-up per epoch. */
    static final double TARGET = 5;

    private SparkMllibReport() {
    }

    /** The command line's settings. */
    record Settings(int trainSize, int hidden, int epochs, int repeats, List<Integer> workers,
                    List<Integer> localSteps) {
    }

    static List<Path> run(Settings s, PrintWriter o, Path dir) throws IOException {
        var d = MllibBenchmark.Config.standard();
        var c = new MllibBenchmark.Config(s.trainSize(), d.testSize(), s.hidden(), s.epochs(), s.repeats(),
                d.batch(), s.workers(), s.localSteps(), LocalSession.master(d.master()));
        o.printf(Locale.ROOT, "bench spark-mllib: 784-%d-10, %d epochs per fit, %d timed fits per method, Spark %s%n",
                c.hidden(), c.epochs(), c.repeats(), c.master());
        o.flush();
        MllibBenchmark.Result r;
        try (Progress p = Progress.start("spark-mllib", MllibBenchmark.fits(c))) {
            r = MllibBenchmark.run(c, p);
        }
        o.println();
        o.print(table(r));
        o.flush();
        List<Path> files = new ArrayList<>();
        files.add(ResultFiles.json(dir.resolve("result.json"), r));
        return files;
    }

    static String table(MllibBenchmark.Result r) {
        var c = r.config();
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%s; 784-%d-10; one Spark session %s, the"
                + " training frame in %d partitions (simdgrad's W); %d epochs per fit, seconds per epoch over %d"
                + " timed fits%n%n", r.source(), c.hidden(), r.master(), r.partitions(), c.epochs(), c.repeats()));
        TextTable t = new TextTable(List.of("library", "method", "rounds/epoch", "s/epoch (mean +- sd)",
                "test acc"));
        for (var l : r.lines()) {
            t.add(l.library(), l.method(), String.format(Locale.ROOT, "%.0f", l.roundsPerEpoch()),
                    String.format(Locale.ROOT, "%.4f +- %.4f", l.secondsPerEpoch().mean(), l.secondsPerEpoch().sd()),
                    String.format(Locale.ROOT, "%.4f", l.testAccuracy()));
        }
        sb.append(t.format()).append('\n');
        TextTable v = new TextTable(List.of("simdgrad method", "vs MLlib", "speed-up per epoch", "accuracy",
                ">= " + (int) TARGET + "x at equal or better accuracy"));
        for (var ours : r.lines().stream().filter(l -> l.library().equals("simdgrad")).toList()) {
            for (var ml : r.lines().stream().filter(l -> l.library().equals("MLlib")).toList()) {
                double speedup = ml.secondsPerEpoch().mean() / ours.secondsPerEpoch().mean();
                double dAcc = ours.testAccuracy() - ml.testAccuracy();
                v.add(ours.method(), ml.method(), String.format(Locale.ROOT, "%.1fx", speedup),
                        String.format(Locale.ROOT, "%+.4f", dAcc), speedup >= TARGET && dAcc >= 0 ? "yes"
                                : speedup >= TARGET ? "NO (less accurate)" : "NO (" + String.format(Locale.ROOT,
                                "%.1fx", speedup) + ")");
            }
        }
        sb.append("Speed-up per epoch (MLlib s/epoch / simdgrad s/epoch) and accuracy difference (simdgrad minus"
                + " MLlib):\n").append(v.format()).append('\n');
        if (!r.toTarget().isEmpty()) {
            var first = r.toTarget().getFirst();
            TextTable tt = new TextTable(List.of("library", "method", "epochs", "seconds (one fit)",
                    "test acc", "vs " + first.library() + " " + first.method().split(",")[0]));
            for (var x : r.toTarget()) {
                boolean reached = x.epochs() > 0;
                tt.add(x.library(), x.method(), reached ? String.valueOf(x.epochs()) : "not in " + c.epochs(),
                        reached ? String.format(Locale.ROOT, "%.3f", x.seconds()) : "-",
                        reached ? String.format(Locale.ROOT, "%.4f", x.accuracy()) : "-",
                        reached && first.epochs() > 0 ? String.format(Locale.ROOT, "%.1fx sooner",
                                first.seconds() / x.seconds()) : "-");
            }
            sb.append(String.format(Locale.ROOT, "Time to the test accuracy of %s %s after %d epochs (%.4f): the"
                    + " fewest epochs whose fit reaches it, and that fit's wall time%n", first.library(),
                    first.method().split(",")[0], c.epochs(), first.target())).append(tt.format()).append('\n');
        }
        TextTable ot = new TextTable(List.of("W", "K", "rounds by", "cores", "rounds", "wall ms/round",
                "compute ms/round (sum)",
                "aggregate ms", "overhead ms/round", "overhead share"));
        for (var x : r.overheads()) {
            ot.add(String.valueOf(x.workers()), String.valueOf(x.localSteps()), x.roundMode(), String.valueOf(x.cores()), String.valueOf(x.rounds()),
                    String.format(Locale.ROOT, "%.2f", x.wallMs()), String.format(Locale.ROOT, "%.2f",
                            x.computeMs()), String.format(Locale.ROOT, "%.2f", x.aggregateMs()),
                    String.format(Locale.ROOT, "%.2f", x.overheadMs()), String.format(Locale.ROOT, "%.0f%%",
                            100 * x.fraction()));
        }
        sb.append("Round overhead of simdgrad's rounds (K local steps of B = ").append(c.batch()).append(", mean"
                + " over one epoch's rounds after a warm-up fit): a round's wall time (job: the Spark job with its"
                + " broadcast, scheduling, tasks and collect; barrier: from the parameters sent to the W results"
                + " received; in local mode the messages go over TCP, the parameters in memory) against the workers' local steps inside it; overhead = wall - compute /"
                + " min(W, cores)\n")
                .append(ot.format());
        return sb.toString();
    }
}
