package dev.simdgrad.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.simdgrad.kernels.Simd;
import org.junit.jupiter.api.Test;

/**
 * The kernels run at the width this JVM was asked for: every other test in this module is only as meaningful as
 * the path it exercised. Surefire runs the suite once per {@code simdgrad.vector.bits} (unset, 0, 128, 256, 512) and
 * sets {@code simdgrad.expect.vector=true}, so a JVM that silently lost {@code jdk.incubator.vector} (and fell back
 * to scalar code that would pass every numeric test) fails here instead.
 */
class SimdProviderTest {

    @Test
    void runsTheRequestedWidth() {
        System.out.println("simdgrad verify: " + Simd.describe());
        String requested = System.getProperty("simdgrad.vector.bits");
        String tile = Simd.gemmTile();
        if (requested == null || requested.isBlank()) {
            assertEquals(Simd.preferredBits(), Simd.vectorBits(), Simd.describe());
        } else if (Integer.parseInt(requested.trim()) == 0) {
            assertEquals(0, Simd.vectorBits(), Simd.describe());
            assertFalse(Simd.isVectorized(), Simd.describe());
            assertEquals("4x4", tile, "the scalar kernel's tile");
        } else {
            int bits = Integer.parseInt(requested.trim());
            assertEquals(Math.min(bits, Simd.preferredBits()), Simd.vectorBits(), Simd.describe());
        }
        boolean expectVector = Boolean.parseBoolean(System.getProperty("simdgrad.expect.vector"));
        boolean scalarRequested = requested != null && !requested.isBlank() && Integer.parseInt(requested.trim()) == 0;
        if (expectVector && !scalarRequested) {
            assertTrue(Simd.isVectorized(), "simdgrad.expect.vector=true but the kernels run scalar: "
                    + Simd.describe());
        }
        if (Simd.isVectorized()) {
            // The tile documented for each width (Sgemm's Javadoc): a mismatch means the provider wired the wrong
            // micro-kernel to the width it reports.
            String expected = switch (Simd.vectorBits()) {
                case 128 -> "6x8";
                case 256 -> "6x16";
                case 512 -> "12x32";
                default -> "?";
            };
            assertEquals(expected, tile, Simd.describe());
        }
    }

    /**
     * The SGEMM blocking is the model's for the preferred width's tile whatever width this JVM forces (so every width
     * rounds the same way), unless a system property overrides it; KC changes the bits, so it must not follow the
     * forced width.
     */
    @Test
    void theBlockingFollowsThePreferredTileNotTheForcedWidth() {
        var blocking = Simd.sgemmBlocking();
        String preferredTile = switch (Simd.preferredBits()) {
            case 128 -> "6x8";
            case 256 -> "6x16";
            case 512 -> "12x32";
            default -> "4x4";
        };
        assertTrue(blocking.source().contains("model for the " + preferredTile + " tile on L1d"), blocking::toString);
        assertTrue(blocking.kc() >= 4 && blocking.mc() >= 1 && blocking.nc() >= 1, blocking::toString);
        if (System.getProperty("simdgrad.gemm.kc") == null && System.getProperty("simdgrad.gemm.mc") == null
                && System.getProperty("simdgrad.gemm.nc") == null) {
            assertFalse(blocking.source().contains("from system properties"), blocking::toString);
        }
        assertTrue(Simd.describe().contains("KC/MC/NC " + blocking.kc() + "/" + blocking.mc() + "/" + blocking.nc()),
                Simd.describe());
    }
}
