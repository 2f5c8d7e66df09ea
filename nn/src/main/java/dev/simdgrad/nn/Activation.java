package dev.simdgrad.nn;

/**
 * Elementwise activation σ of a hidden layer, with the first and second derivatives that backpropagation and the
 * Hessian-vector product need. Values are computed in double and rounded once to float.
 *
 * <ul>
 *   <li>{@link #RELU}: σ(z) = max(z, 0), σ'(z) = [z &gt; 0] (0 at the kink), σ'' = 0.</li>
 *   <li>{@link #TANH}: σ = tanh z, σ' = 1 - tanh²z, σ'' = -2 tanh z (1 - tanh²z).</li>
 *   <li>{@link #SOFTPLUS}: σ = log(1 + e^z) (computed as max(z, 0) + log1p(e^-|z|)), σ' = sigmoid(z),
 *       σ'' = sigmoid(z)(1 - sigmoid(z)).</li>
 *   <li>{@link #GELU}: the tanh form σ(z) = z (1 + tanh u) / 2 with u = √(2/π)(z + 0.044715 z³) (as PyTorch's
 *       {@code approximate="tanh"}), σ' = (1 + t)/2 + z (1 - t²) u' / 2, σ'' = (1 - t²)(u' + z (u'' - 2 t u'²) / 2),
 *       t = tanh u, u' = √(2/π)(1 + 3·0.044715 z²), u'' = 6·0.044715·√(2/π) z. The tanh form rather than the erf
 *       form because the JDK has no erf and its derivatives are closed-form.</li>
 *   <li>{@link #IDENTITY}: σ(z) = z, σ' = 1, σ'' = 0 (a linear layer; a network of identity layers is a deep linear
 *       network).</li>
 * </ul>
 * ReLU is not differentiable at 0 and its second derivative is a delta there: finite-difference checks of anything
 * beyond the first derivative (gradient regularization, Hessian-vector products) need a smooth activation.
 */
public enum Activation {
    /** max(z, 0). */
    RELU {
        @Override
        public double value(double z) {
            return z > 0 ? z : 0;
        }

        @Override
        public double derivative(double z) {
            return z > 0 ? 1 : 0;
        }

        @Override
        public double secondDerivative(double z) {
            return 0;
        }
    },
    /** tanh z. */
    TANH {
        @Override
        public double value(double z) {
            return Math.tanh(z);
        }

        @Override
        public double derivative(double z) {
            double t = Math.tanh(z);
            return 1 - t * t;
        }

        @Override
        public double secondDerivative(double z) {
            double t = Math.tanh(z);
            return -2 * t * (1 - t * t);
        }
    },
    /** log(1 + e^z). */
    SOFTPLUS {
        @Override
        public double value(double z) {
            return Math.max(z, 0) + Math.log1p(Math.exp(-Math.abs(z)));
        }

        @Override
        public double derivative(double z) {
            return sigmoid(z);
        }

        @Override
        public double secondDerivative(double z) {
            double s = sigmoid(z);
            return s * (1 - s);
        }
    },
    /** z (1 + tanh(√(2/π)(z + 0.044715 z³))) / 2. */
    GELU {
        @Override
        public double value(double z) {
            return 0.5 * z * (1 + Math.tanh(C * (z + A * z * z * z)));
        }

        @Override
        public double derivative(double z) {
            double t = Math.tanh(C * (z + A * z * z * z));
            double du = C * (1 + 3 * A * z * z);
            return 0.5 * (1 + t) + 0.5 * z * (1 - t * t) * du;
        }

        @Override
        public double secondDerivative(double z) {
            double t = Math.tanh(C * (z + A * z * z * z));
            double du = C * (1 + 3 * A * z * z);
            double ddu = 6 * A * C * z;
            return (1 - t * t) * (du + 0.5 * z * (ddu - 2 * t * du * du));
        }
    },
    /** z. Declared last: model files store an activation by its position in this enum. */
    IDENTITY {
        @Override
        public double value(double z) {
            return z;
        }

        @Override
        public double derivative(double z) {
            return 1;
        }

        @Override
        public double secondDerivative(double z) {
            return 0;
        }
    };

    private static final double C = Math.sqrt(2 / Math.PI);
    private static final double A = 0.044715;

    /** σ(z). */
    public abstract double value(double z);

    /** σ'(z). */
    public abstract double derivative(double z);

    /** σ''(z). */
    public abstract double secondDerivative(double z);

    /** Whether σ has a continuous second derivative everywhere (false only for ReLU). */
    public boolean isSmooth() {
        return this != RELU;
    }

    private static double sigmoid(double z) {
        // Two branches so that exp never overflows.
        if (z >= 0) {
            return 1 / (1 + Math.exp(-z));
        }
        double e = Math.exp(z);
        return e / (1 + e);
    }
}
