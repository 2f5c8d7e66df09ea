package dev.simdgrad.nn.metrics;

import dev.simdgrad.kernels.Sgemm;
import dev.simdgrad.nn.TwoLayerNet;
import dev.simdgrad.nn.data.Dataset;

/**
 * The minimum-norm zero-error solution of the network linearized at θ₀ (Satpathi &amp; Srikant 2021), over the first
 * layer (W₁, b₁): with J the n x P₁ Jacobian at θ₀, H = J Jᵀ ({@link NtkGram}) and residual r = y - f(X; θ₀)
 * (= y under the symmetric initialization),
 * <pre>  θ* = θ₀ + Jᵀ H⁻¹ r,    α = H⁻¹ r  (Cholesky in double)</pre>
 * Jᵀα is formed without J: its W₁ block is s (diag(α) S)ᵀ X, one SGEMM, and its b₁ block s Sᵀα. Also the norms of
 * the theory: ‖θ* - θ₀‖ = √(rᵀH⁻¹r), and the generalization bound √(2 rᵀH⁻¹r / n) (Arora et al. 2019).
 *
 * <p>Defined for the two-layer, scalar-output theory ({@link TwoLayerNet} with one output), as is {@link NtkGram}.
 *
 * @param parameters θ*, all parameters (the output layer is θ₀'s)
 * @param alpha      H⁻¹ r
 * @param rHinvR     rᵀ H⁻¹ r
 * @param n          number of training examples
 */
public record MinNormSolution(float[] parameters, double[] alpha, double rHinvR, int n) {

    /**
     * Solves for θ* at the network's current parameters θ₀, with the dataset's scalar targets y.
     *
     * @throws IllegalArgumentException if the network has more than one output, the dataset has no scalar targets,
     *                                  or H is not positive definite (e.g. repeated inputs)
     */
    public static MinNormSolution compute(TwoLayerNet net0, Dataset data) {
        if (!data.hasTargets() || data.targetWidth() != 1) {
            throw new IllegalArgumentException("the min-norm solution needs scalar targets (width 1)");
        }
        int n = data.size(), m = net0.spec().hidden(), d = net0.spec().inputs();
        NtkGram.Factors f = NtkGram.factors(net0, data);
        double[] r = new double[n];
        for (int i = 0; i < n; i++) {
            r[i] = (double) data.target(i, 0) - f.outputs()[i];
        }
        double[] alpha = Cholesky.factor(NtkGram.of(net0, data), n).solve(r);
        double rhr = 0;
        for (int i = 0; i < n; i++) {
            rhr += r[i] * alpha[i];
        }
        float s = net0.spec().hiddenScale();
        float[] as = new float[n * m];
        for (int i = 0; i < n; i++) {
            for (int q = 0; q < m; q++) {
                as[i * m + q] = (float) (alpha[i] * f.s()[i * m + q]);
            }
        }
        float[] theta = net0.parameters().clone();
        // W₁ += s (diag(α) S)ᵀ X  (beta = 1 adds to θ₀ in place)
        Sgemm.sgemm(true, false, m, d, n, s, as, 0, m, data.inputs(), 0, d, 1f, theta, net0.w1Offset(), d);
        if (net0.b1Offset() >= 0) {
            for (int q = 0; q < m; q++) {
                double b = 0;
                for (int i = 0; i < n; i++) {
                    b += as[i * m + q];
                }
                theta[net0.b1Offset() + q] += (float) (s * b);
            }
        }
        return new MinNormSolution(theta, alpha, rhr, n);
    }

    /** ‖θ* - θ₀‖ predicted by the theory, √(rᵀH⁻¹r). */
    public double predictedDistance() {
        return Math.sqrt(rHinvR);
    }

    /** The generalization bound √(2 rᵀH⁻¹r / n). */
    public double generalizationBound() {
        return Math.sqrt(2 * rHinvR / n);
    }

    /** ‖θ - θ*‖ / ‖θ* - θ₀‖ over all parameters: how close training came to the linearized min-norm solution. */
    public double relativeDistance(TwoLayerNet net, float[] theta0) {
        int p = parameters.length;
        return Norms.distance(net.parameters(), parameters, p) / Norms.distance(parameters, theta0, p);
    }
}
