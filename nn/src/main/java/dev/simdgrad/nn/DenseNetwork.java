package dev.simdgrad.nn;

import dev.simdgrad.kernels.BiasActivation;
import dev.simdgrad.kernels.Sgemm;
import dev.simdgrad.nn.data.Batch;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * A dense network of L &gt;= 1 layers (see {@link Architecture} for the function it computes), with its parameters
 * in one flat float vector and every matrix product on the kernels' {@link Sgemm}.
 *
 * <p><b>Parameters.</b> θ ({@link #parameters()}, the live array that optimizers update in place) holds, layer after
 * layer from the input: W_l ({@code outputs x inputs} row-major, row r the incoming weights of unit r), then b_l
 * (when the layer has a bias). {@link #weightOffset(int)} and {@link #biasOffset(int)} locate them.
 *
 * <p><b>Gradients</b> cover the trainable (not frozen) layers only, in the same order and layout but without the
 * frozen blocks: {@link #trainableCount()} entries. When the frozen layers are at the top (as with a frozen output
 * layer) the gradient vector is a prefix of θ; in general {@link #trainableSpans()} maps one onto the other.
 *
 * <p><b>Batched computation</b>, for a batch X (B x n₀), A₀ = X:
 * <pre>
 *   forward:   Z_l = A_{l-1} W_lᵀ + 1b_lᵀ,   A_l = s_l σ_l(Z_l),   P_l = s_l σ_l'(Z_l)   (l &lt; L),   outputs Z_L
 *   loss:      L = (1/B) Σ ℓ_i(z_Lᵢ),   Δ_L = [∂ℓ_i/∂z_Lᵢ]                                 (fused in the loss)
 *   backward:  G_l = Δ_{l+1} W_{l+1},   Δ_l = G_l ⊙ P_l                     down to the lowest trainable layer
 * </pre>
 * after which trainable layer l is the pair (A_{l-1}, Δ_l): its per-example gradients are δ_lᵢ a_{l-1,i}ᵀ (and δ_lᵢ
 * for the bias), which a {@code GradientStrategy} assembles from the {@link Workspace} (a {@link PerExampleDeltas}).
 * Cost: one SGEMM per layer forward (2B·n_{l-1}·n_l flops), one per layer backward above the lowest trainable layer,
 * O(B·n_l) for activations; nothing is allocated once the workspace exists.
 *
 * <p>Everything is deterministic: the same seed gives the same θ₀, and Sgemm gives the same bits for every thread
 * count, so a training run is reproducible bit for bit. Not thread-safe: share a network between threads only for
 * reading, each with its own workspace.
 */
public sealed class DenseNetwork permits TwoLayerNet {
    private final Architecture arch;
    private final float[] theta;
    private final int layerCount, parameterCount, trainableCount, lowestTrainable;
    private final int[] weightOffset, biasOffset, gradWeightOffset, gradBiasOffset;
    private final List<Span> spans;

    /**
     * A contiguous run of trainable parameters: gradient entries {@code [gradientOffset, gradientOffset + length)}
     * belong to parameters {@code [parameterOffset, parameterOffset + length)}.
     *
     * @param parameterOffset where the run starts in θ
     * @param gradientOffset  where the run starts in the gradient vector
     * @param length          number of parameters
     */
    public record Span(int parameterOffset, int gradientOffset, int length) {
    }

    DenseNetwork(Architecture arch, float[] theta) {
        this.arch = Objects.requireNonNull(arch, "architecture");
        layerCount = arch.layerCount();
        weightOffset = new int[layerCount];
        biasOffset = new int[layerCount];
        gradWeightOffset = new int[layerCount];
        gradBiasOffset = new int[layerCount];
        List<Span> runs = new ArrayList<>();
        int p = 0, g = 0, lowest = -1;
        for (int l = 0; l < layerCount; l++) {
            LayerSpec s = arch.layer(l);
            int w = s.outputs() * s.inputs(), size = (int) s.parameterCount();
            weightOffset[l] = p;
            biasOffset[l] = s.bias() ? p + w : -1;
            if (s.frozen()) {
                gradWeightOffset[l] = -1;
                gradBiasOffset[l] = -1;
            } else {
                if (lowest < 0) {
                    lowest = l;
                }
                gradWeightOffset[l] = g;
                gradBiasOffset[l] = s.bias() ? g + w : -1;
                Span last = runs.isEmpty() ? null : runs.get(runs.size() - 1);
                if (last != null && last.parameterOffset() + last.length() == p) {
                    runs.set(runs.size() - 1, new Span(last.parameterOffset(), last.gradientOffset(),
                            last.length() + size));
                } else {
                    runs.add(new Span(p, g, size));
                }
                g += size;
            }
            p += size;
        }
        parameterCount = p;
        trainableCount = g;
        lowestTrainable = lowest;
        spans = List.copyOf(runs);
        if (theta == null) {
            theta = new float[p];
        } else if (theta.length != p) {
            throw new IllegalArgumentException("parameter vector has " + theta.length + " entries but " + arch
                    + " needs " + p);
        }
        this.theta = theta;
    }

    /** A builder that reads like the math: {@code DenseNetwork.builder().widths(784, 512, 512, 10)...build(seed)}. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A network with initial parameters θ₀ drawn from a {@link SplittableRandom} seeded with {@code seed} (same seed,
     * same bits), layer after layer from the input, each W row-major; biases start at 0.
     * <ul>
     *   <li>Standard: W_l ~ N(0, std²) entrywise with std from the layer's {@link Init} (He: √(2/fan_in),
     *       Xavier: √(2/(fan_in + fan_out))).</li>
     *   <li>NTK: hidden layers N(0, 1) entrywise; the output layer uniform in {+1, -1} (the a_r of the two-layer
     *       theory, Arora et al. 2019; Satpathi &amp; Srikant 2021). The 1/√width scales are applied to the hidden
     *       activations (see {@link Architecture#activationScale}).</li>
     *   <li>Symmetric: units of the last hidden layer in adjacent pairs (2j, 2j+1) with equal incoming weights (one
     *       draw per pair) and opposite output weights a_{2j+1} = -a_{2j}, so f(x; θ₀) = 0 for every x. Adjacent pairs
     *       (rather than (r, r + m/2), the same network up to a permutation of units) because Sgemm accumulates over
     *       the units in order: with NTK's ±1 output weights each pair cancels exactly, and f(x; θ₀) is exactly 0.0f
     *       as long as Sgemm sums the m units in one depth block (m &lt;= 256); for larger m a block boundary may
     *       split a pair and f(x; θ₀) is within float rounding of 0, |f| &lt;= γ(m) Σ_r |a_r h_r|.</li>
     * </ul>
     * For the two-layer architecture of a {@link NetSpec} this draws exactly what {@link TwoLayerNet#initialize}
     * draws.
     */
    public static DenseNetwork initialize(Architecture architecture, long seed) {
        DenseNetwork net = new DenseNetwork(architecture, null);
        net.draw(seed);
        return net;
    }

    /**
     * A network with the given parameters (copied), in the layout of {@link #parameters()}.
     *
     * @throws IllegalArgumentException if the length does not match the architecture
     */
    public static DenseNetwork fromParameters(Architecture architecture, float[] parameters) {
        Objects.requireNonNull(parameters, "parameters");
        return new DenseNetwork(architecture, parameters.clone());
    }

    final void draw(long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        boolean ntk = arch.parametrization() == Parametrization.NTK, sym = arch.symmetric();
        float[] t = theta;
        for (int l = 0; l < layerCount; l++) {
            LayerSpec s = arch.layer(l);
            int in = s.inputs(), out = s.outputs(), w = weightOffset[l];
            boolean output = l == layerCount - 1;
            double std = ntk ? 1 : s.standardDeviation();
            if (output) {
                int step = sym ? 2 : 1;
                for (int c = 0; c < out; c++) {
                    for (int r = 0; r < in; r += step) {
                        float a = ntk ? (rnd.nextBoolean() ? 1f : -1f) : (float) (std * rnd.nextGaussian());
                        t[w + c * in + r] = a;
                        if (sym) {
                            t[w + c * in + r + 1] = -a;
                        }
                    }
                }
            } else {
                boolean pairs = sym && l == layerCount - 2;
                for (int r = 0; r < out; r += pairs ? 2 : 1) {
                    for (int j = 0; j < in; j++) {
                        t[w + r * in + j] = (float) (std * rnd.nextGaussian());
                    }
                    if (pairs) {
                        System.arraycopy(t, w + r * in, t, w + (r + 1) * in, in);
                    }
                }
            }
        }
    }

    /** An independent copy (same architecture, copied parameters). */
    public DenseNetwork copy() {
        return new DenseNetwork(arch, theta.clone());
    }

    /** The architecture: widths, activations, biases, frozen layers, parametrization. */
    public Architecture architecture() {
        return arch;
    }

    /** L, the number of layers. */
    public int layerCount() {
        return layerCount;
    }

    /** n₀, the input width. */
    public int inputs() {
        return arch.inputs();
    }

    /** n_L, the output width. */
    public int outputs() {
        return arch.outputs();
    }

    /** The live parameter vector θ (not a copy): optimizers update it in place. */
    public float[] parameters() {
        return theta;
    }

    /** Total number of parameters P. */
    public int parameterCount() {
        return parameterCount;
    }

    /** Number of trainable parameters, the length of a gradient. */
    public int trainableCount() {
        return trainableCount;
    }

    /** Offset of layer l's weights (out x in row-major) in θ. */
    public int weightOffset(int l) {
        return weightOffset[l];
    }

    /** Offset of layer l's bias in θ, -1 without bias. */
    public int biasOffset(int l) {
        return biasOffset[l];
    }

    /** Offset of layer l's weight gradient in a gradient vector, -1 for a frozen layer. */
    public int gradientWeightOffset(int l) {
        return gradWeightOffset[l];
    }

    /** Offset of layer l's bias gradient in a gradient vector, -1 for a frozen layer or one without bias. */
    public int gradientBiasOffset(int l) {
        return gradBiasOffset[l];
    }

    /** The trainable parameters as contiguous runs, in order (one run when the trainable layers are adjacent). */
    public List<Span> trainableSpans() {
        return spans;
    }

    /** The lowest (closest to the input) trainable layer: backward stops there. */
    int lowestTrainable() {
        return lowestTrainable;
    }

    /** A workspace for batches of up to {@code capacity} examples. */
    public Workspace workspace(int capacity) {
        return new Workspace(this, capacity);
    }

    /**
     * Forward pass into the workspace: for each layer Z_l = A_{l-1} W_lᵀ + b_l and, below the output, A_l = s_l σ(Z_l)
     * and P_l = s_l σ'(Z_l).
     *
     * @throws IllegalArgumentException if the workspace was made for another layout, the batch exceeds its capacity
     *                                  or the batch's feature count is not n₀
     */
    public void forward(Batch batch, Workspace ws) {
        check(batch, ws);
        int bsz = batch.size();
        ws.batch = bsz;
        for (int l = 0; l < layerCount; l++) {
            int in = arch.layer(l).inputs();
            ws.layers[l].bind(l == 0 ? batch.inputs() : ws.a[l - 1], 0, in, bsz);
        }
        if (bsz == 0) {
            return;
        }
        for (int l = 0; l < layerCount; l++) {
            LayerSpec s = arch.layer(l);
            int in = s.inputs(), out = s.outputs();
            float[] input = l == 0 ? batch.inputs() : ws.a[l - 1];
            Sgemm.sgemm(false, true, bsz, out, in, 1f, input, 0, in, theta, weightOffset[l], in, 0f, ws.z[l], 0, out);
            if (l < layerCount - 1) {
                biasAndActivation(l, ws, bsz);
            } else if (biasOffset[l] >= 0) {
                addRowVector(ws.z[l], bsz, out, theta, biasOffset[l]);
            }
        }
    }

    /**
     * Z_l += b_l, A_l = s·σ(Z_l) and P_l = s·σ'(Z_l) in one pass over Z_l: σ and σ' share their transcendental (one
     * tanh or exp per unit), and backward then needs none. Each value is formed in double and rounded once to float
     * (ReLU and identity: one float product with s). The formulas are those of {@link Activation}, written out per
     * activation so the loop has no virtual call; the verify module checks them against the enum's.
     */
    private void biasAndActivation(int l, Workspace ws, int bsz) {
        int m = arch.layer(l).outputs();
        double s = arch.activationScale(l);
        float[] z1 = ws.z[l], h = ws.a[l], p = ws.p[l];
        if (biasOffset[l] >= 0) {
            addRowVector(z1, bsz, m, theta, biasOffset[l]);
        }
        int n = bsz * m;
        switch (arch.layer(l).activation()) {
            case RELU -> {
                BiasActivation.relu(z1, 0, n, (float) s, h, 0, p, 0);
            }
            case IDENTITY -> {
                float sf = (float) s;
                for (int e = 0; e < n; e++) {
                    h[e] = sf * z1[e];
                    p[e] = sf;
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

    /** Z += 1 vᵀ: {@code v[vo .. vo + cols)} added to each row of the {@code rows x cols} matrix Z. */
    static void addRowVector(float[] z, int rows, int cols, float[] v, int vo) {
        BiasActivation.addBias(z, 0, rows, cols, Math.max(1, cols), v, vo);
    }

    /**
     * Backward pass from the output deltas Δ_L already in the workspace (written by {@link Loss#lossAndDelta} into
     * {@link Workspace#outputDeltas()}): G_l = Δ_{l+1} W_{l+1}, Δ_l = G_l ⊙ P_l, down to the lowest trainable layer.
     *
     * @throws IllegalArgumentException if the workspace was made for another layout
     */
    public void backward(Workspace ws) {
        checkWorkspace(ws);
        int bsz = ws.batch;
        if (bsz == 0) {
            return;
        }
        for (int l = layerCount - 1; l > lowestTrainable; l--) {
            int in = arch.layer(l).inputs(), out = arch.layer(l).outputs();
            Sgemm.sgemm(false, false, bsz, in, out, 1f, ws.d[l], 0, out, theta, weightOffset[l], in, 0f,
                    ws.g[l - 1], 0, in);
            float[] g = ws.g[l - 1], p = ws.p[l - 1], d = ws.d[l - 1];
            for (int e = 0; e < bsz * in; e++) {
                d[e] = g[e] * p[e];
            }
        }
    }

    /**
     * Forward, loss and backward in one call: after it the workspace holds the per-example deltas of every trainable
     * layer (see {@link PerExampleDeltas}).
     *
     * @return the mean loss L = (1/B) Σ ℓ_i
     */
    public double lossAndDeltas(Loss loss, Batch batch, Workspace ws) {
        forward(batch, ws);
        double l = loss.lossAndDelta(ws.z[layerCount - 1], outputs(), batch, ws.d[layerCount - 1]);
        backward(ws);
        return l;
    }

    /**
     * The Hessian-vector product of the mean loss, out = ∇²_θ L(θ) · v over the trainable parameters, exact, by
     * forward-over-reverse differentiation (Pearlmutter 1994; see {@link HessianVectorProduct}). Call after
     * {@link #lossAndDeltas} on the same batch with the same parameters. Cost: about 6 SGEMMs of the forward's size
     * per layer.
     *
     * @param v   direction, {@link #trainableCount()} entries (gradient layout)
     * @param out receives H v, {@link #trainableCount()} entries (not aliasing v)
     * @throws IllegalArgumentException if v or out is too short, they alias, or the workspace does not fit
     */
    public void hessianVectorProduct(Loss loss, Batch batch, Workspace ws, float[] v, float[] out) {
        checkVectors(v, out, "v");
        checkWorkspace(ws);
        HessianVectorProduct.compute(this, loss, batch, ws, v, out);
    }

    /**
     * The gradient of R(θ) = ½‖∇L(θ)‖² over the trainable parameters by double backpropagation (Drucker &amp; LeCun
     * 1992): the backward pass that produced ∇L is itself differentiated in reverse mode, as automatic
     * differentiation computes the gradient of a penalty on a gradient. Mathematically ∇R = ∇²L ∇L, the same vector as
     * {@link #hessianVectorProduct} with v = ∇L, by another algorithm (see {@link DoubleBackprop}). Call after
     * {@link #lossAndDeltas} on the same batch with the same parameters.
     *
     * @param gradient ∇L, the mean gradient of that pass (for example from the {@code Mean} strategy),
     *                 {@link #trainableCount()} entries
     * @param out      receives ∇R, {@link #trainableCount()} entries (not aliasing gradient)
     * @throws IllegalArgumentException if an array is too short, they alias, or the workspace does not fit
     */
    public void gradientNormGradient(Loss loss, Batch batch, Workspace ws, float[] gradient, float[] out) {
        checkVectors(gradient, out, "gradient");
        checkWorkspace(ws);
        DoubleBackprop.compute(this, loss, batch, ws, gradient, out);
    }

    private void checkVectors(float[] v, float[] out, String name) {
        if (v.length < trainableCount || out.length < trainableCount) {
            throw new IllegalArgumentException(name + " (" + v.length + ") and out (" + out.length + ") need "
                    + trainableCount + " entries");
        }
        if (v == out) {
            throw new IllegalArgumentException("out must not alias " + name);
        }
    }

    void checkWorkspace(Workspace ws) {
        if (!ws.architecture.sameLayout(arch)) {
            throw new IllegalArgumentException("workspace was made for " + ws.architecture + ", not " + arch);
        }
    }

    private void check(Batch batch, Workspace ws) {
        checkWorkspace(ws);
        if (batch.features() != inputs()) {
            throw new IllegalArgumentException("batch has " + batch.features() + " features, network expects n0="
                    + inputs());
        }
        if (batch.size() > ws.capacity) {
            throw new IllegalArgumentException("batch of " + batch.size() + " exceeds workspace capacity "
                    + ws.capacity);
        }
    }

    @Override
    public String toString() {
        return "DenseNetwork[" + arch + ", P=" + parameterCount + "]";
    }

    /**
     * Builds an {@link Architecture} and its network. Defaults: every hidden activation {@link Activation#RELU}, a
     * bias in every layer, nothing frozen, the {@link Parametrization#STANDARD standard} parametrization, no symmetric
     * initialization, and per layer {@link Init#HE} when the hidden activation it feeds from (its own for a hidden
     * layer, the last hidden layer's for the output layer) is ReLU and {@link Init#XAVIER} otherwise (Xavier for
     * L = 1). Network-wide settings apply to every layer; per-layer settings (layer index l, 0-based, input layer
     * first) override them whatever the order of the calls. Only {@link #widths} is required.
     *
     * <pre>{@code
     * DenseNetwork net = DenseNetwork.builder()
     *         .widths(784, 512, 512, 10)
     *         .activation(Activation.RELU)
     *         .parametrization(Parametrization.STANDARD)
     *         .bias(true)
     *         .build(seed);
     * }</pre>
     */
    public static final class Builder {
        private int[] widths;
        private Activation activation = Activation.RELU;
        private boolean bias = true;
        private Init init;
        private Parametrization parametrization = Parametrization.STANDARD;
        private boolean symmetric;
        private final java.util.Map<Integer, Activation> activations = new java.util.HashMap<>();
        private final java.util.Map<Integer, Boolean> biases = new java.util.HashMap<>();
        private final java.util.Map<Integer, Init> inits = new java.util.HashMap<>();
        private final java.util.Set<Integer> frozen = new java.util.HashSet<>();
        private boolean freezeOutput;

        private Builder() {
        }

        /**
         * The widths n₀ (inputs), n₁, ..., n_L (outputs): L + 1 numbers for L layers.
         *
         * @throws IllegalArgumentException for fewer than 2 widths or a width below 1
         */
        public Builder widths(int... widths) {
            if (widths.length < 2) {
                throw new IllegalArgumentException("widths needs the input and output widths at least, got "
                        + java.util.Arrays.toString(widths));
            }
            for (int w : widths) {
                if (w < 1) {
                    throw new IllegalArgumentException("widths must be >= 1: " + java.util.Arrays.toString(widths));
                }
            }
            this.widths = widths.clone();
            return this;
        }

        /** σ of every hidden layer. */
        public Builder activation(Activation activation) {
            this.activation = Objects.requireNonNull(activation, "activation");
            return this;
        }

        /** σ of hidden layer l (0-based; not the output layer). */
        public Builder activation(int layer, Activation activation) {
            activations.put(layer, Objects.requireNonNull(activation, "activation"));
            return this;
        }

        /** Whether every layer has a bias. */
        public Builder bias(boolean bias) {
            this.bias = bias;
            return this;
        }

        /** Whether layer l has a bias. */
        public Builder bias(int layer, boolean bias) {
            biases.put(layer, bias);
            return this;
        }

        /** The standard parametrization's initialization scale for every layer. */
        public Builder init(Init init) {
            this.init = Objects.requireNonNull(init, "init");
            return this;
        }

        /** The standard parametrization's initialization scale for layer l. */
        public Builder init(int layer, Init init) {
            inits.put(layer, Objects.requireNonNull(init, "init"));
            return this;
        }

        /** Standard or NTK. */
        public Builder parametrization(Parametrization parametrization) {
            this.parametrization = Objects.requireNonNull(parametrization, "parametrization");
            return this;
        }

        /** Whether to use the symmetric initialization (f(x; θ₀) = 0; see {@link Architecture#symmetric()}). */
        public Builder symmetric(boolean symmetric) {
            this.symmetric = symmetric;
            return this;
        }

        /** Holds layers fixed during training (0-based indices). */
        public Builder freeze(int... layers) {
            for (int l : layers) {
                frozen.add(l);
            }
            return this;
        }

        /** Holds the output layer fixed, as in the two-layer theory (Arora et al. 2019). */
        public Builder freezeOutput() {
            freezeOutput = true;
            return this;
        }

        /**
         * The architecture.
         *
         * @throws IllegalStateException    if no widths were given
         * @throws IllegalArgumentException if a per-layer setting names a layer that does not exist (an activation:
         *                                  a hidden layer), or the architecture is invalid (see {@link Architecture})
         */
        public Architecture architecture() {
            if (widths == null) {
                throw new IllegalStateException("widths(...) was not set");
            }
            int layers = widths.length - 1;
            checkIndices("activation", activations.keySet(), layers - 1);
            checkIndices("bias", biases.keySet(), layers);
            checkIndices("init", inits.keySet(), layers);
            checkIndices("freeze", frozen, layers);
            List<LayerSpec> specs = new ArrayList<>(layers);
            for (int l = 0; l < layers; l++) {
                boolean output = l == layers - 1;
                Activation act = output ? Activation.IDENTITY : activations.getOrDefault(l, activation);
                Init in = inits.get(l);
                if (in == null) {
                    in = init;
                }
                if (in == null) {
                    int feeding = output ? l - 1 : l;
                    Activation a = feeding < 0 ? null : activations.getOrDefault(feeding, activation);
                    in = a == Activation.RELU ? Init.HE : Init.XAVIER;
                }
                specs.add(new LayerSpec(widths[l], widths[l + 1], act, biases.getOrDefault(l, bias),
                        frozen.contains(l) || (output && freezeOutput), in));
            }
            return new Architecture(specs, parametrization, symmetric);
        }

        /** The network with θ₀ drawn from {@code seed} (see {@link DenseNetwork#initialize}). */
        public DenseNetwork build(long seed) {
            return initialize(architecture(), seed);
        }

        private static void checkIndices(String what, java.util.Set<Integer> indices, int bound) {
            for (int l : indices) {
                if (l < 0 || l >= bound) {
                    throw new IllegalArgumentException(what + "(" + l + ", ...): layer index must be in [0, " + bound
                            + ")");
                }
            }
        }
    }
}
