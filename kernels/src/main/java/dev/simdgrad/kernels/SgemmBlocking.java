package dev.simdgrad.kernels;

/**
 * The cache blocking {@link Sgemm} uses in this JVM (the outer loops of BLIS): the depth of a packed block
 * {@code kc}, the size {@code mc} of the block kept in L2 and the size {@code nc} of the block kept in L3.
 *
 * <p>Row-major SGEMM runs BLIS's loops on the transposed product {@code C^T = B^T A^T}, so the names keep BLIS's
 * cache roles with the operands swapped: {@code mc} is the number of columns of a packed KC x MC block of B (in
 * L2), {@code nc} the number of rows of a packed NC x KC block of A (in L3). Derived once per JVM from this CPU's
 * caches and its preferred register tile by the analytical model of Low et al. (2016), "Analytical modeling is
 * enough for high-performance BLIS": an MR x KC micro-panel of A stays in L1 beside the streamed KC x NR
 * micro-panels of B, the B block in L2 beside one A micro-panel, the A block in this core's share of L3. Each of the system properties {@code simdgrad.gemm.kc}, {@code
 * simdgrad.gemm.mc} and {@code simdgrad.gemm.nc} overrides one of them (a bad value is ignored with a warning), and
 * {@link #TUNING_PROPERTY} names sizes measured by {@code ./simdgrad tune} on this machine.
 *
 * <p>{@code kc} decides the rounding: C accumulates one KC block at a time, so a different {@code kc} gives different
 * bits (within the same error bound). It depends only on the machine (its caches and its preferred tile, not the
 * width a JVM forces), so every width and every thread count on one machine gives the same bits; two machines with
 * different caches may not. {@code mc} and {@code nc} change only the speed.
 *
 * @param kc     depth of a packed block, at least 4
 * @param mc     columns of a packed B block (kept in L2), a multiple of the tile's NR
 * @param nc     rows of a packed A block (kept in L3), a multiple of the tile's MR
 * @param tile   the register tile the sizes were derived for, MR x NR floats, e.g. "12x32" (the preferred width's)
 * @param caches the caches they were derived for, e.g. "L1d 48 KiB 12-way, L2 2 MiB 16-way, L3 ..."
 * @param source how the sizes were chosen (model, tuning file, properties), for logs and {@code ./simdgrad info}
 */
public record SgemmBlocking(int kc, int mc, int nc, String tile, String caches, String source) {
    /** The property that overrides {@link #kc()}. */
    public static final String KC_PROPERTY = "simdgrad.gemm.kc";
    /** The property that overrides {@link #mc()}. */
    public static final String MC_PROPERTY = "simdgrad.gemm.mc";
    /** The property that overrides {@link #nc()}. */
    public static final String NC_PROPERTY = "simdgrad.gemm.nc";
    /**
     * The property naming a tuning file written by {@code ./simdgrad tune}: its sizes replace the model's when the
     * caches and the tile it records are this machine's (otherwise it is ignored with a warning); the three size
     * properties still override it. The command line sets it to {@code ~/.config/simdgrad/sgemm-blocking.properties}
     * when that file exists; a library user opts in by setting it.
     */
    public static final String TUNING_PROPERTY = "simdgrad.gemm.tuning";

    /** Validates the sizes. */
    public SgemmBlocking {
        if (kc < 4 || mc < 1 || nc < 1) {
            throw new IllegalArgumentException("SGEMM blocking: kc " + kc + " (>= 4), mc " + mc + " (>= 1), nc " + nc
                    + " (>= 1)");
        }
    }

    /** One line for logs: "KC 512, MC 192, NC 4092 (...)". */
    @Override
    public String toString() {
        return "KC " + kc + ", MC " + mc + ", NC " + nc + " (" + source + ")";
    }
}
