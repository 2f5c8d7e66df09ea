package dev.simdgrad.nn;

/**
 * How a network scales its hidden activations and initializes its weights; described here for the two-layer network,
 * and at any depth in {@link Architecture} and {@link DenseNetwork#initialize}: in the NTK parametrization every hidden
 * layer of width n has its activations scaled by 1/√n, hidden weights are N(0, 1) and output weights ±1.
 *
 * <ul>
 *   <li>{@link #STANDARD}: f(x) = W₂ σ(W₁x + b₁) + b₂ with He (ReLU-family, std √(2/fan_in)) or Xavier
 *       (std √(2/(fan_in + fan_out))) Gaussian initialization, chosen by {@link NetSpec#init()} (per layer: {@link LayerSpec#init()}).</li>
 *   <li>{@link #NTK}: f(x) = (1/√m) Σ_r a_r σ(w_rᵀx + b_r) + b₂, with w_r ~ N(0, I) and a_r uniform in {+1, -1}
 *       (one independent sign per output). The 1/√m is applied to the hidden activations, so the output layer sees
 *       inputs h = σ(z)/√m and stays an ordinary dense layer: its per-example gradient is δ hᵀ.</li>
 * </ul>
 */
public enum Parametrization {
    /** f(x) = W₂ σ(W₁x + b₁) + b₂, Gaussian He or Xavier initialization. */
    STANDARD,
    /** f(x) = (1/√m) W₂ σ(W₁x + b₁) + b₂, W₁ ~ N(0, 1) and W₂ ∈ {±1}. */
    NTK
}
