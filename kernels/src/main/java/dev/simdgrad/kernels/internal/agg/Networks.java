package dev.simdgrad.kernels.internal.agg;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Selection networks: Batcher's odd-even merge sort on {@code n} inputs, pruned to the comparators that can affect
 * the outputs at one or two ranks.
 *
 * <p>A network is a flat array of comparator pairs {@code (i, j)}, {@code i < j}: after the comparator, position
 * {@code i} holds the minimum and {@code j} the maximum. Batcher's network is built for the next power of two and
 * every comparator touching a position {@code >= n} is dropped (as if those inputs were {@code +Inf}: such a
 * comparator would leave both positions unchanged). Pruning walks the network backwards from the wanted ranks and
 * keeps a comparator only if one of its outputs is still needed; its two inputs then become needed.
 *
 * <p>Sizes (comparators) of the pruned networks, n = 128: the median 1,213 (of Batcher's 1,471), ranks (1, 126)
 * 1,020, ranks (8, 119) 1,140; n = 256: the median 3,197 (of 3,839); n = 1024: the median 20,477 (see {@link #size}).
 * Networks are built once per (n, ranks) and cached; a network is shared read-only by all threads.
 */
public final class Networks {
    /** Largest n for which a network is used; above it the general path sorts each coordinate. */
    public static final int MAX = 1024;

    private static final ConcurrentHashMap<Long, int[]> CACHE = new ConcurrentHashMap<>();

    private Networks() {
    }

    /** The pruned network computing ranks {@code r1 <= r2} (0-based, ascending) of {@code n <= MAX} inputs. */
    public static int[] select(int n, int r1, int r2) {
        long key = ((long) n << 40) | ((long) r1 << 20) | r2;
        int[] net = CACHE.get(key);
        if (net == null) {
            net = build(n, r1, r2);
            CACHE.putIfAbsent(key, net);
        }
        return net;
    }

    /** Number of comparators of {@link #select}. */
    public static int size(int n, int r1, int r2) {
        return select(n, r1, r2).length / 2;
    }

    private static int[] build(int n, int r1, int r2) {
        if (n < 1 || n > MAX || r1 < 0 || r2 < r1 || r2 >= n) {
            throw new IllegalArgumentException("no network for n=" + n + ", ranks " + r1 + ", " + r2);
        }
        int pow = 1;
        while (pow < n) {
            pow <<= 1;
        }
        // Batcher's odd-even merge sort, iterative form (Knuth 5.3.4, exercise 32).
        int[] all = new int[16];
        int count = 0;
        for (int p = 1; p < pow; p <<= 1) {
            for (int k = p; k >= 1; k >>= 1) {
                for (int j = k % p; j <= pow - 1 - k; j += 2 * k) {
                    for (int i = 0; i <= Math.min(k - 1, pow - j - k - 1); i++) {
                        int a = i + j, b = i + j + k;
                        if (a / (2 * p) == b / (2 * p) && b < n) {
                            if (2 * count + 2 > all.length) {
                                all = java.util.Arrays.copyOf(all, all.length * 2);
                            }
                            all[2 * count] = a;
                            all[2 * count + 1] = b;
                            count++;
                        }
                    }
                }
            }
        }
        boolean[] need = new boolean[n];
        need[r1] = true;
        need[r2] = true;
        boolean[] keep = new boolean[count];
        int kept = 0;
        for (int q = count - 1; q >= 0; q--) {
            int a = all[2 * q], b = all[2 * q + 1];
            if (need[a] || need[b]) {
                keep[q] = true;
                need[a] = true;
                need[b] = true;
                kept++;
            }
        }
        int[] net = new int[2 * kept];
        for (int q = 0, t = 0; q < count; q++) {
            if (keep[q]) {
                net[t++] = all[2 * q];
                net[t++] = all[2 * q + 1];
            }
        }
        return net;
    }
}
