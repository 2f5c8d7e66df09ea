package dev.simdgrad.cli;

import dev.simdgrad.benchmarks.GemmShape;
import dev.simdgrad.benchmarks.SgemmBenchmark;
import dev.simdgrad.kernels.SgemmBlocking;
import dev.simdgrad.kernels.Simd;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code simdgrad tune}: measures SGEMM cache blockings around the model's (KC/2, KC, 2 KC x MC, MC/4; see {@link
 * SgemmBlocking}) with JMH's {@code SgemmBenchmark.simdgrad} on one thread, each candidate in forked JVMs with its
 * sizes as system properties, and writes the one with the best geometric-mean GFLOP/s over the shapes to a small
 * properties file. Later runs of {@code simdgrad} read it ({@link #useTuningFile}) when it records this machine's
 * caches and tile. Optional: the model's sizes are the default. KC decides the rounding, so a tuned KC changes
 * SGEMM's bits on this machine (within the same bound, the same for every width and thread count).
 */
@Command(name = "tune", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Measure SGEMM cache blockings around the model's (KC/2, KC, 2KC x MC, MC/4; 1 thread, JMH)"
            + " and write the fastest to a file later runs of simdgrad read (about 4 minutes).",
            "The model's sizes (./simdgrad info) are the default without it; delete the file to go back to them.",
            "A candidate replaces the current sizes only if its geometric-mean GFLOP/s is 5 %% higher; the table shows"
                + " JMH's error bars: on a noisy machine, add --forks 2 --iterations 5."})
final class TuneCommand implements Callable<Integer> {
    /** Where {@code tune} writes and the command line reads the tuned sizes. */
    static final Path DEFAULT_FILE = Path.of(System.getProperty("user.home"), ".config", "simdgrad",
            "sgemm-blocking.properties");
    /** Square and layer shapes: the sizes the training steps multiply. */
    static final List<String> DEFAULT_SHAPES = List.of("NN:256x256x256", "NN:1024x1024x1024", "NN:256x784x512",
            "TN:784x256x512", "NT:256x512x784");

    @Spec
    private CommandSpec spec;

    @Option(names = "--out", paramLabel = "FILE",
            description = "Where to write the tuned sizes (default: ~/.config/simdgrad/sgemm-blocking.properties,"
                    + " which simdgrad reads at start-up).")
    private Path out = DEFAULT_FILE;

    @Option(names = "--shapes", split = ",", paramLabel = "SHAPE",
            description = "Shapes to measure instead of the defaults, as TT:MxNxK.")
    private List<String> shapes;

    @Option(names = "--forks", paramLabel = "N", description = "JVM forks per candidate and shape (default 1;"
            + " at least 1: the sizes are fixed when a JVM loads the kernels).")
    private Integer forks;

    @Option(names = "--warmup", paramLabel = "N", description = "Warm-up iterations per fork (default 3).")
    private Integer warmup;

    @Option(names = "--iterations", paramLabel = "N", description = "Measured iterations per fork (default 3).")
    private Integer iterations;

    @Option(names = "--time", paramLabel = "TIME", description = "Time of each iteration, warm-up too (default"
            + " 500ms).")
    private String time;

    @Option(names = "--dry-run", description = "Print the candidates and where the result would go; measure"
            + " nothing, write nothing.")
    private boolean dryRun;

    /** One blocking to measure. */
    record Candidate(int kc, int mc, int nc) {
        String label() {
            return "KC " + kc + ", MC " + mc + ", NC " + nc;
        }
    }

    @Override
    public Integer call() throws IOException, RunnerException {
        List<GemmShape> shapeList;
        try {
            shapeList = (shapes == null ? DEFAULT_SHAPES : shapes).stream().map(GemmShape::parse).distinct().toList();
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--shapes: " + e.getMessage());
        }
        int f = JmhEffortOptions.at("--forks", forks, 1, 1, spec);
        int w = JmhEffortOptions.at("--warmup", warmup, 3, 0, spec);
        int i = JmhEffortOptions.at("--iterations", iterations, 3, 1, spec);
        TimeValue t = JmhEffortOptions.time(spec, time, TimeValue.milliseconds(500));
        OutputLocations.file(spec, "--out", out, true);
        if (!Simd.isVectorized()) {
            // The forks run the Vector API; this JVM's blocking would be the scalar tile's, the wrong center.
            throw new ParameterException(spec.commandLine(), "tune: the kernels run scalar in this JVM ("
                    + Simd.reason() + "); run ./simdgrad tune, or java --add-modules jdk.incubator.vector -jar"
                    + " simdgrad.jar tune");
        }
        SgemmBlocking current = Simd.sgemmBlocking();
        List<Candidate> candidates = candidates(current, tileRows(current.tile()), tileColumns(current.tile()));
        PrintWriter o = spec.commandLine().getOut();
        o.println("SGEMM blocking now: " + current);
        o.println(candidates.size() + " candidates x " + shapeList.size() + " shapes, 1 thread, " + f + " fork(s) x "
                + i + " iteration(s) of " + t + " (after " + w + " warm-up):");
        candidates.forEach(c -> o.println("  " + c.label()));
        o.println("result: " + out);
        o.flush();
        if (dryRun) {
            return 0;
        }
        Map<Candidate, Map<GemmShape, Double>> gflops = new LinkedHashMap<>();
        Map<Candidate, Map<GemmShape, Double>> errors = new LinkedHashMap<>();
        for (Candidate c : candidates) {
            Function<Path, Options> options = tmp -> options(c, shapeList, f, w, i, t);
            Map<GemmShape, Double> byShape = new LinkedHashMap<>(), err = new LinkedHashMap<>();
            for (GemmResult r : GemmResult.of(SuiteRunner.measure(List.of(options), false).results())) {
                byShape.put(r.shape(), r.gflops());
                err.put(r.shape(), r.gflopsError());
            }
            gflops.put(c, byShape);
            errors.put(c, err);
        }
        List<String> table = table(shapeList, gflops, errors);
        table.forEach(o::println);
        Candidate best = choose(shapeList, gflops, candidates.getFirst());
        if (best == null) {
            spec.commandLine().getErr().println("simdgrad tune: no candidate was measured on every shape (see the"
                    + " JMH output above); nothing written");
            spec.commandLine().getErr().flush();
            return 1;
        }
        write(out, best, current, table, Instant.now());
        if (best.equals(candidates.getFirst()) && !best.equals(best(shapeList, gflops))) {
            o.println("the fastest candidate is less than " + Math.round((MIN_GAIN - 1) * 100) + " % faster than the"
                    + " current sizes (geometric mean): keeping them");
        }
        o.println("wrote " + out + ": " + best.label() + (best.kc() != current.kc()
                ? " (KC differs from the model's " + current.kc() + ": SGEMM's last bits on this machine change,"
                  + " within the same bound)" : ""));
        o.flush();
        return 0;
    }

    /**
     * KC/2, KC, 2 KC (multiples of 4 in 32..1024) x MC, MC/4 (MC counts columns of the B block in L2: multiples of
     * NR), NC as now; the current first.
     */
    static List<Candidate> candidates(SgemmBlocking b, int mr, int nr) {
        LinkedHashSet<Candidate> set = new LinkedHashSet<>();
        set.add(new Candidate(b.kc(), b.mc(), b.nc()));
        for (int kc : new int[] {b.kc(), b.kc() / 2, 2 * b.kc()}) {
            int k = Math.max(32, Math.min(1024, kc & ~3));
            for (int mc : new int[] {b.mc(), b.mc() / 4}) {
                set.add(new Candidate(k, Math.max(nr, mc / nr * nr), b.nc()));
            }
        }
        return List.copyOf(set);
    }

    private static Options options(Candidate c, List<GemmShape> shapes, int forks, int warmup, int iterations,
                                   TimeValue time) {
        return new OptionsBuilder()
                .include("^" + Pattern.quote(SgemmBenchmark.class.getName()) + "\\.simdgrad$")
                .param("shape", shapes.stream().map(GemmShape::toString).toArray(String[]::new))
                .param("threads", "1")
                .forks(forks).warmupIterations(warmup).warmupTime(time)
                .measurementIterations(iterations).measurementTime(time)
                .jvmArgsAppend(GemmPlan.VECTOR_FLAG, GemmPlan.NATIVE_ACCESS_FLAG,
                        "-D" + SgemmBlocking.KC_PROPERTY + "=" + c.kc(), "-D" + SgemmBlocking.MC_PROPERTY + "=" + c.mc(),
                        "-D" + SgemmBlocking.NC_PROPERTY + "=" + c.nc())
                .shouldFailOnError(false)
                .build();
    }

    /**
     * The candidate to keep: the best geometric mean over all shapes, unless it beats the current sizes by less
     * than {@link #MIN_GAIN} (then the current ones: a tuned KC changes SGEMM's bits, not worth it for noise); null if
     * none was measured on every shape.
     */
    static Candidate choose(List<GemmShape> shapes, Map<Candidate, Map<GemmShape, Double>> gflops,
                            Candidate current) {
        Candidate best = best(shapes, gflops);
        Map<GemmShape, Double> now = gflops.get(current);
        if (best != null && now != null && geometricMean(shapes, gflops.get(best))
                < MIN_GAIN * geometricMean(shapes, now)) {
            return current;
        }
        return best;
    }

    /** A candidate must be this much faster (geometric mean) than the current sizes to replace them. */
    static final double MIN_GAIN = 1.05;

    /** The candidate with the best geometric mean over all shapes; null if none was measured on every shape. */
    static Candidate best(List<GemmShape> shapes, Map<Candidate, Map<GemmShape, Double>> gflops) {
        Candidate best = null;
        double bestMean = 0;
        for (var e : gflops.entrySet()) {
            double mean = geometricMean(shapes, e.getValue());
            if (mean > bestMean) {
                best = e.getKey();
                bestMean = mean;
            }
        }
        return best;
    }

    /** Geometric mean of the GFLOP/s over the shapes, or 0 when a shape has no result. */
    static double geometricMean(List<GemmShape> shapes, Map<GemmShape, Double> byShape) {
        double logSum = 0;
        for (GemmShape s : shapes) {
            Double g = byShape.get(s);
            if (g == null || !(g > 0)) {
                return 0;
            }
            logSum += Math.log(g);
        }
        return Math.exp(logSum / shapes.size());
    }

    /** One line per candidate: its GFLOP/s (+- JMH's 99.9 % half-width) per shape and the geometric mean. */
    static List<String> table(List<GemmShape> shapes, Map<Candidate, Map<GemmShape, Double>> gflops,
                              Map<Candidate, Map<GemmShape, Double>> errors) {
        List<String> lines = new ArrayList<>();
        StringBuilder head = new StringBuilder(String.format(Locale.ROOT, "%-26s", "GFLOP/s, 1 thread"));
        shapes.forEach(s -> head.append(String.format(Locale.ROOT, " %18s", s)));
        lines.add(head.append("  geomean").toString());
        for (var e : gflops.entrySet()) {
            StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%-26s", e.getKey().label()));
            for (GemmShape s : shapes) {
                Double g = e.getValue().get(s);
                Double err = errors.getOrDefault(e.getKey(), Map.of()).get(s);
                sb.append(g == null ? String.format(Locale.ROOT, " %18s", "failed")
                        : String.format(Locale.ROOT, " %18s", String.format(Locale.ROOT, "%.1f +- %.1f", g,
                                err == null || Double.isNaN(err) ? 0.0 : err)));
            }
            lines.add(sb.append(String.format(Locale.ROOT, "  %7.1f", geometricMean(shapes, e.getValue())))
                    .toString());
        }
        return lines;
    }

    /**
     * Writes the tuning file (Java properties, read by the kernels' blocking model): the caches and the tile it is
     * valid for, the sizes, and the measurements as comments. Written to a temporary file and moved into place, so a
     * reader never sees half a file.
     */
    static void write(Path file, Candidate best, SgemmBlocking current, List<String> table, Instant when)
            throws IOException {
        StringBuilder sb = new StringBuilder();
        sb.append("# simdgrad tune, ").append(when.truncatedTo(ChronoUnit.SECONDS)).append(": SGEMM cache blocking")
                .append(" measured on this machine (delete this file to use the model's sizes again)\n");
        sb.append("# before: ").append(current).append('\n');
        table.forEach(l -> sb.append("# ").append(l).append('\n'));
        sb.append("caches=").append(current.caches()).append('\n');
        sb.append("tile=").append(current.tile()).append('\n');
        sb.append("kc=").append(best.kc()).append('\n');
        sb.append("mc=").append(best.mc()).append('\n');
        sb.append("nc=").append(best.nc()).append('\n');
        Path abs = file.toAbsolutePath();
        Files.createDirectories(abs.getParent());
        Path tmp = Files.createTempFile(abs.getParent(), ".sgemm-blocking", ".tmp");
        Files.writeString(tmp, sb.toString());
        Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /**
     * Points the kernels at {@link #DEFAULT_FILE} ({@link SgemmBlocking#TUNING_PROPERTY}) when it exists and no
     * tuning file was named; called by {@code main} before any kernel loads, except for {@code tune} itself, which
     * measures around the model's sizes.
     */
    static void useTuningFile(String[] args) {
        if (args.length > 0 && args[0].equals("tune")) {
            return;
        }
        if (System.getProperty(SgemmBlocking.TUNING_PROPERTY) == null && Files.isRegularFile(DEFAULT_FILE)) {
            System.setProperty(SgemmBlocking.TUNING_PROPERTY, DEFAULT_FILE.toString());
        }
    }

    private static int tileRows(String tile) {
        return Integer.parseInt(tile.substring(0, tile.indexOf('x')));
    }

    private static int tileColumns(String tile) {
        return Integer.parseInt(tile.substring(tile.indexOf('x') + 1));
    }
}
