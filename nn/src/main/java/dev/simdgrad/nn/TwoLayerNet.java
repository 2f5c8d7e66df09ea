package dev.simdgrad.nn;

import dev.simdgrad.kernels.Sgemm;
import dev.simdgrad.nn.data.Batch;

import java.util.Objects;
import java.util.SplittableRandom;

/**
 * The two-layer network f(x) = W₂ s·σ(W₁x + b₁) + b₂ : ℝᵈ → ℝᵏ with m hidden units, where s = 1 in the standard
 * parametrization and s = 1/√m in the NTK one (see {@link Parametrization}); biases are optional.
 *
 * <p>Parameters live in one flat float vector θ (the live array {@link #parameters()}, updated in place by the
 * optimizers), in this order: W₁ (m x d row-major; row r is w_r), b₁ (m), W₂ (k x m row-major; column r holds the
 * output weights a_r of unit r), b₂ (k). The trainable parameters are a prefix: all of θ, or W₁, b₁ only when the
 * output layer is frozen. Gradients use the same layout over {@link #trainableCount()} entries.
 *
 * <p>Batched computation, every matrix product on {@link Sgemm}, for a batch X (B x d):
 * <pre>
 *   forward:   Z₁ = X W₁ᵀ + 1b₁ᵀ,   H = s·σ(Z₁),   Z₂ = H W₂ᵀ + 1b₂ᵀ
 *   loss:      L = (1/B) Σ ℓ_i(z₂ᵢ),  Δ₂ = [∂ℓ_i/∂z₂ᵢ]           (fused in the loss)
 *   backward:  G = Δ₂ W₂,   Δ₁ = G ⊙ P,   P = s·σ'(Z₁)
 * </pre>
 * (P = s·σ'(Z₁) is kept from the forward pass), after which layer 1 is the pair (X, Δ₁) and layer 2 the pair (H, Δ₂): the per-example gradients are
 * δ₁ᵢ xᵢᵀ and δ₂ᵢ hᵢᵀ, assembled into a step gradient by a {@code GradientStrategy}.
 *
 * <p>Everything is deterministic: the same seed gives the same θ₀, and Sgemm gives the same bits for every thread
 * count, so a training run is reproducible bit for bit.
 */
public final class TwoLayerNet {
    private final NetSpec spec;
    private final float[] theta;
    private final int w1, b1, w2, b2, p1, p;

    private TwoLayerNet(NetSpec spec, float[] theta) {
        this.spec = spec;
        int d = spec.inputs(), m = spec.hidden(), k = spec.outputs();
        w1 = 0;
        b1 = spec.hiddenBias() ? m * d : -1;
        p1 = m * d + (spec.hiddenBias() ? m : 0);
        w2 = p1;
        b2 = spec.outputBias() ? p1 + k * m : -1;
        p = p1 + k * m + (spec.outputBias() ? k : 0);
        if (theta == null) {
            theta = new float[p];
        } else if (theta.length != p) {
            throw new IllegalArgumentException("parameter vector has " + theta.length + " entries but " + spec
                    + " needs " + p);
        }
        this.theta = theta;
    }

    /** Number of parameters of a network with this spec. */
    public static int parameterCount(NetSpec spec) {
        return new TwoLayerNet(spec, null).p;
    }

    /**
     * A network with initial parameters θ₀ drawn from a {@link SplittableRandom} seeded with {@code seed} (same seed,
     * same bits). Biases start at 0.
     * <ul>
     *   <li>Standard: W₁ ~ N(0, σ₁²), W₂ ~ N(0, σ₂²) with σ from {@link Init} (He: √(2/fan_in), Xavier:
     *       √(2/(fan_in + fan_out))).</li>
     *   <li>NTK: W₁ ~ N(0, 1) entrywise, W₂ uniform in {+1, -1}.</li>
     *   <li>Symmetric: units in adjacent pairs (2j, 2j+1) with w_{2j+1} = w_{2j} and a_{2j+1} = -a_{2j}, so
     *       f(x; θ₀) = 0 for every x. (MISSION.md writes the pairs as (r, r + m/2); adjacent pairs are the same
     *       network up to a permutation of units, chosen because Sgemm accumulates over the hidden units in order:
     *       with NTK's ±1 output weights each pair then cancels exactly, and f(x; θ₀) is exactly 0.0f in float as
     *       long as Sgemm sums the m units in one depth block, i.e. for m &lt;= 256. For larger m a block boundary
     *       may split a pair and f(x; θ₀) is only within float rounding of 0, |f| &lt;= γ(m) Σ_r |h_r|.)</li>
     * </ul>
     */
    public static TwoLayerNet initialize(NetSpec spec, long seed) {
        Objects.requireNonNull(spec, "spec");
        TwoLayerNet net = new TwoLayerNet(spec, null);
        SplittableRandom rnd = new SplittableRandom(seed);
        int d = spec.inputs(), m = spec.hidden(), k = spec.outputs();
        boolean ntk = spec.parametrization() == Parametrization.NTK;
        double std1 = ntk ? 1 : spec.init() == Init.HE ? Math.sqrt(2.0 / d) : Math.sqrt(2.0 / (d + m));
        double std2 = spec.init() == Init.HE ? Math.sqrt(2.0 / m) : Math.sqrt(2.0 / (m + k));
        float[] t = net.theta;
        int step = spec.symmetric() ? 2 : 1;
        for (int r = 0; r < m; r += step) {
            for (int j = 0; j < d; j++) {
                t[net.w1 + r * d + j] = (float) (std1 * rnd.nextGaussian());
            }
            if (spec.symmetric()) {
                System.arraycopy(t, net.w1 + r * d, t, net.w1 + (r + 1) * d, d);
            }
        }
        for (int c = 0; c < k; c++) {
            for (int r = 0; r < m; r += step) {
                float a = ntk ? (rnd.nextBoolean() ? 1f : -1f) : (float) (std2 * rnd.nextGaussian());
                t[net.w2 + c * m + r] = a;
                if (spec.symmetric()) {
                    t[net.w2 + c * m + r + 1] = -a;
                }
            }
        }
        return net;
    }

    /**
     * A network with the given parameters (copied), in the layout of {@link #parameters()}.
     *
     * @throws IllegalArgumentException if the length does not match the spec
     */
    public static TwoLayerNet fromParameters(NetSpec spec, float[] parameters) {
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(parameters, "parameters");
        return new TwoLayerNet(spec, parameters.clone());
    }

    /** An independent copy (same spec, copied parameters). */
    public TwoLayerNet copy() {
        return new TwoLayerNet(spec, theta.clone());
    }

    public NetSpec spec() {
        return spec;
    }

    /** The live parameter vector θ (not a copy): optimizers update it in place. */
    public float[] parameters() {
        return theta;
    }

    /** Total number of parameters P. */
    public int parameterCount() {
        return p;
    }

    /** Number of trainable parameters: P, or the size of (W₁, b₁) when the output layer is frozen. */
    public int trainableCount() {
        return spec.freezeOutput() ? p1 : p;
    }

    public int w1Offset() {
        return w1;
    }

    /** Offset of b₁, -1 without hidden bias. */
    public int b1Offset() {
        return b1;
    }

    public int w2Offset() {
        return w2;
    }

    /** Offset of b₂, -1 without output bias. */
    public int b2Offset() {
        return b2;
    }

    /** A workspace for batches of up to {@code capacity} examples. */
    public Workspace workspace(int capacity) {
        return new Workspace(this, capacity);
    }

    /**
     * Forward pass: Z₁ = X W₁ᵀ + b₁, H = s·σ(Z₁), Z₂ = H W₂ᵀ + b₂ into the workspace.
     *
     * @throws IllegalArgumentException if the batch does not fit the workspace or has the wrong input width
     */
    public void forward(Batch batch, Workspace ws) {
        check(batch, ws);
        int bsz = batch.size(), d = spec.inputs(), m = spec.hidden(), k = spec.outputs();
        ws.batch = bsz;
        ws.layer1.bind(batch.inputs(), 0, d, bsz);
        ws.layer2.bind(ws.h, 0, m, bsz);
        if (bsz == 0) {
            return;
        }
        Sgemm.sgemm(false, true, bsz, m, d, 1f, batch.inputs(), 0, d, theta, w1, d, 0f, ws.z1, 0, m);
        biasAndActivation(ws, bsz);
        Sgemm.sgemm(false, true, bsz, k, m, 1f, ws.h, 0, m, theta, w2, m, 0f, ws.z2, 0, k);
        if (b2 >= 0) {
            addRowVector(ws.z2, bsz, k, theta, b2);
        }
    }

    /**
     * Z₁ += b₁, H = s·σ(Z₁) and P = s·σ'(Z₁) in one pass over Z₁: σ and σ' share their transcendental (one tanh or
     * exp per unit), and backward then needs none. Each value is formed in double and rounded once to float. The
     * formulas are those of {@link Activation}, written out per activation so the loop has no virtual call; the
     * verify module checks them against the enum's.
     */
    private void biasAndActivation(Workspace ws, int bsz) {
        int m = spec.hidden();
        double s = spec.hiddenScale();
        float[] z1 = ws.z1, h = ws.h, p = ws.p;
        if (b1 >= 0) {
            addRowVector(z1, bsz, m, theta, b1);
        }
        int n = bsz * m;
        switch (spec.activation()) {
            case RELU -> {
                float sf = (float) s;
                for (int e = 0; e < n; e++) {
                    float z = z1[e];
                    h[e] = z > 0 ? sf * z : 0f;
                    p[e] = z > 0 ? sf : 0f;
                }
            }
            case TANH -> {
                for (int e = 0; e < n; e++) {
                    double t = Math.tanh(z1[e]);
                    h[e] = (float) (s * t);
                    p[e] = (float) (s * (1 - t * t));
                }
            }
            case SOFTPLUS -> {
                for (int e = 0; e < n; e++) {
                    double z = z1[e], ex = Math.exp(-Math.abs(z));
                    h[e] = (float) (s * (Math.max(z, 0) + Math.log1p(ex)));
                    p[e] = (float) (s * (z >= 0 ? 1 / (1 + ex) : ex / (1 + ex)));
                }
            }
            case GELU -> {
                double c = Math.sqrt(2 / Math.PI), a = 0.044715;
                for (int e = 0; e < n; e++) {
                    double z = z1[e], t = Math.tanh(c * (z + a * z * z * z)), du = c * (1 + 3 * a * z * z);
                    h[e] = (float) (s * 0.5 * z * (1 + t));
                    p[e] = (float) (s * (0.5 * (1 + t) + 0.5 * z * (1 - t * t) * du));
                }
            }
        }
    }

    private static void addRowVector(float[] z, int rows, int cols, float[] v, int vo) {
        for (int i = 0; i < rows; i++) {
            for (int c = 0; c < cols; c++) {
                z[i * cols + c] += v[vo + c];
            }
        }
    }

    /**
     * Backward pass from the output deltas Δ₂ already in the workspace (written by
     * {@link Loss#lossAndDelta} into {@link Workspace#outputDeltas()}): G = Δ₂ W₂, Δ₁ = G ⊙ s·σ'(Z₁).
     */
    public void backward(Workspace ws) {
        int bsz = ws.batch, m = spec.hidden(), k = spec.outputs();
        if (bsz == 0) {
            return;
        }
        Sgemm.sgemm(false, false, bsz, m, k, 1f, ws.d2, 0, k, theta, w2, m, 0f, ws.g, 0, m);
        float[] g = ws.g, p = ws.p, d1 = ws.d1;
        for (int e = 0; e < bsz * m; e++) {
            d1[e] = g[e] * p[e];
        }
    }

    /**
     * Forward, loss and backward in one call: after it the workspace holds the per-example deltas of every layer
     * (see {@link PerExampleDeltas}).
     *
     * @return the mean loss L = (1/B) Σ ℓ_i
     */
    public double lossAndDeltas(Loss loss, Batch batch, Workspace ws) {
        forward(batch, ws);
        double l = loss.lossAndDelta(ws.z2, spec.outputs(), batch, ws.d2);
        backward(ws);
        return l;
    }

    /**
     * The Hessian-vector product of the mean loss, out = ∇²_θ L(θ) · v over the trainable parameters, exact
     * (forward-over-reverse differentiation written out by hand; see {@link HessianVectorProduct}). Call after
     * {@link #lossAndDeltas} on the same batch with the same parameters.
     *
     * @param v   direction, {@link #trainableCount()} entries
     * @param out receives H v, {@link #trainableCount()} entries (not aliasing v)
     */
    public void hessianVectorProduct(Loss loss, Batch batch, Workspace ws, float[] v, float[] out) {
        if (v.length < trainableCount() || out.length < trainableCount()) {
            throw new IllegalArgumentException("v and out need " + trainableCount() + " entries");
        }
        if (v == out) {
            throw new IllegalArgumentException("out must not alias v");
        }
        HessianVectorProduct.compute(this, loss, batch, ws, v, out);
    }

    private void check(Batch batch, Workspace ws) {
        if (!ws.fits(spec)) {
            throw new IllegalArgumentException("workspace was made for " + ws.spec + ", not " + spec);
        }
        if (batch.features() != spec.inputs()) {
            throw new IllegalArgumentException("batch has " + batch.features() + " features, network expects d="
                    + spec.inputs());
        }
        if (batch.size() > ws.capacity) {
            throw new IllegalArgumentException("batch of " + batch.size() + " exceeds workspace capacity "
                    + ws.capacity);
        }
    }

    int p1() {
        return p1;
    }

    @Override
    public String toString() {
        return "TwoLayerNet[" + spec.inputs() + "-" + spec.hidden() + "-" + spec.outputs() + ", "
                + spec.activation() + ", " + spec.parametrization() + ", P=" + p + "]";
    }
}
