package dev.simdgrad.spark;

import dev.simdgrad.nn.DenseNetwork;

/**
 * The trainable parameters of a network as one vector in nn's gradient layout ({@link DenseNetwork#trainableSpans()}):
 * what workers send and the driver aggregates, so frozen layers never pass through an aggregator (a mean of W equal
 * values need not be that value in float).
 */
final class Trainable {
    private Trainable() {
    }

    /** The trainable parameters of {@code net}, {@code net.trainableCount()} values. */
    static float[] gather(DenseNetwork net) {
        return gather(net, new float[net.trainableCount()]);
    }

    /** The trainable parameters of {@code net} into {@code out} ({@code net.trainableCount()} values); returns out. */
    static float[] gather(DenseNetwork net, float[] out) {
        float[] theta = net.parameters();
        for (DenseNetwork.Span s : net.trainableSpans()) {
            System.arraycopy(theta, s.parameterOffset(), out, s.gradientOffset(), s.length());
        }
        return out;
    }

    /** Writes {@code trainable} (gradient layout) into the network's parameters. */
    static void scatter(float[] trainable, DenseNetwork net) {
        float[] theta = net.parameters();
        for (DenseNetwork.Span s : net.trainableSpans()) {
            System.arraycopy(trainable, s.gradientOffset(), theta, s.parameterOffset(), s.length());
        }
    }
}
