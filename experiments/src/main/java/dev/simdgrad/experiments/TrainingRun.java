package dev.simdgrad.experiments;

import dev.simdgrad.nn.Loss;
import dev.simdgrad.nn.DenseNetwork;
import dev.simdgrad.nn.Workspace;
import dev.simdgrad.nn.data.Batch;
import dev.simdgrad.nn.data.Dataset;
import dev.simdgrad.nn.data.LabelCorruption;
import dev.simdgrad.nn.metrics.Coherence;
import dev.simdgrad.nn.metrics.Evaluation;
import dev.simdgrad.nn.metrics.Evaluator;
import dev.simdgrad.nn.metrics.Norms;
import dev.simdgrad.nn.optim.Objective;
import dev.simdgrad.nn.optim.Sgd;
import dev.simdgrad.nn.optim.Trainer;
import dev.simdgrad.nn.optim.TrainingDivergedException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * A classification training run with the metrics of the Coherent Gradients experiments after every epoch: accuracy
 * on the whole (possibly corrupted) training set, on its clean and on its corrupted examples, test loss and
 * accuracy, the m-coherence of the per-example gradients on a fixed sample of training examples, and the distance
 * from initialization. Shared by {@code train} and {@code reproduce coherent-gradients}; prints nothing (the
 * listener decides).
 */
public final class TrainingRun {
    /** Size of the fixed sample over which m-coherence is measured (Chatterjee &amp; Zielinski use m = 100s). */
    public static final int COHERENCE_SAMPLE = 100;

    /**
     * Metrics after one epoch.
     *
     * @param epoch             1-based epoch number
     * @param trainLoss         mean of the epoch's minibatch losses (before each step)
     * @param trainAccuracy     accuracy on the training set with its (possibly corrupted) labels
     * @param cleanAccuracy     on the training examples whose labels were not selected for corruption
     * @param corruptedAccuracy on the selected examples, against their corrupted labels (NaN without noise)
     * @param testLoss          mean loss on the test set
     * @param testAccuracy      accuracy on the test set
     * @param mCoherence        ‖Σ g_i‖² / Σ ‖g_i‖² over the coherence sample
     * @param distanceFromInit  ‖θ - θ₀‖
     * @param seconds           wall time since the start of the run
     */
    public record Epoch(int epoch, double trainLoss, double trainAccuracy, double cleanAccuracy, double corruptedAccuracy,
                 double testLoss, double testAccuracy, double mCoherence, double distanceFromInit, double seconds) {
    }

    /**
     * What a run produced: the epochs it completed and, if it stopped early because training diverged, why (null
     * when every epoch ran). A diverged run's epochs are the ones before the divergence: metrics to keep, not a
     * result to report.
     */
    public record Outcome(List<Epoch> epochs, TrainingDivergedException diverged) {
        public boolean hasDiverged() {
            return diverged != null;
        }

        /** The last completed epoch, or null if none completed. */
        public Epoch last() {
            return epochs.isEmpty() ? null : epochs.getLast();
        }
    }

    private TrainingRun() {
    }

    /**
     * Trains {@code net} for {@code epochs} epochs of minibatch steps on {@code train} and returns one record per
     * epoch, or the records of the epochs before training diverged (a non-finite loss or parameter) and the
     * divergence.
     *
     * @param dropLast skip each epoch's last partial batch (for the order-statistic strategies)
     * @param seed     seeds the minibatch order and the coherence sample
     * @param progress advanced by the number of steps of each epoch
     * @param listener called after every epoch (e.g. to print a line)
     */
    public static Outcome run(DenseNetwork net, Loss loss, Objective objective, Sgd sgd, int batch, boolean dropLast,
                           int epochs, LabelCorruption train, Dataset test, long seed, ProgressSink progress,
                           Consumer<Epoch> listener) {
        Dataset data = train.data();
        boolean[] clean = train.clean(), corrupted = train.corrupted();
        Trainer trainer = new Trainer(net, objective, sgd, batch, seed, dropLast);
        Evaluator evaluator = new Evaluator(loss, 1000);
        float[] theta0 = net.parameters().clone();
        Dataset sample = coherenceSample(data, seed);
        Workspace ws = net.workspace(sample.size());
        float[] scratch = new float[net.trainableCount()];
        int stepsPerEpoch = stepsPerEpoch(data.size(), batch, dropLast);
        List<Epoch> out = new ArrayList<>();
        long start = System.nanoTime();
        for (int e = 1; e <= epochs; e++) {
            double l;
            try {
                l = trainer.epoch(data);
            } catch (TrainingDivergedException d) {
                return new Outcome(out, d);
            }
            progress.step(stepsPerEpoch);
            // The two subsets partition the training set: its accuracy is their count-weighted mean, without a
            // third pass over the data.
            Evaluation c = evaluator.evaluate(net, data, clean);
            Evaluation x = evaluator.evaluate(net, data, corrupted);
            double trainAccuracy = ((c.count() > 0 ? c.accuracy() * c.count() : 0)
                    + (x.count() > 0 ? x.accuracy() * x.count() : 0)) / data.size();
            Evaluation t = evaluator.evaluate(net, test);
            net.lossAndDeltas(loss, Batch.of(sample), ws);
            double coherence = Coherence.of(ws, scratch).mCoherence();
            Epoch ep = new Epoch(e, l, trainAccuracy, c.accuracy(), x.accuracy(), t.loss(), t.accuracy(),
                    coherence, Norms.distanceFromInit(net, theta0), (System.nanoTime() - start) / 1e9);
            out.add(ep);
            listener.accept(ep);
        }
        return new Outcome(out, null);
    }

    /** Minibatch steps in an epoch of n examples (one full-batch step when B &gt;= n). */
    public static int stepsPerEpoch(int n, int batch, boolean dropLast) {
        if (batch >= n) {
            return 1;
        }
        return dropLast ? n / batch : (n + batch - 1) / batch;
    }

    /** A fixed, seeded sample of up to {@link #COHERENCE_SAMPLE} training examples (with their training labels). */
    public static Dataset coherenceSample(Dataset data, long seed) {
        int n = data.size(), m = Math.min(COHERENCE_SAMPLE, n);
        int[] idx = new int[n];
        for (int i = 0; i < n; i++) {
            idx[i] = i;
        }
        SplittableRandom rnd = new SplittableRandom(seed ^ 0x5DEECE66DL);
        for (int i = 0; i < m; i++) {
            int j = i + rnd.nextInt(n - i);
            int t = idx[i];
            idx[i] = idx[j];
            idx[j] = t;
        }
        return data.select(java.util.Arrays.copyOf(idx, m));
    }
}
