package dev.simdgrad.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.simdgrad.kernels.Sgemm;
import dev.simdgrad.kernels.Simd;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * A JVM started without {@code --add-modules jdk.incubator.vector} must still compute correct results, on the scalar
 * path, and say once how to enable SIMD. Checked in a child JVM, since the module graph is fixed at start-up and
 * this test JVM has the module.
 */
class ScalarFallbackTest {

    @Test
    void withoutTheVectorModuleTheKernelsRunScalarAndSayHowToEnableSimd() throws Exception {
        String java = ProcessHandle.current().info().command().orElseThrow();
        List<String> cmd = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path")));
        cmd.add(Child.class.getName());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        assertTrue(out.contains("path=scalar"), out);
        assertTrue(out.contains("add --add-modules jdk.incubator.vector"), "the hint to enable SIMD:\n" + out);
        assertTrue(out.contains("result=ok"), out);
    }

    /**
     * Without hardware FMA the vector path is never used and the scalar kernel multiplies and adds separately
     * ({@code Math.fma} would be emulated in software): still within the bound.
     */
    @Test
    void withoutFmaTheScalarKernelRunsWithinTheBound() throws Exception {
        String java = ProcessHandle.current().info().command().orElseThrow();
        List<String> cmd = new ArrayList<>(List.of(java, "-XX:-UseFMA", "--add-modules", "jdk.incubator.vector",
                "-cp", System.getProperty("java.class.path")));
        cmd.add(Child.class.getName());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        assertTrue(out.contains("path=scalar") && out.contains("no FMA"), out);
        assertTrue(out.contains("result=ok"), out);
    }

    /** The child: reports its path and checks one product against the reference. */
    public static final class Child {
        public static void main(String[] args) {
            System.out.println("path=" + (Simd.isVectorized() ? "vector" : "scalar") + " reason=" + Simd.reason());
            int m = 37, n = 29, k = 41;
            SplittableRandom rnd = new SplittableRandom(3);
            float[] a = new float[m * k], b = new float[k * n], c = new float[m * n], ref = new float[m * n];
            for (int i = 0; i < a.length; i++) {
                a[i] = (float) rnd.nextDouble(-1, 1);
            }
            for (int i = 0; i < b.length; i++) {
                b[i] = (float) rnd.nextDouble(-1, 1);
            }
            Sgemm.sgemm(false, false, m, n, k, 1f, a, 0, k, b, 0, n, 0f, c, 0, n);
            ReferenceSgemm.sgemm(false, false, m, n, k, 1f, a, 0, k, b, 0, n, 0f, ref, 0, n);
            double[] mag = new double[m * n];
            ReferenceSgemm.magnitude(false, false, m, n, k, 1f, a, 0, k, b, 0, n, 0f, ref, 0, n, mag);
            boolean ok = true;
            for (int i = 0; i < m * n; i++) {
                ok &= Math.abs(c[i] - ref[i]) <= ErrorBounds.sgemm(k, mag[i]) + Math.ulp(ref[i]) / 2;
            }
            System.out.println("result=" + (ok ? "ok" : "WRONG"));
        }
    }
}
