package dev.simdgrad.experiments.gradreg;

import java.util.SplittableRandom;

/**
 * The solvable model of Karakida et al. (2023): the diagonal linear network β = u ⊙ u - v ⊙ v (a two-layer linear
 * network with diagonal layers) on a regression problem y = X β, trained by gradient descent on
 * L(u, v) = (1/2n) ‖X β - y‖² with or without gradient regularization L + (γ/2)‖∇L‖², the regularizer's gradient
 * computed exactly (DB: ∇L + γ H ∇L) or by the forward (F-GR) or backward (B-GR) difference of two gradients. In
 * double, plain loops: the problem is tiny (n x d, e.g. 40 x 100) and the point is the implicit bias, not speed. Cost
 * per step: O(n d) for GD, twice that for F-GR, B-GR and DB.
 *
 * <p>Gradients, with r = Xβ - y and g_β = Xᵀr / n: ∇_u L = 2 u ⊙ g_β, ∇_v L = -2 v ⊙ g_β. The Hessian-vector product
 * along (a, b), for the exact (DB) regularizer: with β̇ = 2 u ⊙ a - 2 v ⊙ b and ġ_β = Xᵀ X β̇ / n,
 * H(a, b) = (2 a ⊙ g_β + 2 u ⊙ ġ_β, -2 b ⊙ g_β - 2 v ⊙ ġ_β).
 */
public final class DiagonalLinearNetwork {
    private final int n, d;
    private final double[] x, y;

    private DiagonalLinearNetwork(int n, int d, double[] x, double[] y) {
        this.n = n;
        this.d = d;
        this.x = x;
        this.y = y;
    }

    /**
     * A sparse regression problem: X with N(0, 1) entries, β* with {@code k} non-zero entries ±1 at random
     * coordinates, y = X β* (noiseless).
     *
     * @return the network's problem and β* (in {@code betaStar}, length d)
     */
    public static DiagonalLinearNetwork sparseRegression(int n, int d, int k, long seed, double[] betaStar) {
        SplittableRandom rnd = new SplittableRandom(seed);
        double[] x = new double[n * d];
        for (int i = 0; i < x.length; i++) {
            x[i] = rnd.nextGaussian();
        }
        java.util.Arrays.fill(betaStar, 0);
        for (int placed = 0; placed < k; ) {
            int j = rnd.nextInt(d);
            if (betaStar[j] == 0) {
                betaStar[j] = rnd.nextBoolean() ? 1 : -1;
                placed++;
            }
        }
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                y[i] += x[i * d + j] * betaStar[j];
            }
        }
        return new DiagonalLinearNetwork(n, d, x, y);
    }

    int dimension() {
        return d;
    }

    /** β = u ⊙ u - v ⊙ v. */
    public static double[] beta(double[] u, double[] v) {
        double[] b = new double[u.length];
        for (int j = 0; j < b.length; j++) {
            b[j] = u[j] * u[j] - v[j] * v[j];
        }
        return b;
    }

    /** g_β = Xᵀ(Xβ - y)/n into {@code g}; returns L = ‖Xβ - y‖²/(2n). */
    double betaGradient(double[] beta, double[] g) {
        java.util.Arrays.fill(g, 0);
        double loss = 0;
        for (int i = 0; i < n; i++) {
            double r = -y[i];
            for (int j = 0; j < d; j++) {
                r += x[i * d + j] * beta[j];
            }
            loss += r * r;
            for (int j = 0; j < d; j++) {
                g[j] += x[i * d + j] * r / n;
            }
        }
        return loss / (2 * n);
    }

    /** Xᵀ X v / n. */
    private void gram(double[] v, double[] out) {
        java.util.Arrays.fill(out, 0);
        for (int i = 0; i < n; i++) {
            double s = 0;
            for (int j = 0; j < d; j++) {
                s += x[i * d + j] * v[j];
            }
            for (int j = 0; j < d; j++) {
                out[j] += x[i * d + j] * s / n;
            }
        }
    }

    /** ∇L at (u, v) into (gu, gv); returns L. */
    double gradient(double[] u, double[] v, double[] gu, double[] gv) {
        double[] gb = new double[d];
        double loss = betaGradient(beta(u, v), gb);
        for (int j = 0; j < d; j++) {
            gu[j] = 2 * u[j] * gb[j];
            gv[j] = -2 * v[j] * gb[j];
        }
        return loss;
    }

    /** The exact Hessian-vector product H (a, b) at (u, v) into (hu, hv). */
    void hessianVector(double[] u, double[] v, double[] a, double[] b, double[] hu, double[] hv) {
        double[] gb = new double[d], betaDot = new double[d], gDot = new double[d];
        betaGradient(beta(u, v), gb);
        for (int j = 0; j < d; j++) {
            betaDot[j] = 2 * u[j] * a[j] - 2 * v[j] * b[j];
        }
        gram(betaDot, gDot);
        for (int j = 0; j < d; j++) {
            hu[j] = 2 * a[j] * gb[j] + 2 * u[j] * gDot[j];
            hv[j] = -2 * b[j] * gb[j] - 2 * v[j] * gDot[j];
        }
    }

    /** How the step direction is formed. */
    public enum Method {
        /** Plain gradient descent on L. */
        GD("GD"),
        /** The exact gradient of L + (γ/2)‖∇L‖²: ∇L + γ H ∇L. */
        DB("DB"),
        /** Forward difference: (1 - γ/ε) ∇L(θ) + (γ/ε) ∇L(θ + ε ∇L). */
        FGR("F-GR"),
        /** Backward difference: (1 + γ/ε) ∇L(θ) - (γ/ε) ∇L(θ - ε ∇L). */
        BGR("B-GR");

        private final String label;

        Method(String label) {
            this.label = label;
        }

        /** The name the tables print. */
        public String label() {
            return label;
        }
    }

    /**
     * Gradient descent from u = v = scale·1 (so β₀ = 0) for {@code steps} steps of size {@code lr}, or until
     * L &lt; 1e-10.
     *
     * @return the final β, or null if the parameters became non-finite (the run diverged)
     */
    public double[] train(double scale, Method method, double lr, double gamma, double epsilon, int steps) {
        double[] u = new double[d], v = new double[d], gu = new double[d], gv = new double[d];
        double[] su = new double[d], sv = new double[d], hu = new double[d], hv = new double[d];
        java.util.Arrays.fill(u, scale);
        java.util.Arrays.fill(v, scale);
        for (int t = 0; t < steps; t++) {
            double loss = gradient(u, v, gu, gv);
            if (loss < 1e-10) {
                break;
            }
            switch (method) {
                case GD -> { }
                case DB -> {
                    hessianVector(u, v, gu, gv, hu, hv);
                    for (int j = 0; j < d; j++) {
                        gu[j] += gamma * hu[j];
                        gv[j] += gamma * hv[j];
                    }
                }
                case FGR, BGR -> {
                    // B-GR is F-GR with the step -ε: a descent step instead of an ascent step.
                    double step = method == Method.FGR ? epsilon : -epsilon;
                    for (int j = 0; j < d; j++) {
                        su[j] = u[j] + step * gu[j];
                        sv[j] = v[j] + step * gv[j];
                    }
                    gradient(su, sv, hu, hv);
                    double c = gamma / step;
                    for (int j = 0; j < d; j++) {
                        gu[j] = (1 - c) * gu[j] + c * hu[j];
                        gv[j] = (1 - c) * gv[j] + c * hv[j];
                    }
                }
            }
            for (int j = 0; j < d; j++) {
                u[j] -= lr * gu[j];
                v[j] -= lr * gv[j];
            }
            if (!Double.isFinite(loss)) {
                return null;
            }
        }
        double[] b = beta(u, v);
        for (double x : b) {
            if (!Double.isFinite(x)) {
                return null;
            }
        }
        return b;
    }

    /** L at β. */
    public double loss(double[] beta) {
        return betaGradient(beta, new double[d]);
    }
}
