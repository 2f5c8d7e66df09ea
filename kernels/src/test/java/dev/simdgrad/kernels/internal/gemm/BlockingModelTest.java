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
    void onTheXeonTheL1DepthIsRaisedToTheFloorAtTheAvx512Tile() {
        // L1: the streamed B micro-panels take floor(11 / (1 + 12/32)) = 8 ways of 4 KiB, KC = 8 * 4096 / (32 * 4)
        // = 256 (the depth hand-tuned there in the loop order before session 13), raised to KC_FLOOR = 512 (the
        // 2 MiB L2 holds four 64 KiB micro-panels). L2: A's micro-panel (12 x 512 floats, 24 KiB) takes one
        // 128 KiB way, one way is left, 14 would remain but B takes at most 16 / 2 - 1 = 7: MC = 7 * 131072 /
        // (512 * 4) = 448 = 14 * 32. L3: a 7 MiB way shared by 2 is 3.5 MiB; B's 1.75 MiB take one, A 13:
        // NC = min(4096, ...) = 4096, rounded down to 341 * 12 = 4092.
        SgemmBlocking b = BlockingModel.derive(XEON, 12, 32);
        assertEquals(512, b.kc());
        assertEquals(448, b.mc());
        assertEquals(4092, b.nc());
        // 256-bit tile 6 x 16: the same ratio MR/NR, half the columns: the L1 rule gives twice the depth, 512.
        SgemmBlocking b256 = BlockingModel.derive(XEON, 6, 16);
        assertEquals(512, b256.kc());
        // L2: 6 x 512 floats = 12 KiB, one way; B 7 ways: MC = 7 * 131072 / (512 * 4) = 448 = 28 * 16.
        assertEquals(448, b256.mc());
        assertEquals(4092, b256.nc());
    }

    @Test
    void onZen4TheShallowL1DepthIsRaisedToTheFloor() {
        // L1: floor(7 / 1.375) = 5 ways of 4 KiB for the streamed B micro-panels: KC = 5 * 4096 / 128 = 160,
        // below KC_FLOOR = 512 (four 64 KiB micro-panels fit the 1 MiB L2), so 512.
        // L2: 12 x 512 floats (24 KiB) take one of eight 128 KiB ways, one is left, 6 would remain but B takes at
        // most 8 / 2 - 1 = 3: MC = 3 * 131072 / 2048 = 192. L3: a 2 MiB way shared by 2 CPUs is 1 MiB; B's 384 KiB
        // take one way, A 14: NC = min(4096, 7168) -> 4092.
        SgemmBlocking b = BlockingModel.derive(ZEN4, 12, 32);
        assertEquals(512, b.kc());
        assertEquals(192, b.mc());
        assertEquals(4092, b.nc());
        // 256-bit tile 6 x 16: the L1 rule gives 5 * 4096 / 64 = 320, raised to the floor as well; MC = 3 * 131072 /
        // 2048 = 192 = 12 * 16.
        SgemmBlocking b256 = BlockingModel.derive(ZEN4, 6, 16);
        assertEquals(512, b256.kc());
        assertEquals(192, b256.mc());
    }

    @Test
    void theFallbackCachesGiveBlocksThatFitThem() {
        SgemmBlocking b = BlockingModel.derive(CpuCaches.FALLBACK, 12, 32);
        CpuCaches.Level l2 = CpuCaches.FALLBACK.l2();
        // The B block and one A micro-panel fit L2 together.
        assertTrue(b.kc() >= BlockingModel.KC_FLOOR, b::toString);
        assertTrue((long) b.mc() * b.kc() * 4 + (long) b.kc() * 12 * 4 <= l2.bytes(), b::toString);
        assertEquals(0, b.mc() % 32);
        assertEquals(0, b.nc() % 12);
    }

    @Test
    void aTinyCacheStillGivesUsableBlocks() {
        // L1: one 1 KiB way would give KC = 8; KC_FLOOR is capped at a quarter of L2 over a micro-panel's row
        // (16384 / 4 / 128 = 32), and the floor KC_MIN = 32 holds. L2: no way is left for B, one is taken
        // anyway: MC = 8192 / 128 = 64. L3: a 32 KiB way shared by 4 CPUs: NC = 8192 / 128 = 64, rounded down to 60.
        CpuCaches tiny = new CpuCaches(new Level(2 << 10, 2, 64, 1), new Level(16 << 10, 2, 64, 1),
                new Level(64 << 10, 2, 64, 4), "tiny");
        SgemmBlocking b = BlockingModel.derive(tiny, 12, 32);
        assertEquals(BlockingModel.KC_MIN, b.kc());
        assertEquals(64, b.mc());
        assertEquals(60, b.nc());
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
        assertEquals(256, b.mc()); // rounded up to a multiple of NR
        assertEquals(model.nc(), b.nc());
        assertEquals(List.of("simdgrad.gemm.nc=lots ignored (not an integer in 1..1048576); using 4092"), warnings);
        assertTrue(b.source().startsWith("KC 128, MC 256 from system properties; KC 512, MC 448"), b.source());
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
        assertEquals(256, tuned.mc()); // rounded up to a multiple of NR, as the properties are
        assertEquals(3000, tuned.nc());
        assertTrue(tuned.source().startsWith("tuned by ./simdgrad tune (" + file + ")"), tuned.source());
        // The properties still override a tuned size.
        SgemmBlocking both = BlockingModel.withOverrides(tuned, 12, 32,
                java.util.Map.of(SgemmBlocking.KC_PROPERTY, "64")::get, warnings::add);
        assertEquals(64, both.kc());
        assertEquals(256, both.mc());

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
