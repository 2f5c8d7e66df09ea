package dev.simdgrad.kernels.internal.gram;

import java.util.Arrays;

/**
 * The distance-based robust rules on n vectors seen through their squared distances and squared norms
 * ({@link Distances}): Krum scores and selections, smoothed Weiszfeld and centered clipping as coefficient vectors
 * over the vectors. Everything here is O(n^2) per score pass or iteration, independent of the dimension of the
 * vectors.
 *
 * <p>A vector whose squared norm is not finite (a NaN or an infinity in it) is at distance +Inf from every other.
 * Affine combinations {@code z = sum_j w_j g_j} with {@code sum_j w_j = 1} are placed by the distances alone:
 * {@code ||z - g_i||^2 = (D w)_i - w'D w / 2}, and a difference of two such ({@code sum delta = 0}) has
 * {@code ||sum_j delta_j g_j||^2 = -delta'D delta / 2}; the norms enter only Weiszfeld's relative stopping test,
 * {@code ||z||^2 = sum_j w_j ||g_j||^2 - w'D w / 2}. Ties: every sort is by (value, index), every arg-min takes the
 * lowest index.
 *
 * <p>Unchecked: the public classes validate first. Single-threaded, fixed order: same bits for every thread count.
 */
public final class RobustRules {
    private static final ThreadLocal<Buffers> BUFFERS = ThreadLocal.withInitial(Buffers::new);

    private RobustRules() {
    }

    private static final class Buffers {
        double[] scores = new double[0], v1 = new double[0], v2 = new double[0], v3 = new double[0];
        int[] order = new int[0], tmp = new int[0], rank = new int[0];
        boolean[] active = new boolean[0];

        void grow(int n) {
            if (scores.length < n + 1) {
                int m = n + 1;
                scores = new double[m];
                v1 = new double[m];
                v2 = new double[m];
                v3 = new double[m];
                tmp = new int[m];
                rank = new int[m];
                active = new boolean[m];
            }
            if (order.length < n * n) {
                order = new int[n * n];
            }
        }
    }

    /** Each vector's other vectors sorted by (distance, index) into order. */
    private static void prepare(Distances g, Buffers b) {
        int n = g.n;
        for (int i = 0; i < n; i++) {
            int o = i * n, c = 0;
            for (int j = 0; j < n; j++) {
                if (j != i) {
                    b.order[o + c++] = j;
                }
            }
            sortByKey(b.order, o, c, g.d, o, b.tmp);
        }
    }

    /**
     * Krum scores of the active rows: the sum, in ascending order, of the k smallest squared distances to the other
     * active rows, {@code k = max(0, active - f - 2)}; +Inf for a non-finite row (even when k = 0); inactive rows
     * get NaN.
     */
    private static void scores(Distances g, int f, Buffers b) {
        int n = g.n, count = 0;
        for (int i = 0; i < n; i++) {
            count += b.active[i] ? 1 : 0;
        }
        int k = Math.max(0, count - f - 2);
        for (int i = 0; i < n; i++) {
            if (!b.active[i]) {
                b.scores[i] = Double.NaN;
                continue;
            }
            if (!g.finite(i)) {
                b.scores[i] = Double.POSITIVE_INFINITY;
                continue;
            }
            double s = 0;
            int taken = 0, o = i * n;
            for (int q = 0; q < n - 1 && taken < k; q++) {
                int j = b.order[o + q];
                if (b.active[j]) {
                    s += g.d[o + j];
                    taken++;
                }
            }
            b.scores[i] = s;
        }
    }

    /**
     * Krum: the index of the row with the smallest score ({@code k = n - f - 2} nearest), the lowest on ties, or -1
     * if that score is not finite (more than f + 1 non-finite rows). Writes the n scores to {@code scoresOut} when
     * it is not null.
     */
    static int krum(Distances g, int f, double[] scoresOut) {
        Buffers b = BUFFERS.get();
        int n = g.n;
        b.grow(n);
        prepare(g, b);
        Arrays.fill(b.active, 0, n, true);
        scores(g, f, b);
        if (scoresOut != null) {
            System.arraycopy(b.scores, 0, scoresOut, 0, n);
        }
        int best = argMin(b.scores, b.active, n);
        return Double.isFinite(b.scores[best]) ? best : -1;
    }

    /**
     * Multi-Krum: the m rows with the smallest Krum scores, ties to the lower index, written in increasing index
     * order to {@code selected[0..m)}. Returns false if a selected score is not finite.
     */
    static boolean multiKrum(Distances g, int f, int m, int[] selected) {
        Buffers b = BUFFERS.get();
        int n = g.n;
        b.grow(n);
        prepare(g, b);
        Arrays.fill(b.active, 0, n, true);
        scores(g, f, b);
        int[] idx = b.rank;
        for (int i = 0; i < n; i++) {
            idx[i] = i;
        }
        sortByKey(idx, 0, n, b.scores, 0, b.tmp);
        boolean ok = true;
        for (int q = 0; q < m; q++) {
            selected[q] = idx[q];
            ok &= Double.isFinite(b.scores[idx[q]]);
        }
        Arrays.sort(selected, 0, m);
        return ok;
    }

    /**
     * Bulyan's selection: theta = n - 2f rows by iterated Krum (each round picks the active row of smallest score,
     * {@code k = max(0, active - f - 2)}, lowest index on ties, and removes it), written in increasing index order to
     * {@code selected[0..theta)}. Returns false if a picked row had a non-finite score or is itself non-finite.
     */
    static boolean bulyan(Distances g, int f, int[] selected) {
        Buffers b = BUFFERS.get();
        int n = g.n;
        b.grow(n);
        prepare(g, b);
        Arrays.fill(b.active, 0, n, true);
        int theta = n - 2 * f;
        boolean ok = true;
        for (int t = 0; t < theta; t++) {
            scores(g, f, b);
            int best = argMin(b.scores, b.active, n);
            ok &= Double.isFinite(b.scores[best]) && g.finite(best);
            selected[t] = best;
            b.active[best] = false;
        }
        Arrays.sort(selected, 0, theta);
        return ok;
    }

    /**
     * Smoothed Weiszfeld from the mean: {@code z = sum_i w_i g_i}, {@code w_i = beta_i / sum beta},
     * {@code beta_i = 1 / max(nu, ||z - g_i||)}, until {@code ||z_new - z|| <= tolerance ||z_new||} or
     * maxIterations. Writes the final coefficients to {@code w[0..n)} and returns the number of iterations run. The
     * vectors must be finite.
     */
    static int weiszfeld(Distances g, double nu, int maxIterations, double tolerance, double[] w) {
        Buffers b = BUFFERS.get();
        int n = g.n;
        b.grow(n);
        double[] dw = b.v1, wn = b.v2, dd = b.v3;
        Arrays.fill(w, 0, n, 1.0 / n);
        multiply(g.d, n, w, dw);
        for (int t = 1; t <= maxIterations; t++) {
            double half = dot(w, dw, n) / 2, sum = 0, nearest = Double.POSITIVE_INFINITY;
            for (int i = 0; i < n; i++) {
                wn[i] = Math.max(nu, Math.sqrt(Math.max(0.0, dw[i] - half)));
                nearest = Math.min(nearest, wn[i]);
            }
            // beta_i = nearest / max(nu, d_i) in (0, 1]: the same normalized weights as 1 / max(nu, d_i), without
            // overflowing the sum when nu is tiny and z sits on some vectors
            for (int i = 0; i < n; i++) {
                wn[i] = nearest / wn[i];
                sum += wn[i];
            }
            boolean moved = false;
            for (int i = 0; i < n; i++) {
                wn[i] /= sum;
                w[i] = wn[i] - w[i]; // the change, for its norm
                moved |= w[i] != 0;
            }
            multiply(g.d, n, w, dd);
            double change = Math.max(0.0, -dot(w, dd, n) / 2);
            System.arraycopy(wn, 0, w, 0, n);
            multiply(g.d, n, w, dw);
            double norm = Math.max(0.0, dot(w, g.norms, n) - dot(w, dw, n) / 2);
            // ||z_new - z||^2 = -delta' D delta / 2 cancels when z barely moves: from a start on one of the vectors
            // (the mean of {2, 3, 3, -1, 3} is 2) z creeps away by ~nu a step and the estimate rounds to 0. So with
            // tolerance 0 only coefficients that did not change at all stop the iteration (z stopped changing).
            if ((tolerance > 0 || !moved) && Math.sqrt(change) <= tolerance * Math.sqrt(norm)) {
                return t;
            }
        }
        return maxIterations;
    }

    /**
     * Centered clipping over the first n vectors and the center, vector n ({@code g.n = n + 1}):
     * {@code v <- v + (1/n) sum_i clip_tau(g_i - v)}, {@code clip_tau(u) = u min(1, tau / ||u||)}, from
     * {@code v = center}, as coefficients: {@code v = sum_{i<n} w_i g_i + w_n center} (non-negative, summing to 1),
     * written to {@code w[0..n]}. The vectors and the center must be finite.
     */
    static void centeredClipping(Distances g, double tau, int iterations, double[] w) {
        Buffers b = BUFFERS.get();
        int m = g.n, n = m - 1;
        b.grow(m);
        double[] dw = b.v1, s = b.v2;
        Arrays.fill(w, 0, m, 0.0);
        w[n] = 1.0;
        for (int t = 0; t < iterations; t++) {
            multiply(g.d, m, w, dw);
            double half = dot(w, dw, m) / 2, sum = 0;
            for (int i = 0; i < n; i++) {
                double d = Math.sqrt(Math.max(0.0, dw[i] - half));
                s[i] = d <= tau ? 1.0 : tau / d;
                sum += s[i];
            }
            double keep = 1.0 - sum / n;
            for (int i = 0; i < m; i++) {
                w[i] *= keep;
            }
            for (int i = 0; i < n; i++) {
                w[i] += s[i] / n;
            }
        }
    }

    /**
     * {@code out = D w}, each entry summed over j in order. Eight rows at a time: eight independent chains of
     * additions instead of one whose latency bounds it (the same sums, so the same bits; four at a time took ~0.1 ms
     * of a 784-256-10 fused geometric median step at B = 128, ten iterations). Weiszfeld runs it twice per iteration.
     */
    private static void multiply(double[] g, int n, double[] w, double[] out) {
        int i = 0;
        for (; i + 8 <= n; i += 8) {
            int o0 = i * n, o1 = o0 + n, o2 = o1 + n, o3 = o2 + n, o4 = o3 + n, o5 = o4 + n, o6 = o5 + n,
                    o7 = o6 + n;
            double s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0;
            for (int j = 0; j < n; j++) {
                double x = w[j];
                s0 += g[o0 + j] * x;
                s1 += g[o1 + j] * x;
                s2 += g[o2 + j] * x;
                s3 += g[o3 + j] * x;
                s4 += g[o4 + j] * x;
                s5 += g[o5 + j] * x;
                s6 += g[o6 + j] * x;
                s7 += g[o7 + j] * x;
            }
            out[i] = s0;
            out[i + 1] = s1;
            out[i + 2] = s2;
            out[i + 3] = s3;
            out[i + 4] = s4;
            out[i + 5] = s5;
            out[i + 6] = s6;
            out[i + 7] = s7;
        }
        for (; i < n; i++) {
            double s = 0;
            for (int j = 0; j < n; j++) {
                s += g[i * n + j] * w[j];
            }
            out[i] = s;
        }
    }

    private static double dot(double[] a, double[] b, int n) {
        double s = 0;
        for (int i = 0; i < n; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    private static int argMin(double[] scores, boolean[] active, int n) {
        int best = -1;
        for (int i = 0; i < n; i++) {
            if (active[i] && (best < 0 || scores[i] < scores[best])) {
                best = i;
            }
        }
        return best;
    }

    /** Below this many elements {@link #sortByKey} merges; from it on, radix sorts (same permutation). */
    static final int RADIX_FROM = 32;

    private static final ThreadLocal<SortScratch> SORT = ThreadLocal.withInitial(SortScratch::new);

    /** Per-thread buffers of the radix sort, grown on demand. */
    private static final class SortScratch {
        long[] ka = new long[0], kb = new long[0];
        int[] ia = new int[0], ib = new int[0];
        final int[] counts = new int[256];

        void grow(int c) {
            if (ka.length < c) {
                ka = new long[c];
                kb = new long[c];
                ia = new int[c];
                ib = new int[c];
            }
        }
    }

    /**
     * Sorts {@code idx[o..o+c)} by (key[ko + idx], idx) ascending, keys in {@link Double#compare} order (NaN last),
     * for indices that start in increasing order: a stable sort, so equal keys keep the lower index first. From
     * {@link #RADIX_FROM} elements on, a least-significant-digit radix sort of the keys' bits (mapped so that unsigned
     * order is {@code Double.compare} order), one byte per pass, skipping the bytes all keys share; below, a merge
     * sort. Both are stable, so they give the same permutation. (The merge sort's data-dependent branches made it the
     * largest cost of a fused Krum step at B = 128: 128 sorts of 127 keys.)
     */
    static void sortByKey(int[] idx, int o, int c, double[] key, int ko, int[] tmp) {
        if (c < RADIX_FROM) {
            mergeSortByKey(idx, o, c, key, ko, tmp);
        } else {
            radixSortByKey(idx, o, c, key, ko);
        }
    }

    /** {@link #sortByKey} by merging: runs of width 1, 2, 4 ... merged into tmp and copied back. */
    static void mergeSortByKey(int[] idx, int o, int c, double[] key, int ko, int[] tmp) {
        for (int width = 1; width < c; width *= 2) {
            for (int lo = 0; lo < c - width; lo += 2 * width) {
                int mid = lo + width, hi = Math.min(lo + 2 * width, c);
                int p = lo, q = mid, t = 0;
                while (p < mid && q < hi) {
                    // take from the right only if strictly smaller: stability (Double.compare: NaN last)
                    if (Double.compare(key[ko + idx[o + q]], key[ko + idx[o + p]]) < 0) {
                        tmp[t++] = idx[o + q++];
                    } else {
                        tmp[t++] = idx[o + p++];
                    }
                }
                while (p < mid) {
                    tmp[t++] = idx[o + p++];
                }
                while (q < hi) {
                    tmp[t++] = idx[o + q++];
                }
                System.arraycopy(tmp, 0, idx, o + lo, t);
            }
        }
    }

    /**
     * {@link #sortByKey} by radix: each key as {@code doubleToLongBits} (one NaN), then the sign bit flipped for a
     * non-negative key and every bit for a negative one, which makes unsigned order {@code Double.compare} order
     * (-0.0 before 0.0, NaN after +Inf). Counting sort by byte 0, 1, ... 7, each pass stable, passes over a byte that
     * every key shares skipped.
     */
    static void radixSortByKey(int[] idx, int o, int c, double[] key, int ko) {
        SortScratch s = SORT.get();
        s.grow(c);
        long[] ka = s.ka, kb = s.kb;
        int[] ia = s.ia, ib = s.ib, counts = s.counts;
        long differ = 0;
        for (int q = 0; q < c; q++) {
            int j = idx[o + q];
            long b = Double.doubleToLongBits(key[ko + j]);
            long u = b ^ ((b >> 63) | Long.MIN_VALUE);
            ka[q] = u;
            ia[q] = j;
            differ |= u ^ ka[0];
        }
        for (int shift = 0; shift < 64; shift += 8) {
            if (((differ >>> shift) & 0xff) == 0) {
                continue;
            }
            Arrays.fill(counts, 0);
            for (int q = 0; q < c; q++) {
                counts[(int) ((ka[q] >>> shift) & 0xff)]++;
            }
            for (int d = 0, sum = 0; d < 256; d++) {
                int v = counts[d];
                counts[d] = sum;
                sum += v;
            }
            for (int q = 0; q < c; q++) {
                int d = (int) ((ka[q] >>> shift) & 0xff), at = counts[d]++;
                kb[at] = ka[q];
                ib[at] = ia[q];
            }
            long[] kt = ka;
            ka = kb;
            kb = kt;
            int[] it = ia;
            ia = ib;
            ib = it;
        }
        System.arraycopy(ia, 0, idx, o, c);
    }
}
