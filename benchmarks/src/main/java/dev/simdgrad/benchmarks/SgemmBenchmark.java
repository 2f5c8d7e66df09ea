package dev.simdgrad.benchmarks;

import dev.simdgrad.kernels.Parallelism;
import dev.simdgrad.kernels.Sgemm;
import dev.simdgrad.verify.ReferenceSgemm;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import dev.ludovic.netlib.blas.BLAS;
import dev.ludovic.netlib.blas.JavaBLAS;
import org.ejml.concurrency.EjmlConcurrency;
import org.ejml.data.FMatrixRMaj;
import org.ejml.dense.row.CommonOps_FDRM;
import org.ejml.dense.row.CommonOps_MT_FDRM;
import org.ojalgo.OjAlgoUtils;
import org.ojalgo.matrix.store.MatrixStore;
import org.ojalgo.matrix.store.R032Store;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * SGEMM {@code C := op(A) op(B)} (alpha = 1, beta = 0), simdgrad against its scalar reference and the JVM peers,
 * side by side in one class so that one run prints them together.
 *
 * <p><b>Mode and units.</b> Throughput in calls per second. A call is {@link GemmShape#flops() 2mnk} flops, so
 * {@code GFLOP/s = score * 2mnk / 1e9}; the conversion is linear, so JMH's confidence interval converts the same
 * way ({@code ./simdgrad bench gemm} prints the table).
 *
 * <p><b>Parameters.</b> {@code shape}: {@code "TT:MxNxK"} ({@link GemmShape}): squares 64 to 2048 and the three
 * products of a two-layer network's step with batch 256, 784 inputs and 512 hidden units: forward {@code X W}
 * (NN:256x784x512 as m x n x k), the weight gradient {@code X^T Delta} (TN:784x256x512, A stored k x m) and the
 * back-propagated delta {@code Delta W^T} (NT:256x512x784, B stored n x k). {@code threads}: the thread budget, given
 * to simdgrad ({@link Parallelism#setThreads}), to ojAlgo ({@code OjAlgoUtils.limitThreadsTo}) and to EJML, which
 * uses its concurrent {@code CommonOps_MT_FDRM} above one thread.
 *
 * <p><b>Peers.</b> {@code reference}: {@link ReferenceSgemm} (plain loops, double accumulation), single-threaded,
 * refused above {@link #REFERENCE_MAX_FLOPS} because it would run for minutes per call. {@code ejml}:
 * {@code CommonOps_FDRM.mult/multTransA/multTransB} on {@code FMatrixRMaj}. {@code ojalgo}:
 * {@code R032Store.fillByMultiplying} into a preallocated store, with transposed operands as
 * {@code MatrixStore.transpose()} views made in setup. {@code openblas}: native OpenBLAS's {@code cblas_sgemm}
 * through the FFM API ({@link NativeBlas}; arrays passed in place), its threads set to {@code threads}; refused in
 * setup when no OpenBLAS library loads. {@code netlib}: netlib-java's pure-Java BLAS ({@code JavaBLAS}, VectorBLAS
 * when the Vector API is readable), single-threaded, called column-major as C^T = op(B)^T op(A)^T. Only the multiply
 * is timed; storage conversion is setup.
 *
 * <p><b>Trust.</b> {@link #setup} first runs the implementation about to be timed on the very data and checks C
 * against the reference within the error bound ({@link SgemmAgreement}); if it disagrees, setup throws and JMH
 * does not measure it. Everything is allocated in setup: the simdgrad call allocates nothing (check with
 * {@code -prof gc}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 5, time = 2) // the 2-thread path warms up for ~8 s at 1024^3 (see GemmPlan)
@Measurement(iterations = 5, time = 2)
@Fork(value = 2, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED"})
public class SgemmBenchmark {
    /** Largest problem the scalar reference is timed on, in flops: 2 * 256^3, a fraction of a second per call. */
    public static final long REFERENCE_MAX_FLOPS = 2L * 256 * 256 * 256;

    /** Every shape of the suite, in table order. */
    public static final String[] SHAPES = {
        "NN:64x64x64", "NN:128x128x128", "NN:256x256x256", "NN:512x512x512", "NN:1024x1024x1024",
        "NN:2048x2048x2048", "NN:256x784x512", "TN:784x256x512", "NT:256x512x784",
    };

    /** The problem, {@code "TT:MxNxK"}; see the class comment. */
    @Param({"NN:64x64x64", "NN:128x128x128", "NN:256x256x256", "NN:512x512x512", "NN:1024x1024x1024",
        "NN:2048x2048x2048", "NN:256x784x512", "TN:784x256x512", "NT:256x512x784"})
    public String shape;

    /** Thread budget of the implementations that can use threads. */
    @Param({"1", "2"})
    public int threads;

    private GemmShape s;
    private float[] a;
    private float[] b;
    private float[] c;

    private FMatrixRMaj ejmlA;
    private FMatrixRMaj ejmlB;
    private FMatrixRMaj ejmlC;

    private NativeBlas openBlas;
    private BLAS netlib;

    private MatrixStore<Double> ojLeft;
    private MatrixStore<Double> ojRight;
    private R032Store ojC;

    /**
     * Builds the operands for the benchmark JMH is about to run (only that one's: the largest shape needs 48 MB per
     * copy), sets the thread budget, and checks that implementation against the reference.
     *
     * @throws IllegalStateException if the implementation disagrees with the reference, or the reference is asked
     *                               for a shape above {@link #REFERENCE_MAX_FLOPS}
     */
    @Setup(Level.Trial)
    public void setup(BenchmarkParams params) {
        s = GemmShape.parse(shape);
        String bench = params.getBenchmark();
        String method = bench.substring(bench.lastIndexOf('.') + 1);
        SplittableRandom rnd = new SplittableRandom(0x5eed_9e33L);
        a = random(rnd, s.aLength());
        b = random(rnd, s.bLength());
        c = new float[Math.multiplyExact(s.m(), s.n())];
        Parallelism.setThreads(threads);
        switch (method) {
            case "simdgrad" -> simdgrad();
            case "reference" -> {
                if (s.flops() > REFERENCE_MAX_FLOPS) {
                    throw new IllegalStateException("reference is not timed above " + REFERENCE_MAX_FLOPS
                            + " flops (it would take minutes per call); " + s + " has " + s.flops());
                }
                reference();
            }
            case "ejml" -> {
                EjmlConcurrency.setMaxThreads(threads);
                ejmlA = FMatrixRMaj.wrap(s.transA() ? s.k() : s.m(), s.lda(), a);
                ejmlB = FMatrixRMaj.wrap(s.transB() ? s.n() : s.k(), s.ldb(), b);
                ejmlC = FMatrixRMaj.wrap(s.m(), s.n(), c);
                ejml();
            }
            case "ojalgo" -> {
                OjAlgoUtils.limitThreadsTo(threads);
                R032Store ojA = toOjAlgo(a, s.transA() ? s.k() : s.m(), s.lda());
                R032Store ojB = toOjAlgo(b, s.transB() ? s.n() : s.k(), s.ldb());
                ojLeft = s.transA() ? ojA.transpose() : ojA;
                ojRight = s.transB() ? ojB.transpose() : ojB;
                ojC = R032Store.FACTORY.make(s.m(), s.n());
                ojalgo();
                for (int i = 0; i < s.m(); i++) {
                    for (int j = 0; j < s.n(); j++) {
                        c[i * s.n() + j] = ojC.floatValue(i, j);
                    }
                }
            }
            case "openblas" -> {
                openBlas = NativeBlas.openBlas().orElseThrow(() -> new IllegalStateException(
                        NativeBlas.unavailableReason()));
                openBlas.setThreads(threads);
                openblas();
            }
            case "netlib" -> {
                if (threads != 1) {
                    throw new IllegalStateException("netlib-java's BLAS is single-threaded: timed at 1 thread only");
                }
                netlib = JavaBLAS.getInstance();
                netlib();
            }
            default -> throw new IllegalStateException("no setup for benchmark " + bench);
        }
        SgemmAgreement.check(method, s, a, b, c);
    }

    private static float[] random(SplittableRandom rnd, int length) {
        float[] x = new float[length];
        for (int i = 0; i < length; i++) {
            x[i] = (float) (rnd.nextDouble() * 2 - 1);
        }
        return x;
    }

    /** ojAlgo stores are column-major: copy element by element through its API rather than assume a layout. */
    private static R032Store toOjAlgo(float[] x, int rows, int cols) {
        R032Store st = R032Store.FACTORY.make(rows, cols);
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                st.set(i, j, x[i * cols + j]);
            }
        }
        return st;
    }

    /** simdgrad's {@link Sgemm#sgemm}, multi-threaded up to {@code threads}. */
    @Benchmark
    public void simdgrad() {
        Sgemm.sgemm(s.transA(), s.transB(), s.m(), s.n(), s.k(), 1f, a, 0, s.lda(), b, 0, s.ldb(), 0f, c, 0, s.n());
    }

    /** The scalar twin, {@link ReferenceSgemm#sgemm}: single-threaded whatever {@code threads} says. */
    @Benchmark
    public void reference() {
        ReferenceSgemm.sgemm(s.transA(), s.transB(), s.m(), s.n(), s.k(), 1f, a, 0, s.lda(), b, 0, s.ldb(),
                0f, c, 0, s.n());
    }

    /** EJML 0.44: {@code CommonOps_FDRM}, or {@code CommonOps_MT_FDRM} when {@code threads > 1}. */
    @Benchmark
    public void ejml() {
        if (threads > 1) {
            if (s.transA()) {
                CommonOps_MT_FDRM.multTransA(ejmlA, ejmlB, ejmlC);
            } else if (s.transB()) {
                CommonOps_MT_FDRM.multTransB(ejmlA, ejmlB, ejmlC);
            } else {
                CommonOps_MT_FDRM.mult(ejmlA, ejmlB, ejmlC);
            }
        } else if (s.transA()) {
            CommonOps_FDRM.multTransA(ejmlA, ejmlB, ejmlC);
        } else if (s.transB()) {
            CommonOps_FDRM.multTransB(ejmlA, ejmlB, ejmlC);
        } else {
            CommonOps_FDRM.mult(ejmlA, ejmlB, ejmlC);
        }
    }

    /** Native OpenBLAS {@code cblas_sgemm} (row-major), multi-threaded up to {@code threads}. */
    @Benchmark
    public void openblas() {
        openBlas.sgemm(s.transA(), s.transB(), s.m(), s.n(), s.k(), 1f, a, s.lda(), b, s.ldb(), 0f, c, s.n());
    }

    /**
     * netlib-java 3.0's {@code JavaBLAS.sgemm}, Fortran column-major: row-major C = op(A) op(B) is column-major
     * C^T = op(B)^T op(A)^T, i.e. the same arrays with the operands swapped.
     */
    @Benchmark
    public void netlib() {
        netlib.sgemm(s.transB() ? "T" : "N", s.transA() ? "T" : "N", s.n(), s.m(), s.k(), 1f, b, s.ldb(), a, s.lda(),
                0f, c, s.n());
    }

    /** ojAlgo 55: {@code R032Store.fillByMultiplying}, its threads limited to {@code threads}. */
    @Benchmark
    public void ojalgo() {
        ojC.fillByMultiplying(ojLeft, ojRight);
    }
}
