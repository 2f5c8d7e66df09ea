package dev.simdgrad.kernels.internal.gram;

/**
 * What the distance-based robust rules see of n vectors: their squared distances {@code d[i * n + j]} (symmetric,
 * zero diagonal, +Inf between a non-finite vector and any other) and their squared norms {@code norms[i]} (not
 * finite exactly for a vector holding a NaN or an infinity). Filled either directly from the rows
 * ({@link DistanceDriver}) or from a Gram matrix ({@link #fromGram}). A per-thread scratch object: the arrays are
 * reused and may be longer than needed.
 */
final class Distances {
    int n;
    double[] d = new double[0], norms = new double[0];

    private static final ThreadLocal<Distances> SCRATCH = ThreadLocal.withInitial(Distances::new);

    /** This thread's scratch, sized for n vectors (contents undefined). */
    static Distances scratch(int n) {
        Distances s = SCRATCH.get();
        s.n = n;
        if (s.d.length < n * n) {
            s.d = new double[n * n];
        }
        if (s.norms.length < n) {
            s.norms = new double[n];
        }
        return s;
    }

    /** Whether vector i is finite. */
    boolean finite(int i) {
        return Double.isFinite(norms[i]);
    }

    /** Whether every vector is finite. */
    boolean allFinite() {
        for (int i = 0; i < n; i++) {
            if (!finite(i)) {
                return false;
            }
        }
        return true;
    }

    /**
     * From a Gram matrix G (n x n, leading dimension n): {@code norms[i] = G_ii} and
     * {@code d_ij = max(0, G_ii + G_jj - 2 G_ij)} (the clamp removes a negative result of the cancellation), +Inf
     * when either vector is not finite.
     */
    static Distances fromGram(double[] g, int n) {
        Distances s = scratch(n);
        for (int i = 0; i < n; i++) {
            s.norms[i] = g[i * n + i];
        }
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double v;
                if (i == j) {
                    v = 0;
                } else if (!s.finite(i) || !s.finite(j)) {
                    v = Double.POSITIVE_INFINITY;
                } else {
                    v = Math.max(0.0, g[i * n + i] + g[j * n + j] - 2 * g[i * n + j]);
                }
                s.d[i * n + j] = v;
            }
        }
        return s;
    }
}
