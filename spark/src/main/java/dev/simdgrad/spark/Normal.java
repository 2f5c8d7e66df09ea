package dev.simdgrad.spark;

/**
 * The standard normal distribution's quantile function Φ⁻¹, for the "a little is enough" attack's z_max. Computed by
 * bisection on Φ(x) = 1/2 + ∫₀ˣ φ, the integral by composite Simpson on 2,000 intervals (error far below 1e-9 for
 * |x| &lt;= 8): exact enough for an attack parameter, and free of tabulated coefficients.
 */
final class Normal {
    private Normal() {
    }

    /**
     * Φ⁻¹(q), clamped to [-8, 8].
     *
     * @throws IllegalArgumentException unless 0 &lt; q &lt; 1
     */
    static double quantile(double q) {
        if (!(q > 0 && q < 1)) {
            throw new IllegalArgumentException("q=" + q + " must be in (0, 1)");
        }
        double lo = -8, hi = 8;
        for (int i = 0; i < 60; i++) {
            double mid = 0.5 * (lo + hi);
            if (cdf(mid) < q) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        return 0.5 * (lo + hi);
    }

    /** Φ(x) = 1/2 + ∫₀ˣ φ(t) dt. */
    static double cdf(double x) {
        int n = 2000;
        double h = x / n, s = density(0) + density(x);
        for (int i = 1; i < n; i++) {
            s += (i % 2 == 1 ? 4 : 2) * density(i * h);
        }
        return 0.5 + s * h / 3;
    }

    private static double density(double t) {
        return Math.exp(-0.5 * t * t) / Math.sqrt(2 * Math.PI);
    }
}
