package dev.simdgrad.experiments.gradreg;

import java.util.List;

/**
 * The cost of one training step of a dense ReLU network counted in matrix products, derived from the code of
 * {@code nn} (bias reductions, 1 x B by B x o products, and the loss's own Hessian product, B x k, are left out: they
 * are O(B·width), not O(B·width²)). For L weight layers with sizes s_l = in_l · out_l (l = 0 is the input layer):
 * <ul>
 *   <li>plain gradient: the forward pass (one product per layer, L), the backward pass of the deltas (one per layer
 *       above the first, L - 1) and the mean gradient Δᵀ A / B (one per layer, L): 3L - 1 products,
 *       B (2 Σ s_l + Σ_{l&gt;0} s_l) multiply-adds;</li>
 *   <li>F-GR and B-GR: two plain gradients (at θ and at θ ± ε g): 6L - 2;</li>
 *   <li>DB, true double backprop ({@code BackpropThroughBackwardGR}): a plain gradient, then the upward sweep through
 *       the backward pass (2 per layer, 1 at the first: 2L - 1), the weights' adjoints (2L - 1) and the adjoints of
 *       the forward activations (2 per layer above the first: 2L - 2): 9L - 5 products;</li>
 *   <li>DB by the Hessian-vector product, forward-over-reverse ({@code DoubleBackpropGR}): a plain gradient, the
 *       tangent forward (2L - 1), the tangent backward (2L - 2) and the tangent gradient (2L - 1): also 9L - 5,
 *       with the same multiply-adds, B (6 Σ s_l - 4 s_0) beyond the plain gradient.</li>
 * </ul>
 * Karakida et al. count about 6L for F-GR against 9L for DB (as we read them); these are the same up to the first
 * and last layers. Pure arithmetic, no state.
 */
public final class CostModel {
    private CostModel() {
    }

    /** How a step's gradient is computed, for the cost measurements. */
    public enum Method {
        /** The plain mean gradient. */
        PLAIN("plain"),
        /** Forward-difference GR. */
        FGR("F-GR"),
        /** Backward-difference GR. */
        BGR("B-GR"),
        /** True double backpropagation through the backward pass (what autodiff computes; the paper's DB). */
        DB("DB (double backprop)"),
        /** The same gradient by an analytic Hessian-vector product (R-op): not the paper's algorithm. */
        HVP("DB by HVP (R-op)");

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
     * Matrix products per step of a network with {@code layers} weight layers.
     *
     * @throws IllegalArgumentException for layers &lt; 1
     */
    public static int products(Method m, int layers) {
        if (layers < 1) {
            throw new IllegalArgumentException("layers=" + layers + " must be >= 1");
        }
        int plain = 3 * layers - 1;
        return switch (m) {
            case PLAIN -> plain;
            case FGR, BGR -> 2 * plain;
            case DB, HVP -> plain + 6 * layers - 4;
        };
    }

    /**
     * Multiply-adds per example of one step, for the layer widths {@code widths} (input, hidden..., output).
     *
     * @throws IllegalArgumentException for fewer than two widths
     */
    public static long multiplyAdds(Method m, List<Integer> widths) {
        if (widths.size() < 2) {
            throw new IllegalArgumentException("widths " + widths + ": need input and output");
        }
        long all = 0, first = (long) widths.get(0) * widths.get(1);
        for (int l = 0; l + 1 < widths.size(); l++) {
            all += (long) widths.get(l) * widths.get(l + 1);
        }
        long plain = 2 * all + (all - first);
        return switch (m) {
            case PLAIN -> plain;
            case FGR, BGR -> 2 * plain;
            case DB, HVP -> plain + 6 * all - 4 * first;
        };
    }
}
