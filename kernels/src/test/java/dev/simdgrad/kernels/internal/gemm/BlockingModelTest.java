package dev.simdgrad.kernels.internal.gemm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.simdgrad.kernels.SgemmBlocking;
import dev.simdgrad.kernels.internal.CpuCaches;
import dev.simdgrad.kernels.internal.CpuCaches.Level;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the blocking model chooses for the caches of the machines we know, worked out by hand from the formulas in
 * {@link BlockingModel}'s Javadoc, and how the system properties override it.
 */
class BlockingModelTest {
    /** The Xeon of the 2026-11-22 baseline (Sapphire Rapids class, KVM guest): 48 KiB 12-way L1d, 2 MiB 16-way L2. */
    static final CpuCaches XEON = new CpuCaches(new Level(48 << 10, 12, 64, 1), new Level(2 << 20, 16, 64, 1),
            new Level(105 << 20, 15, 64, 2), "Xeon");
    /** AMD EPYC Zen 4 (Genoa): 32 KiB 8-way L1d, 1 MiB 8-way L2, 32 MiB 16-way L3 per CCD. */
    static final CpuCaches ZEN4 = new CpuCaches(new Level(32 << 10, 8, 64, 1), new Level(1 << 20, 8, 64, 1),
            new Level(32 << 20, 16, 64, 2), "Zen 4");

    @Test
    void onTheXeonTheModelGivesTheHandTunedDepthAtTheAvx512Tile() {
        // L1: A takes floor(11 / (1 + 32/12)) = 3 ways of 4 KiB, KC = 3 * 4096 / (12 * 4) = 256 (the hand-tuned
        // KC of earlier versions). L2: B's micro-panel (256 x 32 floats, 32 KiB) takes one 128 KiB way, one way is
        // left, A takes 14: MC = 14 * 131072 / (256 * 4) = 1792, rounded down to 149 * 12 = 1788.
        SgemmBlocking b = BlockingModel.derive(XEON, 12, 32);
        assertEquals(256, b.kc());
        assertEquals(1788, b.mc());
        assertEquals(BlockingModel.NC_MAX, b.nc());
        // 256-bit tile 6 x 16: the same ratio NR/MR, half the rows: twice the depth.
        SgemmBlocking b256 = BlockingModel.derive(XEON, 6, 16);
        assertEquals(512, b256.kc());
        // L2: 512 x 16 floats = 32 KiB, one way; MC = 14 * 131072 / (512 * 4) = 896, rounded down to 149 * 6.
        assertEquals(894, b256.mc());
    }

    @Test
    void onZen4TheShallowL1DepthIsRaisedToTheFloor() {
        // L1: floor(7 / 3.67) = 1 way of 4 KiB: KC = 4096 / 48 = 85, rounded down to the unroll 4: 84, below
        // KC_FLOOR = 256 (four 32 KiB micro-panels fit the 1 MiB L2 many times over), so 256.
        // L2: 256 x 32 floats (32 KiB) take one of eight 128 KiB ways, A takes 6: MC = 6 * 131072 / 1024 = 768.
        // L3: a 2 MiB way shared by 2 CPUs is 1 MiB; A's 768 KiB take one way, B 14: NC = min(4096, 14336).
        SgemmBlocking b = BlockingModel.derive(ZEN4, 12, 32);
        assertEquals(256, b.kc());
        assertEquals(768, b.mc());
        assertEquals(BlockingModel.NC_MAX, b.nc());
        // 256-bit tile 6 x 16: the L1 rule gives 4096 / 24 = 170 -> 168, raised to 256 too; MC 768 (a multiple of 6).
        SgemmBlocking b256 = BlockingModel.derive(ZEN4, 6, 16);
        assertEquals(256, b256.kc());
        assertEquals(768, b256.mc());
    }

    @Test
    void theFallbackCachesGiveBlocksThatFitThem() {
        SgemmBlocking b = BlockingModel.derive(CpuCaches.FALLBACK, 12, 32);
        CpuCaches.Level l2 = CpuCaches.FALLBACK.l2();
        // KC at the floor: the B micro-panel (32 KiB) streams from L2, where it fits beside the A block.
        assertEquals(BlockingModel.KC_FLOOR, b.kc());
        assertTrue((long) b.mc() * b.kc() * 4 + (long) b.kc() * 32 * 4 <= l2.bytes(), b::toString);
        assertEquals(0, b.mc() % 12);
        assertEquals(0, b.nc() % 32);
    }

    @Test
    void aTinyCacheStillGivesUsableBlocks() {
        // L1: one 1 KiB way would give KC = 20; KC_FLOOR is capped at a quarter of L2 over a micro-panel's row
        // (16384 / 4 / 128 = 32), and the floor KC_MIN = 32 holds. L2: no way is left for A, one is taken
        // anyway: MC = 8192 / 128 = 64, rounded down to 60. L3: a 32 KiB way shared by 4 CPUs: NC = 8192 / 128 = 64.
        CpuCaches tiny = new CpuCaches(new Level(2 << 10, 2, 64, 1), new Level(16 << 10, 2, 64, 1),
                new Level(64 << 10, 2, 64, 4), "tiny");
        SgemmBlocking b = BlockingModel.derive(tiny, 12, 32);
        assertEquals(BlockingModel.KC_MIN, b.kc());
        assertEquals(60, b.mc());
        assertEquals(64, b.nc());
    }

    @Test
    void propertiesOverrideEachSizeAndBadValuesAreIgnoredWithAWarning() {
        SgemmBlocking model = BlockingModel.derive(XEON, 12, 32);
        List<String> warnings = new ArrayList<>();
        assertSame(model, BlockingModel.withOverrides(model, 12, 32, p -> null, warnings::add));
        Map<String, String> props = Map.of(SgemmBlocking.KC_PROPERTY, " 128 ", SgemmBlocking.MC_PROPERTY, "241",
                SgemmBlocking.NC_PROPERTY, "lots");
        SgemmBlocking b = BlockingModel.withOverrides(model, 12, 32, props::get, warnings::add);
        assertEquals(128, b.kc());
        assertEquals(252, b.mc()); // rounded up to a multiple of MR
        assertEquals(model.nc(), b.nc());
        assertEquals(List.of("simdgrad.gemm.nc=lots ignored (not an integer in 1..1048576); using 4096"), warnings);
        assertTrue(b.source().startsWith("KC 128, MC 252 from system properties; KC 256, MC 1788"), b.source());
        warnings.clear();
        SgemmBlocking same = BlockingModel.withOverrides(model, 12, 32,
                Map.of(SgemmBlocking.KC_PROPERTY, "2", SgemmBlocking.MC_PROPERTY, "0")::get, warnings::add);
        assertSame(model, same);
        assertEquals(2, warnings.size(), warnings::toString);
    }

    @Test
    void aTuningFileForThisMachineReplacesTheModelAndAnyOtherIsIgnoredWithAWarning(@TempDir Path dir)
            throws IOException {
        SgemmBlocking model = BlockingModel.derive(XEON, 12, 32);
        List<String> warnings = new ArrayList<>();
        Path file = dir.resolve("sgemm-blocking.properties");
        Files.writeString(file, "# simdgrad tune\ncaches=" + XEON.signature() + "\ntile=12x32\nkc=192\nmc=250\nnc=3000\n");
        SgemmBlocking tuned = BlockingModel.withTuning(model, XEON, 12, 32, file, warnings::add);
        assertEquals(List.of(), warnings);
        assertEquals(192, tuned.kc());
        assertEquals(252, tuned.mc()); // rounded up to a multiple of MR, as the properties are
        assertEquals(3008, tuned.nc());
        assertTrue(tuned.source().startsWith("tuned by ./simdgrad tune (" + file + ")"), tuned.source());
        // The properties still override a tuned size.
        SgemmBlocking both = BlockingModel.withOverrides(tuned, 12, 32,
                java.util.Map.of(SgemmBlocking.KC_PROPERTY, "64")::get, warnings::add);
        assertEquals(64, both.kc());
        assertEquals(252, both.mc());

        assertSame(model, BlockingModel.withTuning(model, ZEN4, 12, 32, file, warnings::add));
        assertTrue(warnings.getLast().contains("ignored (tuned for " + XEON.signature()), warnings::toString);
        assertSame(model, BlockingModel.withTuning(model, XEON, 6, 16, file, warnings::add));
        assertTrue(warnings.getLast().contains("tile 12x32; this machine has"), warnings::toString);
        Files.writeString(file, "caches=" + XEON.signature() + "\ntile=12x32\nkc=2\nmc=250\nnc=3000\n");
        assertSame(model, BlockingModel.withTuning(model, XEON, 12, 32, file, warnings::add));
        assertTrue(warnings.getLast().contains("out of range"), warnings::toString);
        assertSame(model, BlockingModel.withTuning(model, XEON, 12, 32, dir.resolve("absent"), warnings::add));
        assertTrue(warnings.getLast().contains("unreadable"), warnings::toString);
        assertEquals(4, warnings.size());
    }
}
