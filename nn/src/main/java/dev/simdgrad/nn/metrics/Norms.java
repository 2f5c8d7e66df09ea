package dev.simdgrad.nn.metrics;

import dev.simdgrad.nn.DenseNetwork;

/**
 * Euclidean norms of parameter-sized vectors, accumulated in double: the gradient norm ‖g‖ and the distance from
 * initialization ‖θ - θ₀‖ (which the NTK analyses compare with √(yᵀH⁻¹y)).
 */
public final class Norms {
    private Norms() {
    }

    /** ‖v[0..n)‖₂. */
    public static double l2(float[] v, int n) {
        double s = 0;
        for (int i = 0; i < n; i++) {
            s += (double) v[i] * v[i];
        }
        return Math.sqrt(s);
    }

    /** ‖a[0..n) - b[0..n)‖₂, each difference formed in double. */
    public static double distance(float[] a, float[] b, int n) {
        double s = 0;
        for (int i = 0; i < n; i++) {
            double d = (double) a[i] - b[i];
            s += d * d;
        }
        return Math.sqrt(s);
    }

    /** ‖θ - θ₀‖₂ over all parameters of the network (θ₀ as returned by a copy of {@code parameters()} at init). */
    public static double distanceFromInit(DenseNetwork net, float[] theta0) {
        if (theta0.length != net.parameterCount()) {
            throw new IllegalArgumentException("theta0 has " + theta0.length + " entries, the network "
                    + net.parameterCount());
        }
        return distance(net.parameters(), theta0, theta0.length);
    }
}
