package dev.simdgrad.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.simdgrad.kernels.Simd;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * SGEMM under the blocking another machine derives (see {@code BlockingModel}), forced here by the system properties,
 * each in its own JVM: the Xeon's for the 256-bit 6 x 16 tile (KC 512, MC 896, NC 4092; multiples of every tile's
 * NR and MR, as forced sizes are rounded to), the model's fallback caches' for the 12 x 32 tile (KC 256, MC 384,
 * NC 1536), the L1 rule's depth on the Zen 4 before the floor (KC 160, MC 1216), and a deliberately small one (KC 98,
 * MC 64, NC 96: many blocks of every loop, KC not a multiple of the unroll). Each child checks the block-edge and
 * thread-determinism cases at its own sizes against the reference bound, and the scalar and 512-bit kernels must still agree bit for bit under the foreign KC. So the
 * sizes a machine we cannot measure on derives are tested on this one.
 *
 * <p>Runs once, in the suite's default-width JVM: it starts its own JVMs.
 */
class SgemmForeignBlockingTest {

    @ParameterizedTest
    @ValueSource(strings = {"512/896/4092", "256/384/1536", "160/1216/4092", "98/64/96"})
    void blockEdgesThreadsAndWidthsHoldUnderAnotherMachinesBlocking(String kcMcNc) throws Exception {
        String forced = System.getProperty("simdgrad.vector.bits");
        Assumptions.assumeTrue(forced == null || forced.isBlank(), "runs in the default-width execution only");
        String[] s = kcMcNc.split("/");
        String checks = child(s, null, Checks.class);
        assertTrue(checks.contains("KC/MC/NC " + kcMcNc), checks);
        assertTrue(checks.lines().anyMatch(l -> l.startsWith("ok ")), checks);
        assertTrue(checks.lines().noneMatch(l -> l.startsWith("fail ")), checks);
        List<String> scalar = hashes(child(s, "0", SgemmCrossWidthTest.Child.class));
        List<String> vector = hashes(child(s, "512", SgemmCrossWidthTest.Child.class));
        assertEquals(scalar.size(), vector.size());
        List<String> differ = new ArrayList<>();
        for (int i = 0; i < scalar.size(); i++) {
            if (!scalar.get(i).equals(vector.get(i))) {
                differ.add(scalar.get(i) + " vs " + vector.get(i));
            }
        }
        assertTrue(differ.isEmpty(), differ.size() + " cases differ between scalar and 512 bits under KC/MC/NC "
                + kcMcNc + ":\n" + String.join("\n", differ.subList(0, Math.min(10, differ.size()))));
    }

    /**
     * A tuning file ({@code ./simdgrad tune}) for this machine's caches and tile is read when named, and its sizes
     * are the ones SGEMM runs with; one recorded for other caches is ignored with a warning.
     */
    @Test
    void aTuningFileForThisMachineIsUsedAndOneForAnotherIsIgnored(@TempDir Path dir) throws Exception {
        String forced = System.getProperty("simdgrad.vector.bits");
        Assumptions.assumeTrue(forced == null || forced.isBlank(), "runs in the default-width execution only");
        var now = Simd.sgemmBlocking();
        Path mine = Files.writeString(dir.resolve("mine.properties"),
                "caches=" + now.caches() + "\ntile=" + now.tile() + "\nkc=84\nmc=600\nnc=512\n");
        String used = tuned(mine);
        assertTrue(used.contains("tuned by ./simdgrad tune (" + mine + ")"), used);
        assertTrue(used.lines().anyMatch(l -> l.startsWith("ok ")), used);
        assertTrue(used.lines().noneMatch(l -> l.startsWith("fail ")), used);
        Path other = Files.writeString(dir.resolve("other.properties"),
                "caches=L1d 32 KiB 8-way, L2 1 MiB 8-way, L3 32 MiB 16-way\ntile=" + now.tile()
                        + "\nkc=84\nmc=600\nnc=512\n");
        String ignored = tuned(other);
        assertTrue(ignored.contains("KC/MC/NC " + now.kc() + "/" + now.mc() + "/" + now.nc()), ignored);
        assertTrue(ignored.contains("simdgrad.gemm.tuning=" + other + " ignored (tuned for L1d 32 KiB"), ignored);
    }

    private static String tuned(Path file) throws Exception {
        return child(List.of("-Dsimdgrad.gemm.tuning=" + file), Checks.class);
    }

    private static List<String> hashes(String out) {
        return out.lines().filter(l -> l.startsWith("case ")).toList();
    }

    private static String child(String[] kcMcNc, String bits, Class<?> main) throws Exception {
        List<String> props = new ArrayList<>(List.of("-Dsimdgrad.gemm.kc=" + kcMcNc[0],
                "-Dsimdgrad.gemm.mc=" + kcMcNc[1], "-Dsimdgrad.gemm.nc=" + kcMcNc[2]));
        if (bits != null) {
            props.add("-Dsimdgrad.vector.bits=" + bits);
        }
        return child(props, main);
    }

    /** Runs {@code main} in a JVM with the Vector API, this class path and {@code props}; requires exit 0. */
    private static String child(List<String> props, Class<?> main) throws Exception {
        String java = ProcessHandle.current().info().command().orElseThrow();
        List<String> cmd = new ArrayList<>(List.of(java, "--add-modules", "jdk.incubator.vector"));
        cmd.addAll(props);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), main.getName()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), String.join(" ", cmd) + ":\n" + out);
        return out;
    }

    /** The child: the block-edge cases within the bound, and 1..4 threads bit for bit; prints "fail" lines. */
    public static final class Checks {
        public static void main(String[] args) {
            System.out.println(Simd.describe());
            System.out.println(Simd.sgemmBlocking());
            int ok = 0;
            List<String> failures = new ArrayList<>();
            for (SgemmCase sc : SgemmBlockEdgesTest.cases()) {
                float[] a = sc.a(), b = sc.b(), before = sc.c(), c = before.clone();
                sc.runSgemm(a, b, c);
                try {
                    SgemmOracle.check(sc, a, b, before, c);
                    ok++;
                } catch (AssertionError e) {
                    failures.add("fail " + sc + ": " + e.getMessage());
                }
            }
            for (SgemmCase sc : SgemmThreadDeterminismTest.cases()) {
                try {
                    SgemmThreadDeterminismTest.checkOneToFourThreads(sc);
                    ok++;
                } catch (AssertionError e) {
                    failures.add("fail " + sc + ": " + e.getMessage());
                }
            }
            failures.forEach(System.out::println);
            System.out.println("ok " + ok);
        }
    }
}
