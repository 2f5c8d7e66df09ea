package dev.simdgrad.nn.optim;

import dev.simdgrad.kernels.ParameterUpdate;
import dev.simdgrad.nn.DenseNetwork;

/**
 * A private copy of a network at perturbed parameters θ + t·v (v in the gradient layout, over the trainable
 * parameters), for the objectives that evaluate the gradient somewhere else. Perturbing a copy rather than the
 * network itself means θ is never changed, not even by the rounding of adding and subtracting t·v.
 */
final class Shadow {
    private DenseNetwork copy;

    DenseNetwork at(DenseNetwork net, float[] v, float t) {
        if (copy == null || copy.getClass() != net.getClass() || !copy.architecture().equals(net.architecture())) {
            copy = net.copy();
        }
        float[] src = net.parameters(), dst = copy.parameters();
        // Frozen blocks are copied as they are; each trainable run is written once, perturbed (a full copy first
        // would be one more pass over every parameter per step).
        int done = 0;
        for (DenseNetwork.Span s : net.trainableSpans()) {
            int po = s.parameterOffset(), go = s.gradientOffset(), n = s.length();
            System.arraycopy(src, done, dst, done, po - done);
            ParameterUpdate.shifted(src, po, v, go, n, t, dst, po);
            done = po + n;
        }
        System.arraycopy(src, done, dst, done, src.length - done);
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
