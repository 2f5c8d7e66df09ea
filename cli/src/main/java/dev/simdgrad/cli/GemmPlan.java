package dev.simdgrad.cli;

import dev.simdgrad.kernels.SgemmBlocking;

import dev.simdgrad.benchmarks.GemmShape;
import dev.simdgrad.benchmarks.NativeBlas;
import dev.simdgrad.benchmarks.SgemmBenchmark;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * What {@code bench gemm} runs: shapes, thread budgets, JMH effort, and on which shapes the slow implementations
 * (peers, scalar reference) are timed. It becomes one JMH run per group of benchmark methods, since JMH applies one
 * set of parameters to every method of a run.
 *
 * @param quick            whether this is a {@code --quick} plan: the peers then run at 1 thread only (when 1 is
 *                         among {@code threads}), which saves a third of the trials
 * @param shapes           shapes simdgrad is timed on, in table order
 * @param threads          thread budgets
 * @param forks            JVM forks per (method, shape, threads)
 * @param warmupIterations warm-up iterations per fork
 * @param warmupTime       time of each warm-up iteration
 * @param iterations       measured iterations per fork
 * @param iterationTime    time of each measured iteration
 * @param peerMaxFlops     EJML and ojAlgo are timed only on shapes of at most this many flops per call
 */
record GemmPlan(boolean quick, List<GemmShape> shapes, List<Integer> threads, int forks, int warmupIterations,
                TimeValue warmupTime, int iterations, TimeValue iterationTime, long peerMaxFlops) {

    /** The shapes of {@code --quick}: three squares and the three products of a two-layer network's step. */
    static final List<GemmShape> QUICK_SHAPES = parse("NN:128x128x128", "NN:512x512x512", "NN:1024x1024x1024",
            "NN:256x784x512", "TN:784x256x512", "NT:256x512x784");

    /** Every shape of {@link SgemmBenchmark}. */
    static final List<GemmShape> ALL_SHAPES = parse(SgemmBenchmark.SHAPES);

    /**
     * In {@code --quick} the peers run only up to 2 * 512^3 flops: at their 1-10 GFLOP/s a call of 1024^3 takes
     * about a second, which a short iteration cannot measure.
     */
    static final long QUICK_PEER_MAX_FLOPS = 2L * 512 * 512 * 512;

    /** The flag every forked JVM needs; the benchmark's {@code @Fork} has it too, this guards against overrides. */
    static final String VECTOR_FLAG = "--add-modules=jdk.incubator.vector";

    /** The native peer is called through the FFM API: allowed without a warning on the class path. */
    static final String NATIVE_ACCESS_FLAG = "--enable-native-access=ALL-UNNAMED";

    /**
     * The flags of every forked benchmark JVM: the Vector API module, native access (OpenBLAS), and the SGEMM blocking
     * properties this JVM was given or set ({@code simdgrad.gemm.tuning/kc/mc/nc}): a fork does not inherit properties
     * set at run time, and without them it would measure other block sizes than {@code info} reports.
     */
    static String[] forkFlags() {
        List<String> flags = new ArrayList<>(List.of(VECTOR_FLAG, NATIVE_ACCESS_FLAG));
        for (String p : new String[] {SgemmBlocking.TUNING_PROPERTY, SgemmBlocking.KC_PROPERTY,
            SgemmBlocking.MC_PROPERTY, SgemmBlocking.NC_PROPERTY}) {
            String v = System.getProperty(p);
            if (v != null) {
                flags.add("-D" + p + "=" + v);
            }
        }
        return flags.toArray(String[]::new);
    }

    /**
     * A group of benchmark methods timed together on the same parameters.
     *
     * @param methods regex alternatives of method names of {@link SgemmBenchmark}
     * @param shapes  shapes of the group
     * @param threads thread budgets of the group
     */
    record Run(String methods, List<GemmShape> shapes, List<Integer> threads) {
    }

    /**
     * The defaults: {@code quick} is 1 fork, 3 warm-up and 3 measured iterations of 1 s (one warm-up second is not
     * always enough for C2 to compile every edge path, as allocation shows; JMH gives no error below 3 iterations),
     * six shapes, and the peers at 1 thread up to {@link #QUICK_PEER_MAX_FLOPS} (about 3 minutes on 2 cores);
     * otherwise 2 forks, 5 warm-up and 5 measured iterations of 2 s, every shape, peers everywhere (about 50 minutes
     * on 2 cores: the peers take seconds per call at 2048). The 2-thread path needs the longer warm-up: measured at
     * 1024^3, its calls/s still climb from ~100 to ~125 between the 3rd and the 8th second of a fork.
     */
    static GemmPlan defaults(boolean quick, List<Integer> threads) {
        return quick
                ? new GemmPlan(true, QUICK_SHAPES, threads, 1, 3, TimeValue.seconds(1), 3, TimeValue.seconds(1),
                        QUICK_PEER_MAX_FLOPS)
                : new GemmPlan(false, ALL_SHAPES, threads, 2, 5, TimeValue.seconds(2), 5, TimeValue.seconds(2),
                        Long.MAX_VALUE);
    }

    private static List<GemmShape> parse(String... shapes) {
        return Arrays.stream(shapes).map(GemmShape::parse).toList();
    }

    /**
     * The JMH runs: simdgrad and native OpenBLAS (when a library loads, {@link NativeBlas}) on every shape and thread
     * budget; netlib-java's pure-Java BLAS on every shape at 1 thread (it is single-threaded); EJML and ojAlgo on the
     * shapes up to {@link #peerMaxFlops} (at 1 thread only in a quick plan); the scalar
     * reference (single-threaded) at 1 thread on the shapes up to {@link SgemmBenchmark#REFERENCE_MAX_FLOPS}.
     * Groups with no shape are left out.
     */
    List<Run> runs() {
        List<Run> runs = new ArrayList<>();
        runs.add(new Run("simdgrad", shapes, threads));
        if (openBlasAvailable()) {
            runs.add(new Run("openblas", shapes, threads));
        }
        if (threads.contains(1)) {
            runs.add(new Run("netlib", shapes, List.of(1)));
        }
        List<GemmShape> peerShapes = shapes.stream().filter(s -> s.flops() <= peerMaxFlops).toList();
        if (!peerShapes.isEmpty()) {
            runs.add(new Run("ejml|ojalgo", peerShapes, peerThreads()));
        }
        List<GemmShape> refShapes = shapes.stream()
                .filter(s -> s.flops() <= SgemmBenchmark.REFERENCE_MAX_FLOPS).toList();
        if (!refShapes.isEmpty() && threads.contains(1)) {
            runs.add(new Run("reference", refShapes, List.of(1)));
        }
        return runs;
    }

    /** Whether native OpenBLAS loads in this JVM (the forked benchmark JVMs load the same library). */
    static boolean openBlasAvailable() {
        return NativeBlas.openBlas().isPresent();
    }

    private List<Integer> peerThreads() {
        return quick && threads.contains(1) ? List.of(1) : threads;
    }

    /** The JMH options of one run; with a {@code json} path JMH also writes its JSON results there. */
    Options options(Run run, Path json) {
        ChainedOptionsBuilder b = new OptionsBuilder()
                .include("^" + Pattern.quote(SgemmBenchmark.class.getName()) + "\\.(" + run.methods() + ")$")
                .param("shape", run.shapes().stream().map(GemmShape::toString).toArray(String[]::new))
                .param("threads", run.threads().stream().map(String::valueOf).toArray(String[]::new))
                .forks(forks)
                .warmupIterations(warmupIterations)
                .warmupTime(warmupTime)
                .measurementIterations(iterations)
                .measurementTime(iterationTime)
                .jvmArgsAppend(forkFlags())
                // A trial that throws (e.g. its setup found a wrong result) is reported by JMH and skipped; the
                // command then names what is missing and exits with 1, without losing the other results.
                .shouldFailOnError(false);
        if (json != null) {
            b.result(json.toString()).resultFormat(ResultFormatType.JSON);
        }
        return b.build();
    }

    /** The plan as {@code "name": value} JSON members, for the {@code --json} report. */
    Map<String, String> jsonFields() {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("quick", Boolean.toString(quick));
        fields.put("shapes", "[" + String.join(", ", shapes.stream().map(s -> BenchJsonReport.str(s.toString()))
                .toList()) + "]");
        fields.put("threads", threads.toString());
        fields.put("forks", Integer.toString(forks));
        fields.put("warmupIterations", Integer.toString(warmupIterations));
        fields.put("warmupTime", BenchJsonReport.str(warmupTime.toString()));
        fields.put("iterations", Integer.toString(iterations));
        fields.put("iterationTime", BenchJsonReport.str(iterationTime.toString()));
        fields.put("peerMaxFlops", peerMaxFlops == Long.MAX_VALUE ? "null" : Long.toString(peerMaxFlops));
        return fields;
    }

    /** Lines for under the table: which shapes the slow implementations ran on, and the JMH effort. */
    List<String> notes() {
        List<String> notes = new ArrayList<>();
        if (peerMaxFlops != Long.MAX_VALUE) {
            notes.add(String.format(Locale.ROOT, "EJML and ojAlgo ran only on shapes of at most %.3f GFLOP per call"
                    + "%s (--peer-max-gflop to change).", peerMaxFlops / 1e9, quick ? " in --quick" : ""));
        }
        if (!peerThreads().equals(threads)) {
            notes.add("EJML and ojAlgo ran at " + peerThreads() + " thread(s) only (--quick).");
        }
        notes.add(NativeBlas.openBlas().map(b -> "OpenBLAS: " + b.library() + " (" + b.config() + ")")
                .orElse(NativeBlas.unavailableReason() + ": no native column."));
        notes.add("VectorBLAS: netlib-java 3.0's JavaBLAS (pure Java), 1 thread.");
        notes.add(String.format(Locale.ROOT, "reference (scalar, double accumulation) ran at 1 thread on shapes of"
                + " at most %.3f GFLOP per call.", SgemmBenchmark.REFERENCE_MAX_FLOPS / 1e9));
        notes.add(SuitePlan.effortNote(forks, warmupIterations, warmupTime, iterations, iterationTime, quick));
        return notes;
    }
}
