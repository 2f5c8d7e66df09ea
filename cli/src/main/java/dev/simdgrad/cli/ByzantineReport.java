package dev.simdgrad.cli;

import dev.simdgrad.experiments.Spread;
import dev.simdgrad.spark.LocalSession;
import dev.simdgrad.spark.byzantine.ByzantineRobustness;
import dev.simdgrad.spark.byzantine.ByzantineRobustness.Run;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/**
 * Runs and renders {@link ByzantineRobustness} for {@code reproduce byzantine}: the table of test accuracy per
 * (f, attack) and aggregator (mean +- sd over seeds), the claims and deviations, and the files (runs.csv,
 * result.json, one bar chart per attack: accuracy against f, a bar per aggregator). Uses Spark: load this class only
 * after {@link SparkClasspath#problem} said Spark is there.
 */
final class ByzantineReport {
    private ByzantineReport() {
    }

    /**
     * The settings the command line can override (null: the default).
     *
     * @param attacks     attack names
     * @param aggregators aggregator names (mean is added if missing: it is the reference)
     */
    record Overrides(Path data, boolean full, long seed, Integer seeds, Integer trainSize, Integer epochs,
                     List<Integer> hidden, List<String> attacks, List<String> aggregators) {
    }

    /**
     * Runs the experiment, prints its progress lines and tables to {@code o}, writes the files into {@code dir}.
     *
     * @throws ParameterException for an invalid setting (an unknown attack or aggregator, ...), before any work
     */
    static List<Path> run(Overrides v, CommandSpec spec, PrintWriter o, Path dir) throws IOException {
        int k = v.seeds() != null ? v.seeds() : v.full() ? 5 : 3;
        List<Long> seeds = java.util.stream.LongStream.range(v.seed(), v.seed() + k).boxed().toList();
        var d = ByzantineRobustness.Config.small(v.data(), seeds);
        List<String> aggregators = v.aggregators() != null ? new ArrayList<>(v.aggregators()) : d.aggregators();
        if (!aggregators.contains(ByzantineRobustness.MEAN)) {
            aggregators = new ArrayList<>(aggregators);
            aggregators.addFirst(ByzantineRobustness.MEAN);
        }
        ByzantineRobustness.Config c;
        try {
            c = new ByzantineRobustness.Config(d.data(), v.trainSize() != null ? v.trainSize()
                : v.full() ? Integer.MAX_VALUE : d.trainSize(), v.full() ? Integer.MAX_VALUE : d.testSize(),
                v.hidden() != null ? v.hidden() : d.hidden(), d.workers(), d.fs(),
                v.attacks() != null ? v.attacks() : d.attacks(), aggregators, d.localSteps(),
                d.batch(), d.lr(),
                v.epochs() != null ? v.epochs() : v.full() ? 100 : d.epochs(), d.seeds(),
                LocalSession.master(d.master()));
            ByzantineRobustness.check(c);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        o.printf(Locale.ROOT, "reproduce byzantine: %s, W = %d workers on Spark %s, f in %s, %d arms per seed, %s%n",
                v.full() ? "full size" : overridden(v) ? "size overridden" : "default size", c.workers(), c.master(), c.fs(), c.runCount()
                        / c.seeds().size(), c.seedRange());
        o.flush();
        ByzantineRobustness.Result r;
        try (Progress p = Progress.start("byzantine", c.runCount())) {
            int arms = c.runCount() / c.seeds().size();
            int[] seen = {0};
            r = ByzantineRobustness.EXPERIMENT.run(c, p, run -> {
                if (++seen[0] % arms == 0) {   // a seed's runs arrive together, its last arm last
                    o.print(p.lineStart());
                    o.printf(Locale.ROOT, "seed %d: %d arms trained in lockstep in %.1f s%n", run.seed(), arms,
                            run.seconds());
                    o.flush();
                }
            });
        }
        o.println();
        o.print(table(r));
        o.flush();
        return write(r, dir);
    }

    private static boolean overridden(Overrides v) {
        return v.trainSize() != null || v.epochs() != null || v.hidden() != null || v.attacks() != null
                || v.aggregators() != null;
    }

    /** The printed tables. */
    static String table(ByzantineRobustness.Result r) {
        var c = r.config();
        StringBuilder sb = new StringBuilder();
        String model = c.hidden().isEmpty() ? "softmax regression" : "784-" + String.join("-",
                c.hidden().stream().map(String::valueOf).toList()) + "-10 ReLU";
        sb.append(String.format(Locale.ROOT, "Byzantine-robust training: %s; %s, W = %d, K = %d, batch %s, lr %s, %d"
                + " epochs, Spark %s, %s%n%n", r.source(), model, c.workers(), c.localSteps(),
                c.batch() == Integer.MAX_VALUE ? "the whole shard" : String.valueOf(c.batch()), c.lr(), c.epochs(),
                r.master(), c.seedRange()));
        List<String> header = new ArrayList<>(List.of("f", "attack"));
        header.addAll(c.aggregators());
        TextTable t = new TextTable(header);
        for (int f : c.fs()) {
            for (String attack : f == 0 ? List.of(ByzantineRobustness.NO_ATTACK) : c.attacks()) {
                List<String> row = new ArrayList<>(List.of(String.valueOf(f), attack));
                for (String agg : c.aggregators()) {
                    row.add(cell(runs(r, f, attack, agg)));
                }
                t.add(row);
            }
        }
        sb.append("Test accuracy at the end of training, mean +- sd over seeds:\n").append(t.format());
        for (Run run : r.runs()) {
            if (run.hasDiverged()) {
                sb.append(String.format(Locale.ROOT, "diverged: f=%d %s %s seed %d: %s%n", run.f(), run.attack(),
                        run.aggregator(), run.seed(), run.diverged()));
            }
        }
        sb.append('\n').append(ClaimTable.format(r.claims()));
        sb.append('\n').append("Deviations from the paper:\n").append(DeviationTable.format(r.deviations()));
        return sb.toString();
    }

    /** Writes runs.csv, result.json and the charts into {@code dir}; returns their paths. */
    static List<Path> write(ByzantineRobustness.Result r, Path dir) throws IOException {
        var c = r.config();
        List<Path> files = new ArrayList<>();
        List<List<?>> rows = new ArrayList<>();
        for (Run run : r.runs()) {
            rows.add(List.of(run.f(), run.attack(), run.aggregator(), run.seed(), run.testAccuracy(),
                    run.trainLoss(), run.diverged() == null ? "" : run.diverged()));
        }
        files.add(ResultFiles.csv(dir.resolve("runs.csv"), List.of("f", "attack", "aggregator", "seed",
                "test_accuracy", "train_loss", "diverged"), rows));
        files.add(ResultFiles.json(dir.resolve("result.json"), r));
        List<String> categories = c.fs().stream().map(f -> "f = " + f).toList();
        for (String attack : c.attacks()) {
            SeedBarChart chart = new SeedBarChart(String.format(Locale.ROOT, "Test accuracy under %s, W = %d"
                    + " (f = 0: no attack; mean +- sd over %d seeds)", attack, c.workers(), c.seeds().size()),
                    "Byzantine workers", "test accuracy", categories);
            for (String agg : c.aggregators()) {
                double[] means = new double[c.fs().size()], sds = new double[c.fs().size()];
                for (int i = 0; i < means.length; i++) {
                    int f = c.fs().get(i);
                    Spread s = spread(runs(r, f, f == 0 ? ByzantineRobustness.NO_ATTACK : attack, agg), r.chance());
                    means[i] = s.mean();
                    sds[i] = s.sd();
                }
                chart.bars(agg, means, sds);
            }
            files.add(chart.write(dir.resolve("accuracy-" + fileName(attack) + ".png")));
        }
        return files;
    }

    /** An attack's name as part of a file name: "scaled:-10" becomes "scaled-10". */
    static String fileName(String attack) {
        return attack.replaceAll("[^A-Za-z0-9.-]+", "").toLowerCase(Locale.ROOT);
    }

    private static List<Run> runs(ByzantineRobustness.Result r, int f, String attack, String agg) {
        return r.runs().stream().filter(x -> x.f() == f && x.attack().equals(attack) && x.aggregator().equals(agg))
                .toList();
    }

    /** Mean and sd over seeds, a diverged run at chance (as the claims count it). */
    private static Spread spread(List<Run> runs, double chance) {
        return runs.isEmpty() ? new Spread(Double.NaN, Double.NaN, 0)
                : Spread.of(runs.stream().mapToDouble(x -> x.hasDiverged() ? chance : x.testAccuracy()).toArray());
    }

    private static String cell(List<Run> runs) {
        if (runs.isEmpty()) {
            return "-";
        }
        long diverged = runs.stream().filter(Run::hasDiverged).count();
        if (diverged == runs.size()) {
            return "diverged";
        }
        Spread s = Spread.of(runs.stream().filter(x -> !x.hasDiverged()).mapToDouble(Run::testAccuracy).toArray());
        return String.format(Locale.ROOT, "%.3f +- %.3f", s.mean(), s.sd())
                + (diverged > 0 ? " (" + diverged + " diverged)" : "");
    }
}
