package dev.simdgrad.experiments.coherent;

import dev.simdgrad.experiments.ProgressSink;
import dev.simdgrad.experiments.TrainingRun;
import dev.simdgrad.nn.DenseNetwork;
import dev.simdgrad.nn.SoftmaxCrossEntropy;
import dev.simdgrad.nn.Workspace;
import dev.simdgrad.nn.data.Batch;
import dev.simdgrad.nn.data.Dataset;
import dev.simdgrad.nn.metrics.Coherence;
import dev.simdgrad.nn.optim.LossGradient;
import dev.simdgrad.nn.optim.Objective;
import dev.simdgrad.nn.optim.Sgd;
import dev.simdgrad.nn.strategy.Mean;
import java.util.SplittableRandom;

/**
 * Plain SGD with the m-coherence of the per-example gradients measured before every step, on a fixed sample of
 * {@value TrainingRun#COHERENCE_SAMPLE} training examples with their training labels: the per-step series
 * Chatterjee &amp; Zielinski (2020) compare between real and random labels early in training. A per-epoch value
 * (as {@link TrainingRun} records) averages over a regime that changes within an epoch; early in training it
 * changes every step.
 */
final class CoherenceTraceRun {
    private CoherenceTraceRun() {
    }

    /**
     * Trains {@code net} for {@code steps} minibatch steps of plain SGD and returns the m-coherence before each.
     * Batches are drawn epoch by epoch in a seeded order, whole batches only.
     *
     * @throws IllegalArgumentException if {@code data} holds less than one batch
     */
    static double[] trace(DenseNetwork net, Dataset data, int batch, double lr, int steps, long seed,
                          ProgressSink progress) {
        int n = data.size();
        if (n < batch) {
            throw new IllegalArgumentException("need at least one batch of " + batch + " examples, have " + n);
        }
        var loss = new SoftmaxCrossEntropy();
        Objective objective = new LossGradient(loss, new Mean());
        Sgd sgd = Sgd.plain(lr);
        Dataset sample = TrainingRun.coherenceSample(data, seed);
        Workspace ws = net.workspace(sample.size());
        Batch sampleBatch = Batch.of(sample);
        float[] scratch = new float[net.trainableCount()];
        float[] gradient = new float[net.trainableCount()];
        Batch buffer = Batch.buffer(data, batch);
        SplittableRandom random = new SplittableRandom(seed ^ 0x9E3779B97F4A7C15L);
        int[] order = new int[n];
        double[] out = new double[steps];
        int perEpoch = n / batch;
        for (int s = 0; s < steps; s++) {
            if (s % perEpoch == 0) {
                for (int i = 0; i < n; i++) {
                    order[i] = i;
                }
                for (int i = n - 1; i > 0; i--) {
                    int j = random.nextInt(i + 1);
                    int t = order[i];
                    order[i] = order[j];
                    order[j] = t;
                }
            }
            net.lossAndDeltas(loss, sampleBatch, ws);
            out[s] = Coherence.of(ws, scratch).mCoherence();
            double l = objective.gradient(net, buffer.gather(data, order, (s % perEpoch) * batch, batch), gradient);
            if (!Double.isFinite(l)) {   // plain SGD at the paper's rate does not diverge; if it does, say where
                java.util.Arrays.fill(out, s + 1, steps, Double.NaN);
                progress.step(steps - s);
                return out;
            }
            sgd.step(net, gradient);
            progress.step(1);
        }
        return out;
    }
}
