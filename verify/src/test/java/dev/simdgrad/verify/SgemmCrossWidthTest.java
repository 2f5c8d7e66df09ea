package dev.simdgrad.verify;

import dev.simdgrad.kernels.Simd;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.zip.CRC32;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SGEMM gives the same bits at every width: scalar (0), 128, 256 and 512 bits, each in its own JVM (the width is
 * fixed when the kernels load), on the same {@value #CASES} random cases plus hand-picked ones (small products with a
 * depth above 256, which take the unpacked path; narrow products, which 512 bits computes as C^T; several depth
 * blocks; every transpose, alpha and beta, offsets and padding, and the value classes of {@link SgemmCase.Values}).
 * Every element is the same depth-ordered FMA chain over the same depth blocks whatever the tile shape, so any
 * difference is a kernel that rounds differently.
 *
 * <p>Runs once, in the suite's default-width JVM: it starts its own JVM per width.
 */
class SgemmCrossWidthTest {
    private static final int CASES = 150;
    private static final int[] WIDTHS = {0, 128, 256, 512};

    @Test
    void everyWidthGivesTheSameBits() throws Exception {
        String forced = System.getProperty("simdgrad.vector.bits");
        Assumptions.assumeTrue(forced == null || forced.isBlank(), "runs in the default-width execution only");
        Map<Integer, Map<String, String>> byWidth = new LinkedHashMap<>();
        Map<Integer, String> used = new LinkedHashMap<>();
        for (int w : WIDTHS) {
            String out = child(w);
            Map<String, String> hashes = new LinkedHashMap<>();
            for (String line : out.lines().toList()) {
                if (line.startsWith("case ")) {
                    int tab = line.indexOf('\t');
                    hashes.put(line.substring(5, tab), line.substring(tab + 1));
                } else if (line.startsWith("width ")) {
                    used.put(w, line.substring(6));
                }
            }
            assertEquals(CASES + hand().size(), hashes.size(), "width " + w + ":\n" + out);
            byWidth.put(w, hashes);
        }
        assertTrue(used.get(0).startsWith("0 "), "width 0 runs scalar: " + used);
        int preferred = Simd.preferredBits();
        for (int w : WIDTHS) {
            if (w > 0 && Simd.isVectorized()) {
                assertTrue(used.get(w).startsWith(Math.min(w, preferred) + " "), "width " + w + ": " + used);
            }
        }
        Map<String, String> scalar = byWidth.get(0);
        List<String> differ = new ArrayList<>();
        for (int w : WIDTHS) {
            for (var e : byWidth.get(w).entrySet()) {
                if (!e.getValue().equals(scalar.get(e.getKey()))) {
                    differ.add("width " + w + " vs 0: " + e.getKey());
                }
            }
        }
        assertTrue(differ.isEmpty(), differ.size() + " cases differ in their bits:\n" + String.join("\n",
                differ.subList(0, Math.min(20, differ.size()))) + "\nwidths used: " + used);
    }

    private static String child(int bits) throws Exception {
        String java = ProcessHandle.current().info().command().orElseThrow();
        List<String> cmd = List.of(java, "--add-modules", "jdk.incubator.vector", "-Dsimdgrad.vector.bits=" + bits,
                "-cp", System.getProperty("java.class.path"), Child.class.getName());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), "width " + bits + ":\n" + out);
        return out;
    }

    /**
     * Hand-picked shapes: the unpacked small path with depth above 256 (n a multiple of 16; with other n such shapes
     * pack), one and several depth blocks, wide and tall, and A read in place.
     */
    static List<SgemmCase> hand() {
        List<SgemmCase> cases = new ArrayList<>();
        int[][] shapes = {{1, 1, 1000}, {3, 5, 700}, {7, 9, 513}, {4, 33, 300}, {1, 17, 2000}, {129, 200, 700},
            {37, 61, 257}, {96, 64, 512}, {13, 300, 40}, {300, 13, 9},
            {64, 96, 784}, {25, 97, 300}, {13, 48, 513},   // A transposed read in place, A as stored packed
            {1, 16, 1000}, {3, 32, 600}, {2, 48, 1000},    // the small path (n a multiple of 16) with depth above 256
            {128, 10, 784}, {97, 7, 513}, {300, 1, 257}};  // narrow C computed as C^T at 512 (and 256) bits
        long seed = 100;
        for (int[] s : shapes) {
            for (int t = 0; t < 4; t++) {
                SgemmCase c = SgemmCase.dense((t & 1) != 0, (t & 2) != 0, s[0], s[1], s[2], t == 3 ? -0.5f : 1f,
                        t == 2 ? 0.75f : 0f, seed++);
                cases.add(new SgemmCase(c.transA(), c.transB(), c.m(), c.n(), c.k(), c.alpha(), c.beta(), 1, t, 2, 1,
                        3, t, 1, SgemmCase.Values.values()[t], c.seed()));
            }
        }
        return cases;
    }

    /** {@value #CASES} random cases from a fixed seed: the same list in every child. */
    static List<SgemmCase> random() {
        int[] sizes = {1, 2, 3, 5, 7, 8, 9, 13, 15, 16, 17, 31, 32, 33, 47, 63, 65, 97, 129, 200};
        int[] depths = {1, 2, 3, 4, 5, 17, 64, 255, 256, 257, 300, 513, 700};
        float[] alphas = {1f, -0.5f, 3f};
        float[] betas = {0f, 1f, 0.75f};
        SplittableRandom r = new SplittableRandom(20261202);
        List<SgemmCase> cases = new ArrayList<>();
        for (int i = 0; i < CASES; i++) {
            cases.add(new SgemmCase(r.nextBoolean(), r.nextBoolean(), sizes[r.nextInt(sizes.length)],
                    sizes[r.nextInt(sizes.length)], depths[r.nextInt(depths.length)], alphas[r.nextInt(3)],
                    betas[r.nextInt(3)], r.nextInt(3), r.nextInt(3), r.nextInt(3), r.nextInt(3), r.nextInt(3),
                    r.nextInt(3), r.nextInt(2), SgemmCase.Values.values()[r.nextInt(4)], r.nextLong()));
        }
        return cases;
    }

    /** The child: prints its width, then a CRC-32 of the raw bits of C (whole array, padding included) per case. */
    public static final class Child {
        public static void main(String[] args) {
            System.out.println("width " + Simd.vectorBits() + " " + Simd.describe());
            List<SgemmCase> cases = new ArrayList<>(random());
            cases.addAll(hand());
            for (SgemmCase c : cases) {
                float[] a = c.a(), b = c.b(), out = c.c();
                c.runSgemm(a, b, out);
                CRC32 crc = new CRC32();
                for (float v : out) {
                    int bitsOf = Float.floatToRawIntBits(v);
                    crc.update(new byte[] {(byte) (bitsOf >>> 24), (byte) (bitsOf >>> 16), (byte) (bitsOf >>> 8),
                        (byte) bitsOf});
                }
                System.out.println("case " + c + "\t" + Long.toHexString(crc.getValue()));
            }
        }
    }
}
