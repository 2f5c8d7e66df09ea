package dev.simdgrad.kernels.internal.gram;

/**
 * Squared distances and squared norms of float rows, at one vector width: the inner loop of the explicit robust
 * aggregators ({@link DistanceDriver}).
 *
 * <p>Each squared distance is computed directly, {@code sum_k fl(a_ik - a_jk)^2}, never as
 * {@code G_ii + G_jj - 2 G_ij}: a sum of non-negative terms has no cancellation, so its error is relative to the
 * distance itself however close or far the rows are. Each term is added by one float FMA into a float lane that sums
 * at most {@link #LANE_TERMS} terms before it is added, exactly converted, into a double sum; the lanes are then
 * summed in double in a fixed order. Hence, for finite results, with {@code u = 2^-24},
 * {@code |D - exact| <= (gamma(LANE_TERMS + 2) + gamma_d(len + 16)) exact + len 2^-149} (the last term: a float FMA
 * whose result is subnormal rounds by up to half of 2^-149 absolute). The same holds for the squared norms
 * ({@code sum_k a_ik^2}). A result that overflows the float range is not finite and the caller falls back.
 *
 * <p>Unchecked: the public classes validate first.
 */
public interface DistanceKernel {
    /** Terms summed in one float lane before it is added into double. */
    int LANE_TERMS = 128;

    /**
     * Chunks per call of {@link #accumulate} (but the last of a segment). Reading each row along several chunks before
     * the next row makes the first read of a row one run of 64 KiB (512-bit vectors) instead of 8 KiB; the hardware
     * streams short runs poorly: on the Zen 4 a pass over 32 rows of 4,000,000 floats read at 12 GB/s in 8 KiB runs,
     * 23-24 GB/s in 64 KiB runs.
     */
    int BLOCK_CHUNKS = 8;

    /**
     * Columns of one chunk: {@code LANE_TERMS} times the lanes of a float vector. Each sum is accumulated chunk by
     * chunk, in column order, whatever the number of chunks a call gets.
     */
    int chunk();

    /** Double lanes per sum in the accumulator of {@link #accumulate}. */
    int lanes();

    /**
     * Adds the columns {@code [k0, k0 + len)} of the rows ({@code len <= BLOCK_CHUNKS * chunk()}, k0 a multiple of
     * {@code chunk()}, the sums' chunks in column order: the same bits as one call per chunk; row i is
     * {@code rows[i][offsets[i] + k]}): the squared distance of rows i and j ({@code j < i < n}) to the
     * {@link #lanes()} double lanes of sum {@code i (i - 1) / 2 + j} of {@code acc} (sum q at
     * {@code acc[ao + q * lanes() ..]}), the squared norm of row i to those of sum {@code n (n - 1) / 2 + i}, and the columns past the last whole vector straight to
     * {@code dist[i * n + j]} and {@code norms[i]}. The total of a sum is its lanes summed in order plus its direct
     * part.
     */
    void accumulate(float[][] rows, int[] offsets, int n, int k0, int len, double[] acc, int ao, double[] dist,
                    double[] norms);
}
