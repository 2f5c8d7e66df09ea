package dev.simdgrad.verify;

import dev.simdgrad.nn.Activation;
import dev.simdgrad.nn.DenseLayerBatch;
import dev.simdgrad.nn.strategy.ClipNorm;
import dev.simdgrad.nn.strategy.Mean;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * ClipNorm against its definition on the per-example gradients of a real backward pass: the network-wide norms
 * against the double reference, the clipped mean (1/B) Σ min(1, C/‖g_i‖) g_i within its derived bound, and with C
 * above every norm, Mean within the sum of both bounds.
 */
class NnStrategyClipNormProperties {

    /** Per-example gradients in double from the workspace's float (Δ, X): g_i[q] = δ_i[r] x_i[c], exact products. */
    static double[][] perExample(NnStrategyDefinitionProperties.Fixture f) {
        int b = f.ws().batchSize(), n = f.net().trainableCount();
        double[][] g = new double[b][n];
        for (int l = 0; l < f.ws().layerCount(); l++) {
            DenseLayerBatch layer = f.ws().layer(l);
            float[] d = layer.delta(), x = layer.input();
            for (int i = 0; i < b; i++) {
                for (int r = 0; r < layer.out(); r++) {
                    double dv = d[i * layer.deltaStride() + r];
                    for (int c = 0; c < layer.in(); c++) {
                        g[i][layer.weightOffset() + r * layer.in() + c] =
                                dv * x[layer.inputOffset() + i * layer.inputStride() + c];
                    }
                    if (layer.hasBias()) {
                        g[i][layer.biasOffset() + r] = dv;
                    }
                }
            }
        }
        return g;
    }

    @Property(tries = 40)
    void clippedMeanMatchesItsDefinition(@ForAll @IntRange(min = 1, max = 30) int d,
                                         @ForAll @IntRange(min = 1, max = 12) int m,
                                         @ForAll @IntRange(min = 1, max = 5) int k,
                                         @ForAll @IntRange(min = 1, max = 40) int b,
                                         @ForAll Activation act, @ForAll boolean biases, @ForAll boolean frozen,
                                         @ForAll @IntRange(min = 0, max = 100) int quantile, @ForAll long seed) {
        checkClippedMean(NnStrategyDefinitionProperties.Fixture.of(d, m, k, b, act, biases, frozen, seed), quantile);
    }

    /** The clipped mean of a fixture against its definition, C at the given percentile of the norms. */
    static void checkClippedMean(NnStrategyDefinitionProperties.Fixture f, int quantile) {
        int b = f.ws().batchSize();
        double[][] g = perExample(f);
        int n = g.length == 0 ? 0 : g[0].length;
        double[] norm = new double[b];
        for (int i = 0; i < b; i++) {
            for (double v : g[i]) {
                norm[i] += v * v;
            }
        }
        // C at a quantile of the norms, so that from none to all but one of the examples are clipped.
        double[] sorted = norm.clone();
        Arrays.sort(sorted);
        float clip = (float) Math.max(1e-6, Math.sqrt(sorted[quantile * (b - 1) / 100]));
        ClipNorm strategy = new ClipNorm(clip);
        float[] got = f.run(strategy);

        // Per layer: ‖δ‖² and ‖x‖² in double, the product rounded once (u), the L layers added in float (γ(L - 1)):
        // within γ(L + 1) relative; 4u (the two-layer bound) covers L <= 2, deeper networks get γ(L + 1).
        int layers = f.ws().layerCount();
        double normBound = Math.max(4 * ErrorBounds.U, ErrorBounds.gamma(layers + 1));
        for (int i = 0; i < b; i++) {
            assertEquals(norm[i], strategy.lastSquaredNorms()[i], normBound * norm[i], "‖g_" + i + "‖²");
        }
        double[] s = new double[b];
        for (int i = 0; i < b; i++) {
            s[i] = (norm[i] == 0 ? 1 : Math.min(1, clip / Math.sqrt(norm[i]))) / b;
        }
        for (int q = 0; q < n; q++) {
            double ref = 0, mag = 0;
            for (int i = 0; i < b; i++) {
                ref += s[i] * g[i][q];
                mag += s[i] * Math.abs(g[i][q]);
            }
            // Weight s_i: the norm (<= 3u relative, so <= 1.5u in its root), the quotient, min, the product with
            // fl(1/B) and the rounding to float, <= 6u; fl(s_i δ_i): u; SGEMM with k = B: γ(B + 2). First order:
            // γ(B + 9) Σ s_i |g_i|, plus half an ulp for the float result (the bias sum in double is tighter). With
            // L > 2 trainable layers the norm carries (L + 1)u, its root (L + 1)u/2: L - 2 more units cover it.
            double bound = ErrorBounds.gamma(b + 9 + Math.max(0, layers - 2)) * mag + 0.5 * Math.ulp((float) ref);
            assertEquals(ref, got[q], bound, "coordinate " + q + " of " + strategy);
        }
    }

    @Property(tries = 30)
    void withNothingClippedItIsTheMean(@ForAll @IntRange(min = 1, max = 30) int d,
                                       @ForAll @IntRange(min = 1, max = 12) int m,
                                       @ForAll @IntRange(min = 1, max = 40) int b,
                                       @ForAll Activation act, @ForAll boolean biases, @ForAll long seed) {
        var f = NnStrategyDefinitionProperties.Fixture.of(d, m, 4, b, act, biases, false, seed);
        float[] clipped = f.run(new ClipNorm(1e30f)), mean = f.run(new Mean());
        double[][] g = perExample(f);
        for (int q = 0; q < mean.length; q++) {
            double mag = 0;
            for (double[] gi : g) {
                mag += Math.abs(gi[q]);
            }
            // Both within their bound of the exact mean: ClipNorm γ(B + 9) (above, every s_i = fl(1/B)), Mean
            // γ(B + 4) (SGEMM with alpha = fl(1/B)); half an ulp each for the rounding to float.
            double bound = (ErrorBounds.gamma(b + 9) + ErrorBounds.gamma(b + 4)) * mag / b
                    + Math.ulp(Math.abs(mean[q]) + Math.abs(clipped[q]));
            assertEquals(mean[q], clipped[q], bound, "coordinate " + q);
        }
    }

    @Property(tries = 5)
    void rejectsBadClipNorms(@ForAll boolean negative) {
        assertThrows(IllegalArgumentException.class, () -> new ClipNorm(negative ? -1f : 0f));
        assertThrows(IllegalArgumentException.class, () -> new ClipNorm(Float.POSITIVE_INFINITY));
        assertThrows(IllegalArgumentException.class, () -> new ClipNorm(Float.NaN));
        assertTrue(new ClipNorm(2f).toString().contains("2.0"));
    }
}
