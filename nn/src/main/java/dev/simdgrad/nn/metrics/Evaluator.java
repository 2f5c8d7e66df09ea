package dev.simdgrad.nn.metrics;

import dev.simdgrad.nn.Loss;
import dev.simdgrad.nn.DenseNetwork;
import dev.simdgrad.nn.Workspace;
import dev.simdgrad.nn.data.Batch;
import dev.simdgrad.nn.data.Dataset;

/**
 * Loss and accuracy of a network over a dataset, or over a subset given by a mask (for example the clean and the
 * corrupted examples of a {@code LabelCorruption}), computed in chunks of at most {@code chunk} examples with reused
 * buffers. Correct means: with k &gt; 1 outputs, argmax_c z_c equals the label (ties to the lowest class); with one
 * output, sign agreement: z &gt; 0 predicts the positive class (label 1, or target &gt; 0).
 */
public final class Evaluator {
    private final Loss loss;
    private final int chunk;
    private Workspace ws;
    private Batch buffer;
    private Dataset bufferFor;
    private int[] order = new int[0];

    public Evaluator(Loss loss, int chunk) {
        if (chunk < 1) {
            throw new IllegalArgumentException("chunk=" + chunk + " must be >= 1");
        }
        this.loss = loss;
        this.chunk = chunk;
    }

    /** Over every example. */
    public Evaluation evaluate(DenseNetwork net, Dataset data) {
        return evaluate(net, data, null);
    }

    /**
     * Over the examples i with {@code mask[i]} (all when mask is null).
     *
     * @throws IllegalArgumentException if the mask's length is not the dataset's size
     */
    public Evaluation evaluate(DenseNetwork net, Dataset data, boolean[] mask) {
        int n = data.size();
        if (mask != null && mask.length != n) {
            throw new IllegalArgumentException("mask has " + mask.length + " entries, dataset " + n);
        }
        if (order.length < n) {
            order = new int[n];
        }
        int count = 0;
        for (int i = 0; i < n; i++) {
            if (mask == null || mask[i]) {
                order[count++] = i;
            }
        }
        if (count == 0) {
            return new Evaluation(0, Double.NaN, 0);
        }
        if (bufferFor != data) {
            buffer = Batch.buffer(data, Math.min(chunk, n));
            bufferFor = data;
        }
        if (ws == null || !ws.accepts(net, buffer.capacity())) {
            ws = net.workspace(buffer.capacity());
        }
        int k = net.outputs();
        double lossSum = 0;
        long correct = 0;
        for (int from = 0; from < count; from += buffer.capacity()) {
            int b = Math.min(buffer.capacity(), count - from);
            buffer.gather(data, order, from, b);
            net.forward(buffer, ws);
            lossSum += loss.loss(ws.outputs(), k, buffer) * b;
            correct += correct(ws.outputs(), k, buffer);
        }
        return new Evaluation(lossSum / count, (double) correct / count, count);
    }

    private static int correct(float[] z, int k, Batch batch) {
        int c = 0;
        for (int i = 0; i < batch.size(); i++) {
            if (k == 1) {
                boolean truth = batch.labels() != null ? batch.labels()[i] == 1 : batch.targets()[i] > 0;
                c += (z[i] > 0) == truth ? 1 : 0;
            } else {
                if (batch.labels() == null) {
                    throw new IllegalArgumentException("accuracy with k > 1 outputs needs labels");
                }
                int best = 0;
                for (int j = 1; j < k; j++) {
                    if (z[i * k + j] > z[i * k + best]) {
                        best = j;
                    }
                }
                c += best == batch.labels()[i] ? 1 : 0;
            }
        }
        return c;
    }
}
