package dev.simdgrad.spark;

import java.io.Serializable;

/**
 * What a fit carries from one round to the next besides the parameters: each worker's SGD velocity (with momentum,
 * {@link WorkerOptimizer}) and the aggregator's memory of the previous round's step (centered clipping around the
 * previous step, {@link WorkerAggregator.CenteredClipping}). Held by the driver between runs of rounds, shipped to the
 * tasks at the start of each, and written with every checkpoint, so a retried task and a resumed fit continue from
 * the same state and end with the same bits.
 *
 * @param velocities   per worker, its velocity in the gradient layout, or null while it has none (before its first
 *                     step, or without momentum)
 * @param previousStep the previous round's aggregate minus its starting parameters (P values), or null if no rule
 *                     uses it or no round has run
 */
record CarriedState(float[][] velocities, float[] previousStep) implements Serializable {

    /** The state before the first round of W workers. */
    static CarriedState initial(int workers) {
        return new CarriedState(new float[workers][], null);
    }

    /** Whether there is anything to carry. */
    boolean isEmpty() {
        if (previousStep != null) {
            return false;
        }
        for (float[] v : velocities) {
            if (v != null) {
                return false;
            }
        }
        return true;
    }
}
