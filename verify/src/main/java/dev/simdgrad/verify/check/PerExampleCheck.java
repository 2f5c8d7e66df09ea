package dev.simdgrad.verify.check;

import dev.simdgrad.kernels.PerExample;
import dev.simdgrad.verify.ErrorBounds;
import dev.simdgrad.verify.ReferencePerExample;
import java.util.SplittableRandom;

/**
 * Checks the per-example kernels of a dense layer against {@link ReferencePerExample}: the squared norms
 * {@code ||g_i||^2 = ||d_i||^2 (||x_i||^2 + 1)} (accumulated in double and rounded once, so within one ulp), and the
 * weighted gradient {@code sum_i s_i g_i} with weights that are the mean's, clipping weights or arbitrary, within
 * {@code gamma(B + 3) * sum_i |s_i g_i|} plus half an ulp (the bound {@code PerExample}'s Javadoc derives: one
 * rounding for the scaled row, B for the SGEMM's sum, and the SGEMM's alpha/beta roundings).
 *
 * <p>C2: 300 warm-up calls over varied shapes run before the cases.
 */
public final class PerExampleCheck implements KernelCheck {

    @Override
    public String name() {
        return "per-example";
    }

    @Override
    public CheckResult run(int cases, long seed) {
        if (cases < 0) {
            throw new IllegalArgumentException("cases=" + cases + " < 0");
        }
        SplittableRandom warm = new SplittableRandom(seed ^ 0x1f83_d9ab_fb41_bd6bL);
        for (int i = 0; i < 300; i++) {
            Layer l = Layer.random(warm);
            l.norms();
            l.weighted(l.weights(warm));
        }
        CheckTally tally = new CheckTally();
        SplittableRandom r = new SplittableRandom(seed ^ 0x5be0_cd19_137e_2179L);
        for (int i = 0; i < cases; i++) {
            Layer l = Layer.random(r);
            float[] s = l.weights(r);
            tally.add(l.normsRatio(), () -> "squared norms of " + l);
            tally.add(l.weightedRatio(s), () -> "weighted gradient of " + l);
        }
        return tally.result(name());
    }

    /** D (B x dOut) and X (B x dIn) of a dense layer with a bias. */
    private record Layer(int batch, int dOut, int dIn, float[] d, float[] x) {
        static Layer random(SplittableRandom r) {
            int batch = 1 + r.nextInt(r.nextBoolean() ? 17 : 130), dOut = 1 + r.nextInt(20);
            int dIn = 1 + r.nextInt(r.nextBoolean() ? 33 : 80);
            float[] d = new float[batch * dOut], x = new float[batch * dIn];
            for (int i = 0; i < d.length; i++) {
                d[i] = (float) r.nextGaussian();
            }
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) r.nextGaussian();
            }
            return new Layer(batch, dOut, dIn, d, x);
        }

        /** The mean's weights, clipping weights at a norm near the median, or Gaussian weights. */
        float[] weights(SplittableRandom r) {
            float[] s = new float[batch];
            switch (r.nextInt(3)) {
                case 0 -> java.util.Arrays.fill(s, 1f / batch);
                case 1 -> {
                    float[] n = norms();
                    float[] sorted = n.clone();
                    java.util.Arrays.sort(sorted);
                    PerExample.clipWeights(batch, n, 0, (float) Math.sqrt(sorted[batch / 2]), 1f / batch, s, 0);
                }
                default -> {
                    for (int i = 0; i < batch; i++) {
                        s[i] = (float) r.nextGaussian();
                    }
                }
            }
            return s;
        }

        float[] norms() {
            float[] n = new float[batch];
            PerExample.squaredNorms(batch, dOut, dIn, d, 0, dOut, x, 0, dIn, true, false, n, 0);
            return n;
        }

        float[] weighted(float[] s) {
            float[] g = new float[dOut * dIn + dOut];
            float[] gb = new float[dOut];
            PerExample.weightedGradient(batch, dOut, dIn, s, 0, d, 0, dOut, x, 0, dIn, 0f, g, 0, dIn, gb, 0);
            System.arraycopy(gb, 0, g, dOut * dIn, dOut);
            return g;
        }

        double normsRatio() {
            float[] n = norms();
            double[] ref = ReferencePerExample.squaredNorms(batch, dOut, dIn, d, 0, dOut, x, 0, dIn, true);
            double worst = 0;
            for (int i = 0; i < batch; i++) {
                worst = Math.max(worst, ratio(n[i], ref[i], Math.ulp((float) ref[i])));
            }
            return worst;
        }

        double weightedRatio(float[] s) {
            float[] g = weighted(s);
            double[] mag = new double[g.length];
            double[] ref = ReferencePerExample.weightedSum(batch, dOut, dIn, s, 0, d, 0, dOut, x, 0, dIn, mag);
            double worst = 0;
            for (int q = 0; q < g.length; q++) {
                double bound = ErrorBounds.gamma(batch + 3) * mag[q] + 0.5 * Math.ulp((float) ref[q]);
                worst = Math.max(worst, ratio(g[q], ref[q], bound));
            }
            return worst;
        }

        private static double ratio(float got, double expected, double bound) {
            if (Float.isNaN(got) || Double.isNaN(expected)) {
                return Float.isNaN(got) && Double.isNaN(expected) ? 0 : Double.POSITIVE_INFINITY;
            }
            double err = Math.abs(got - expected);
            return err == 0 ? 0 : bound > 0 ? err / bound : Double.POSITIVE_INFINITY;
        }

        @Override
        public String toString() {
            return "a " + dOut + "x" + dIn + " layer with bias over B=" + batch;
        }
    }
}
