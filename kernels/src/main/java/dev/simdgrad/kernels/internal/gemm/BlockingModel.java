package dev.simdgrad.kernels.internal.gemm;

import dev.simdgrad.kernels.SgemmBlocking;
import dev.simdgrad.kernels.internal.CpuCaches;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * KC, MC and NC from the caches and the register tile, by the analytical model of Low, Igual, Smith and
 * Quintana-Orti (ACM TOMS 2016, section 5), in floats ({@code S = 4} bytes). A cache of W ways is W slices of
 * {@code wayBytes} each; with LRU replacement, data that must survive a stream of other data keeps its own ways.
 *
 * <p>{@link GemmDriver} runs BLIS's loops on the transposed (column-major) product, so the model's roles are BLIS's
 * with the tile transposed: BLIS's {@code m_r} (the streamed micro-panel, the vector dimension) is our NR columns
 * of B, its {@code n_r} (the micro-panel kept in L1, the broadcast dimension) our MR rows of A, its MC x KC block in
 * L2 our KC x MC block of B, its KC x NC block in L3 our NC x KC block of A.
 *
 * <ul>
 *   <li>L1: the MR x KC micro-panel of A is reused by every KC x NR micro-panel of B that streams past it. B takes
 *       {@code C_B = floor((W1 - 1) / (1 + MR/NR))} ways, A the proportionally smaller rest, one way is left for the
 *       C tile and other traffic; then {@code KC = C_B wayBytes1 / (NR S)}, rounded down to the micro-kernel's
 *       depth unroll (4); raised to {@link #KC_FLOOR} when it gives less (see there why).</li>
 *   <li>L2: the KC x MC block of B is reused by every A micro-panel; the micro-panel takes
 *       {@code ceil(KC MR S / wayBytes2)} ways, one way is left, B takes the remaining ways but at most
 *       {@link #L2_B_SHARE half} of them less one, {@code C_B2}: {@code MC = C_B2 wayBytes2 / (KC S)}, rounded down to
 *       a multiple of NR.</li>
 *   <li>L3: the NC x KC block of A is reused by every B block; the same reasoning on this core's share of L3
 *       (its capacity divided by the CPUs sharing it) gives NC, capped at {@link #NC_MAX} and rounded down to a
 *       multiple of MR.</li>
 * </ul>
 *
 * Worked by hand, the same formulas in doubles give MC = 96 for Sandy Bridge's 256 KiB 8-way L2 at KC = 256 and an
 * 8 x 4 tile, BLIS's hand-tuned value there; in floats they give KC = 256 at the 12 x 32 tile on the 48 KiB 12-way
 * L1d of the Xeon where the fixed sizes of earlier versions were tuned by hand ({@code BlockingModelTest}).
 */
public final class BlockingModel {
    /**
     * Largest NC (before rounding to MR). A B block is packed once per NC rows of A, so its cost is {@code 1/NC} of
     * the multiply-adds: 0.02 % at 4096. A larger NC only grows each worker's packed A buffer (NC x KC floats).
     */
    static final int NC_MAX = 4096;
    /** Smallest KC: below it the C tile's load and store per KC block costs more than 5 % of the multiply-adds. */
    static final int KC_MIN = 32;
    /**
     * The depth the L1 part of the model is raised to when it gives less (and the L2 holds four B micro-panels that
     * deep). A shallow block costs a pass over C per block: the tile's load, add and store every KC steps, from L3
     * or memory once C outgrows L2, while the micro-panels may stream from L2: per depth step the 12 x 32 tile reads
     * 176 bytes for 24 vector multiply-adds, 7 bytes per cycle at one 512-bit FMA per cycle, well within what L2
     * delivers; the B micro-panel (KC x NR, 64 KiB at 512 x 32) streams from L2 whatever its depth, and the A
     * micro-panel kept in L1 is 24 KiB at 512 x 12. Measured on the Zen 4 with the current loop order (2026-12-05,
     * session 19, 1 thread, {@code SgemmBenchmark.simdgrad} and {@code .openblas}, 1 fork x 4 iterations per launch,
     * the sizes by {@code -Dsimdgrad.gemm.kc} and {@code .mc}, launches alternated, ratio to OpenBLAS in the same
     * launch), KC 256 / MC 384 (the floor 256) against KC 512 / MC 192 (this floor; MC from the L2 rule): NN 1024^3
     * 1.02, 0.98, 0.98, 1.03 / 1.05, 1.03, 1.04, 1.08; NN 2048^3 0.97, 0.95, 0.97, 0.98 / 0.99, 1.01, 0.99, 1.00;
     * three launches each: NN 512^3 1.05, 1.01, 1.02 / 1.09, 1.09, 1.02; TN 784x256x512 1.05, 1.03, 1.07 / 1.08, 1.08,
     * 1.07; NT 256x512x784 1.02, 1.00, 1.04 / 1.06, 1.05, 1.06; NT 128x256x784 1.05, 1.07, 1.07 / 1.11, 1.08, 1.08;
     * NN 256x784x512 1.01, 1.04, 1.01 / 1.01, 1.01, 1.01; 64^3 to 256^3 and NN 1000x16x100 the same within 2 %.
     * KC 384 / MC 256 ran 0.94-0.95 at 2048^3 in the same runs, KC 512 with MC left at 384 (a B block of 6 of L2's
     * 8 ways) 0.97-1.02. Before the loop order of session 13 (B's micro-panel meant for L1) KC 256 had measured
     * best but at 2048^3 (2026-12-04:
     * KC 84 / 256 / 384 / 512: NN 256^3 75.1 / 95.6 / 93.2 / 90.2 GFLOP/s, 2048^3 63.1 / 93.0 / 90.5 / 98.3). On
     * the Xeon the floor raises the 12 x 32 tile's KC from the L1 rule's 256, the depth hand-tuned there in the old
     * loop order; not measured there since.
     */
    static final int KC_FLOOR = 512;
    /**
     * The B block takes at most {@code W2 / L2_B_SHARE - 1} of the L2's W2 ways. Between two reads of a line of the
     * B block, L2 also takes the A micro-panel, the C tile's rows (loaded and stored) and the lines the hardware
     * prefetchers fetch ahead of all those streams, which the model's one spare way does not hold; a B block of 6 of
     * 8 ways loses lines to them. Measured on the Zen 4 (2026-12-05, 1 thread, {@code SgemmBenchmark.simdgrad} and
     * {@code .openblas}, 1 fork x 4 iterations per launch, {@code -Dsimdgrad.gemm.mc=768} and {@code =384}
     * alternated, five launches each, ratio to OpenBLAS in the same launch): NN 1024^3 0.93, 1.04, 1.03, 0.99, 1.01
     * (MC 768, the model without this cap) / 1.05, 1.03, 1.03, 1.07, 1.02 (MC 384, with it); NN 2048^3 0.94, 0.95,
     * 0.92, 0.92, 0.94 / 0.97, 0.97, 0.97, 0.98, 0.96; NN 256x784x512, NN 512^3, NT 256x512x784, TN 784x256x512 the
     * same within the noise (three launches). On the Xeon (16 ways) the cap halves MC from 1792 to 896, not measured
     * there; MC 1788 and 240 measured the same on it.
     */
    static final int L2_B_SHARE = 2;
    private static final int S = Float.BYTES;

    private BlockingModel() {
    }

    /** The model's sizes for these caches and an MR x NR tile of floats. */
    public static SgemmBlocking derive(CpuCaches caches, int mr, int nr) {
        CpuCaches.Level l1 = caches.l1(), l2 = caches.l2(), l3 = caches.l3();
        int bWays1 = Math.max(1, (int) Math.floor((l1.ways() - 1) / (1.0 + (double) mr / nr)));
        int kcL1 = (bWays1 * l1.wayBytes() / (nr * S)) & ~3;
        int kcFloor = Math.min(KC_FLOOR, (int) (l2.bytes() / (4L * nr * S)) & ~3);
        int kc = Math.max(KC_MIN, Math.max(kcL1, kcFloor));
        int aWays2 = ceilDiv((long) kc * mr * S, l2.wayBytes());
        int bWays2 = Math.max(1, Math.min(l2.ways() - 1 - aWays2, l2.ways() / L2_B_SHARE - 1));
        int mc = Math.max(nr, (int) ((long) bWays2 * l2.wayBytes() / ((long) kc * S)) / nr * nr);
        long share3 = l3.wayBytes() / l3.sharedBy();
        int bWays3 = ceilDiv((long) mc * kc * S, Math.max(1, share3));
        int aWays3 = Math.max(1, l3.ways() - 1 - bWays3);
        int nc = (int) Math.max(mr, Math.min(NC_MAX, aWays3 * share3 / ((long) kc * S)) / mr * mr);
        return new SgemmBlocking(kc, mc, nc, mr + "x" + nr, caches.signature(), "model for the " + mr + "x" + nr + " tile on " + caches);
    }

    /**
     * The blocking with the system properties applied: each of {@link SgemmBlocking#KC_PROPERTY}, {@code MC} and
     * {@code NC} that is set replaces the model's size (MC rounded up to a multiple of NR, NC of MR). A value that is
     * not an integer in range is ignored and reported through {@code warn}, never an error: failing would leave
     * SGEMM unusable in this JVM for a setting that only changes speed and rounding.
     */
    public static SgemmBlocking withOverrides(SgemmBlocking model, int mr, int nr, UnaryOperator<String> property,
                                              java.util.function.Consumer<String> warn) {
        int kc = override(property, SgemmBlocking.KC_PROPERTY, model.kc(), 4, 1 << 16, 1, warn);
        int mc = override(property, SgemmBlocking.MC_PROPERTY, model.mc(), 1, 1 << 16, nr, warn);
        int nc = override(property, SgemmBlocking.NC_PROPERTY, model.nc(), 1, 1 << 20, mr, warn);
        if (kc == model.kc() && mc == model.mc() && nc == model.nc()) {
            return model;
        }
        List<String> set = new ArrayList<>();
        if (kc != model.kc()) {
            set.add("KC " + kc);
        }
        if (mc != model.mc()) {
            set.add("MC " + mc);
        }
        if (nc != model.nc()) {
            set.add("NC " + nc);
        }
        return new SgemmBlocking(kc, mc, nc, model.tile(), model.caches(), String.join(", ", set) + " from system properties; "
                + model);
    }

    /**
     * The sizes of a tuning file ({@code ./simdgrad tune}) in place of the model's, when the file records this
     * machine's caches ({@link CpuCaches#signature()}) and this tile; otherwise, or when the file cannot be read or
     * lacks a valid size, the model, with the reason reported through {@code warn}. The file is Java properties:
     * {@code caches}, {@code tile} ("12x32"), {@code kc}, {@code mc}, {@code nc}.
     */
    public static SgemmBlocking withTuning(SgemmBlocking model, CpuCaches caches, int mr, int nr,
                                           java.nio.file.Path file, java.util.function.Consumer<String> warn) {
        java.util.Properties p = new java.util.Properties();
        try (var in = java.nio.file.Files.newBufferedReader(file)) {
            p.load(in);
        } catch (java.io.IOException | IllegalArgumentException e) {
            warn.accept(SgemmBlocking.TUNING_PROPERTY + "=" + file + " ignored (unreadable: " + e.getMessage()
                    + "); using the model's sizes");
            return model;
        }
        String tile = mr + "x" + nr;
        if (!caches.signature().equals(p.getProperty("caches")) || !tile.equals(p.getProperty("tile"))) {
            warn.accept(SgemmBlocking.TUNING_PROPERTY + "=" + file + " ignored (tuned for " + p.getProperty("caches")
                    + ", tile " + p.getProperty("tile") + "; this machine has " + caches.signature() + ", tile "
                    + tile + "); run ./simdgrad tune again");
            return model;
        }
        try {
            int kc = Integer.parseInt(p.getProperty("kc", "").trim());
            int mc = Integer.parseInt(p.getProperty("mc", "").trim());
            int nc = Integer.parseInt(p.getProperty("nc", "").trim());
            if (kc < 4 || kc > 1 << 16 || mc < 1 || mc > 1 << 16 || nc < 1 || nc > 1 << 20) {
                throw new NumberFormatException("kc " + kc + ", mc " + mc + ", nc " + nc + " out of range");
            }
            return new SgemmBlocking(kc, ceilDiv(mc, nr) * nr, ceilDiv(nc, mr) * mr, tile, caches.signature(), "tuned by ./simdgrad tune ("
                    + file + ") for the " + tile + " tile on " + caches.signature());
        } catch (NumberFormatException e) {
            warn.accept(SgemmBlocking.TUNING_PROPERTY + "=" + file + " ignored (kc, mc, nc: " + e.getMessage()
                    + "); using the model's sizes");
            return model;
        }
    }

    private static int override(UnaryOperator<String> property, String name, int model, int min, int max,
                                int multiple, java.util.function.Consumer<String> warn) {
        String value = property.apply(name);
        if (value == null || value.isBlank()) {
            return model;
        }
        try {
            int v = Integer.parseInt(value.trim());
            if (v >= min && v <= max) {
                return ceilDiv(v, multiple) * multiple;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        warn.accept(name + "=" + value + " ignored (not an integer in " + min + ".." + max + "); using " + model);
        return model;
    }

    private static int ceilDiv(long a, long b) {
        return (int) ((a + b - 1) / b);
    }
}
