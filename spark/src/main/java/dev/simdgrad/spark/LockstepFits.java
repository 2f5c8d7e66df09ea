package dev.simdgrad.spark;

import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.sql.Dataset;

import java.util.ArrayList;
import java.util.List;

/**
 * Many fits of one {@link SimdgradClassifier} that differ only in the aggregator, the attack and the number of
 * Byzantine workers, trained in lockstep: the shards are built once and every round is one Spark job for all arms
 * (each worker runs every arm's local steps from that arm's parameters). For robustness grids, where Spark's per-job
 * overhead, not the arithmetic, dominates a small fit.
 *
 * <p>Each arm's model is bitwise the model {@code fit} returns for the estimator with that arm's aggregator, attack
 * and f: the same shards, batches and operations in the same order. An arm that diverges (a non-finite batch loss or
 * parameter) stops alone and comes back with the reason instead of a model; the other arms go on.
 *
 * <p>Cost per round, A arms still training: one Spark job of W tasks of A x K local steps, a broadcast of A x P
 * floats, the collection of W x A x P floats onto the driver, A aggregations there.
 */
public final class LockstepFits {
    private LockstepFits() {
    }

    /**
     * What varies between the arms.
     *
     * @param aggregator       the cross-worker aggregator (see {@link WorkerAggregator})
     * @param attack           what the Byzantine workers send (see {@link Attack})
     * @param byzantineWorkers f
     */
    public record Arm(String aggregator, String attack, int byzantineWorkers) {
    }

    /**
     * One arm's outcome.
     *
     * @param arm      the arm
     * @param model    its model, null if it diverged
     * @param diverged null, or why training stopped
     */
    public record Fit(Arm arm, SimdgradClassificationModel model, String diverged) {
    }

    /**
     * Fits every arm on {@code data} with the other params of {@code estimator} (which is not changed).
     *
     * @throws IllegalArgumentException before any training: no arms, an invalid arm (unknown name, an aggregator not
     *                                  defined for W workers, f &gt; W), a checkpoint directory set, or bad data
     *                                  (as {@code fit})
     */
    public static List<Fit> fit(SimdgradClassifier estimator, Dataset<?> data, List<Arm> arms) {
        if (arms.isEmpty()) {
            throw new IllegalArgumentException("arms: none");
        }
        estimator.transformSchema(data.schema());   // the column checks of fit, with its messages
        InputRows rows = InputRows.of(data, estimator.getFeaturesCol(), estimator.getLabelCol());
        int partitions = rows.partitions();
        List<TrainingConfig> configs = new ArrayList<>(arms.size());
        for (Arm a : arms) {
            configs.add(estimator.copy(ParamMap.empty()).setAggregator(a.aggregator()).setAttack(a.attack())
                    .setByzantineWorkers(a.byzantineWorkers()).config(partitions));
        }
        List<DataParallelTrainer.ArmOutcome> outs = DataParallelTrainer.fitLockstep(rows, configs);
        List<Fit> fits = new ArrayList<>(arms.size());
        for (int k = 0; k < arms.size(); k++) {
            DataParallelTrainer.ArmOutcome o = outs.get(k);
            fits.add(o.diverged() != null ? new Fit(arms.get(k), null, o.diverged())
                    : new Fit(arms.get(k), new SimdgradClassificationModel(estimator.uid(), o.outcome().net(),
                    o.outcome().roundLoss(), o.outcome().byzantine()), null));
        }
        return fits;
    }
}
