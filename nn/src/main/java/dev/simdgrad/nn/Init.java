package dev.simdgrad.nn;

/** Scale of the Gaussian initialization of the {@link Parametrization#STANDARD} parametrization. */
public enum Init {
    /** std √(2 / fan_in): keeps the second moment of ReLU activations constant through layers (He et al. 2015). */
    HE,
    /** std √(2 / (fan_in + fan_out)): keeps the variance of tanh-like activations and of gradients (Glorot 2010). */
    XAVIER
}
