package dev.simdgrad.nn.optim;

import dev.simdgrad.nn.TwoLayerNet;

/**
 * A private copy of a network at perturbed parameters θ + t·v (v over the trainable prefix), for the objectives
 * that evaluate the gradient somewhere else. Perturbing a copy rather than the network itself means θ is never
 * changed, not even by the rounding of adding and subtracting t·v.
 */
final class Shadow {
    private TwoLayerNet copy;

    TwoLayerNet at(TwoLayerNet net, float[] v, float t) {
        if (copy == null || !copy.spec().equals(net.spec())) {
            copy = net.copy();
        }
        float[] src = net.parameters(), dst = copy.parameters();
        int n = net.trainableCount();
        // Only the frozen suffix is copied as is; the trainable prefix is written once, perturbed (a full copy
        // first would be one more pass over every parameter per step).
        System.arraycopy(src, n, dst, n, src.length - n);
        for (int i = 0; i < n; i++) {
            dst[i] = src[i] + t * v[i];
        }
        return copy;
    }

    static double norm(float[] v, int n) {
        double s = 0;
        for (int i = 0; i < n; i++) {
            s += (double) v[i] * v[i];
        }
        return Math.sqrt(s);
    }
}
