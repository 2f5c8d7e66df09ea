package dev.simdgrad.verify.check;

import dev.simdgrad.kernels.Aggregate;
import dev.simdgrad.kernels.DenseLayer;
import dev.simdgrad.kernels.PerExample;
import dev.simdgrad.kernels.RobustAggregate;
import dev.simdgrad.verify.ErrorBounds;
import dev.simdgrad.verify.ReferenceRobust;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Checks the robust aggregators computed from the Gram matrix against {@link ReferenceRobust} (distances, Krum
 * scores, Weiszfeld and centered clipping on the vectors, in double). Each random case draws one dense layer (D, X,
 * with bias; B in 3..40, dOut in 1..8, dIn in 1..48), materializes its per-example gradients, and checks, as
 * error/bound ratios:
 * <ul>
 *   <li>Krum, explicit and fused: the output is bitwise the selected row (else an infinite ratio), and the
 *   selected row's reference score exceeds the best one by at most the score bounds of both
 *   ({@link ReferenceRobust#scoreBound}, plus for the fused rule the materialization's {@code 3u (|g_i| +
 *   |g_j|)^2} per distance): ratio = excess / bound, 0 when the rows agree;</li>
 *   <li>geometric median (explicit, 300 smoothed Weiszfeld iterations, tolerance 0): the objective
 *   {@code sum_i ||z - g_i||} of the float result over the reference's after as many iterations, ratio =
 *   {@code (F - F_ref) / (1e-4 F_ref + B gamma(B + 2) sqrt(sum_j max_i g_ij^2))};</li>
 *   <li>centered clipping (explicit, 0..4 iterations from a random center): the bound of the property tests,
 *   {@code gamma(B + 2) max(|c_j|, max_i |g_ij|) + iterations 4 sqrt((gamma_d(P + (B+1)^2 + 8) + 6 rho) M^2 + 3 P 2^-149)}
 *   (rho: {@link ReferenceRobust#directRelative}), plus half an
 *   ulp.</li>
 * </ul>
 * Multi-Krum and Bulyan, whose results on a near tie depend on which of several allowed selections was taken, are
 * checked by the property tests of the verify module (which search the allowed selections), not here.
 *
 * <p>C2: 150 warm-up cases run every rule before the counted ones.
 */
public final class RobustCheck implements KernelCheck {
    private static final String[] RULES = {"krum", "fused krum", "geometric median", "centered clipping"};

    @Override
    public String name() {
        return "robust";
    }

    @Override
    public CheckResult run(int cases, long seed) {
        if (cases < 0) {
            throw new IllegalArgumentException("cases=" + cases + " < 0");
        }
        SplittableRandom warm = new SplittableRandom(seed ^ 0x2545_f491_4f6c_dd1dL);
        for (int i = 0; i < 150; i++) {
            Case.random(warm, i % RULES.length).ratio();
        }
        CheckTally tally = new CheckTally();
        SplittableRandom r = new SplittableRandom(seed ^ 0x9e37_79b9_7f4a_7c15L);
        for (int i = 0; i < cases; i++) {
            Case c = Case.random(r, r.nextInt(RULES.length));
            tally.add(c.ratio(), c::toString);
        }
        return tally.result(name());
    }

    private record Case(int rule, int batch, int dOut, int dIn, int f, int iterations, float[] d, float[] x,
                        float[] center, long seed) {
        static Case random(SplittableRandom r, int rule) {
            int batch = 3 + r.nextInt(38), dOut = 1 + r.nextInt(8), dIn = 1 + r.nextInt(48);
            float[] d = new float[batch * dOut], x = new float[batch * dIn];
            boolean ints = r.nextInt(4) == 0;
            for (int i = 0; i < d.length; i++) {
                d[i] = ints ? r.nextInt(5) - 2 : (float) r.nextGaussian();
            }
            for (int i = 0; i < x.length; i++) {
                x[i] = ints ? r.nextInt(3) : (float) r.nextGaussian();
            }
            int p = dOut * dIn + dOut;
            float[] center = new float[p];
            for (int j = 0; j < p; j++) {
                center[j] = (float) (0.1 * r.nextGaussian());
            }
            return new Case(rule, batch, dOut, dIn, r.nextInt((batch - 3) / 2 + 1), r.nextInt(5), d, x, center,
                    r.nextLong());
        }

        int cols() {
            return dOut * dIn + dOut;
        }

        float[] materialized() {
            float[] g = new float[batch * cols()];
            PerExample.gradients(batch, dOut, dIn, d, 0, dOut, x, 0, dIn, true, 0, cols(), g, 0, cols());
            return g;
        }

        double ratio() {
            float[] g = materialized();
            int p = cols();
            double[][] rows = ReferenceRobust.rows(g, 0, batch, p, p);
            double[] norms = new double[batch];
            for (int i = 0; i < batch; i++) {
                norms[i] = ReferenceRobust.norm(rows[i]);
            }
            return switch (rule) {
                case 0, 1 -> krum(g, rows, norms, rule == 1);
                case 2 -> geometricMedian(g, rows);
                default -> centeredClipping(g, rows, norms);
            };
        }

        private double krum(float[] g, double[][] rows, double[] norms, boolean fused) {
            int p = cols();
            float[] out = new float[p];
            int idx = fused
                    ? RobustAggregate.krum(batch, new DenseLayer[] {new DenseLayer(dOut, dIn, d, 0, dOut, x, 0, dIn,
                            out, 0, dIn, out, dOut * dIn)}, f)
                    : Aggregate.krum(g, 0, batch, p, p, f, out, 0);
            if (idx < 0 || !Arrays.equals(out, Arrays.copyOfRange(g, idx * p, idx * p + p))) {
                return Double.POSITIVE_INFINITY;
            }
            boolean[] active = new boolean[batch];
            Arrays.fill(active, true);
            double[][] dist = ReferenceRobust.distances(rows);
            double[] sc = ReferenceRobust.krumScores(rows, dist, active, f);
            int best = ReferenceRobust.argMin(sc, active), k = batch - f - 2;
            if (best == idx) {
                return 0;
            }
            double bound = ReferenceRobust.scoreBound(norms, dist, active, best, k, p)
                    + ReferenceRobust.scoreBound(norms, dist, active, idx, k, p);
            if (fused) {
                bound += materialization(norms, best, k) + materialization(norms, idx, k);
            }
            return bound > 0 ? (sc[idx] - sc[best]) / bound : Double.POSITIVE_INFINITY;
        }

        /** The k largest {@code 3u (|g_i| + |g_j|)^2}: how far the rounding of fl(d x) moves a Krum score. */
        private double materialization(double[] norms, int i, int k) {
            double[] e = new double[batch - 1];
            int c = 0;
            for (int j = 0; j < batch; j++) {
                if (j != i) {
                    e[c++] = 3 * ErrorBounds.U * (norms[i] + norms[j]) * (norms[i] + norms[j]);
                }
            }
            Arrays.sort(e);
            double s = 0;
            for (int q = c - 1; q >= c - k; q--) {
                s += e[q];
            }
            return s;
        }

        private double geometricMedian(float[] g, double[][] rows) {
            int p = cols(), iterations = 300;
            double maxNorm = 0, rounding = 0;
            for (double[] v : rows) {
                maxNorm = Math.max(maxNorm, ReferenceRobust.norm(v));
            }
            double nu = Math.max(Double.MIN_NORMAL, 1e-9 * maxNorm);
            float[] out = new float[p];
            Aggregate.geometricMedian(g, 0, batch, p, p, nu, iterations, 0, out, 0);
            double[] z = new double[p];
            for (int j = 0; j < p; j++) {
                z[j] = out[j];
                double mx = 0;
                for (double[] v : rows) {
                    mx = Math.max(mx, Math.abs(v[j]));
                }
                rounding += mx * mx;
            }
            double ref = ReferenceRobust.objective(rows, ReferenceRobust.weiszfeld(rows, nu, iterations));
            double got = ReferenceRobust.objective(rows, z);
            double allowed = 1e-4 * ref + batch * ErrorBounds.gamma(batch + 2) * Math.sqrt(rounding);
            return got <= ref ? 0 : allowed > 0 ? (got - ref) / allowed : Double.POSITIVE_INFINITY;
        }

        private double centeredClipping(float[] g, double[][] rows, double[] norms) {
            int p = cols();
            double[] c = new double[p];
            double spread = 0, m = 0;
            for (int j = 0; j < p; j++) {
                c[j] = center[j];
            }
            m = ReferenceRobust.norm(c);
            for (int i = 0; i < batch; i++) {
                spread += ReferenceRobust.distance(rows[i], c) / batch;
                m = Math.max(m, norms[i]);
            }
            float tau = (float) (spread > 0 ? spread * (0.05 + (seed & 15) / 8.0) : 1.0);
            float[] out = new float[p];
            Aggregate.centeredClipping(g, 0, batch, p, p, center, 0, tau, iterations, out, 0);
            double[] ref = ReferenceRobust.centeredClipping(rows, c, tau, iterations);
            double drift = iterations * 4 * Math.sqrt((ErrorBounds.gammaDouble((long) p + (long) (batch + 1)
                    * (batch + 1) + 8) + 6 * ReferenceRobust.directRelative(p)) * m * m
                    + 3 * ReferenceRobust.directAbsolute(p));
            double worst = 0;
            for (int j = 0; j < p; j++) {
                double mx = Math.abs(c[j]);
                for (double[] v : rows) {
                    mx = Math.max(mx, Math.abs(v[j]));
                }
                double bound = ErrorBounds.ofFloatResult(ErrorBounds.gamma(batch + 2) * mx + drift, ref[j]);
                double err = Math.abs(out[j] - ref[j]);
                if (err > 0) {
                    worst = Math.max(worst, bound > 0 ? err / bound : Double.POSITIVE_INFINITY);
                }
            }
            return worst;
        }

        @Override
        public String toString() {
            return RULES[rule] + " (f=" + f + ", iterations=" + iterations + ") over B=" + batch + " of a " + dOut
                    + "x" + dIn + " layer with bias (P=" + cols() + "), seed " + seed;
        }
    }
}
