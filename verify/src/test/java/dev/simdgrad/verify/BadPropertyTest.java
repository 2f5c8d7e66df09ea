package dev.simdgrad.verify;

import dev.simdgrad.kernels.Parallelism;
import dev.simdgrad.kernels.Sgemm;
import dev.simdgrad.kernels.Simd;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A bad {@code simdgrad.threads} or {@code simdgrad.vector.bits} must not make the kernels unusable for the whole
 * JVM (an ExceptionInInitializerError, then NoClassDefFoundError on every later call): it is ignored with a warning
 * that names the property, the value and the allowed values, and the kernels run. Checked in child JVMs, since the
 * properties are read once, when the classes load.
 */
class BadPropertyTest {

    private static String run(String threads, String bits) throws Exception {
        return run(threads, bits, "1000");
    }

    private static String run(String threads, String bits, String spins) throws Exception {
        String java = ProcessHandle.current().info().command().orElseThrow();
        List<String> cmd = new ArrayList<>(List.of(java, "--add-modules", "jdk.incubator.vector",
                "-D" + Parallelism.THREADS_PROPERTY + "=" + threads, "-Dsimdgrad.vector.bits=" + bits,
                "-D" + Parallelism.SPINS_PROPERTY + "=" + spins,
                "-cp", System.getProperty("java.class.path"), Child.class.getName()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        return out;
    }

    @Test
    void badValuesAreIgnoredWithAWarningAndTheKernelsRun() throws Exception {
        String out = run("abc", "300", "lots");
        assertTrue(out.contains("simdgrad.pool.spins=lots is not an integer >= 0; using the default"), out);
        assertTrue(out.contains("ignoring simdgrad.threads=abc: not an integer in 1..1024; using the"), out);
        assertTrue(out.contains("simdgrad.vector.bits=300 ignored (not one of 0, 128, 256, 512)"), out);
        assertTrue(out.contains("threads=available"), out);
        assertTrue(out.contains("reason ends=simdgrad.vector.bits=300 ignored"), "Simd.reason() says so: " + out);
        assertTrue(out.contains("calls=ok ok ok"), out);

        out = run("0", " 2O ");
        assertTrue(out.contains("ignoring simdgrad.threads=0: not an integer in 1..1024"), out);
        assertTrue(out.contains("simdgrad.vector.bits= 2O  ignored (not one of 0, 128, 256, 512)"), out);
        assertTrue(out.contains("calls=ok ok ok"), out);
    }

    @Test
    void goodValuesAreUsedWithoutAWarning() throws Exception {
        String out = run(" 3 ", "0");
        assertTrue(out.contains("threads=3 "), out);
        assertTrue(out.contains("bits=0 "), out);
        assertTrue(!out.contains("ignor"), out);   // (the JVM itself warns about the incubator module)
        assertTrue(out.contains("calls=ok ok ok"), out);
    }

    /** The child: reports the settings and calls a kernel twice (the second call failed when the class was dead). */
    public static final class Child {
        public static void main(String[] args) {
            int available = Math.min(1024, Runtime.getRuntime().availableProcessors());
            int t = Parallelism.threads();
            System.out.println("threads=" + (t == available ? "available" : String.valueOf(t)) + " bits="
                    + Simd.vectorBits() + " reason ends=" + Simd.reason().substring(Math.max(0,
                    Simd.reason().lastIndexOf("; ") + 2)));
            StringBuilder calls = new StringBuilder("calls=");
            for (int rep = 0; rep < 2; rep++) {
                float[] a = {1, 2, 3, 4}, b = {5, 6, 7, 8}, c = new float[4];
                Sgemm.sgemm(false, false, 2, 2, 2, 1f, a, 0, 2, b, 0, 2, 0f, c, 0, 2);
                calls.append(c[0] == 19 && c[1] == 22 && c[2] == 43 && c[3] == 50 ? "ok " : "WRONG ");
            }
            // A product large enough to split over two threads loads the worker pool (and its spin property).
            Parallelism.setThreads(2);
            int n = 256;
            float[] a = new float[n * n], b = new float[n * n], c = new float[n * n];
            java.util.Arrays.fill(a, 1f);
            java.util.Arrays.fill(b, 2f);
            Sgemm.sgemm(false, false, n, n, n, 1f, a, 0, n, b, 0, n, 0f, c, 0, n);
            calls.append(c[n * n - 1] == 2f * n ? "ok" : "WRONG");
            System.out.println(calls.toString().trim());
        }
    }
}
