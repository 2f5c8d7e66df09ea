package dev.simdgrad.nn.optim;

/**
 * Training diverged: a step's loss, or the parameters after an epoch, are no longer finite (NaN or ±∞). Thrown by
 * {@link Trainer#epoch} as soon as it sees it, so that a diverged run is never mistaken for a result. The network's
 * parameters are left as the failing step made them (possibly non-finite): save them only on purpose.
 *
 * <p>It says where: the 1-based epoch and the 1-based step within that epoch, the loss that step reported, and the
 * last finite loss the trainer saw (NaN if there was none).
 */
public final class TrainingDivergedException extends RuntimeException {
    private final int epoch;
    private final int step;
    private final double loss;
    private final double lastFiniteLoss;
    private final String what;

    /**
     * @param epoch          the 1-based epoch of the trainer in which divergence was detected
     * @param step           the 1-based step within that epoch (for a non-finite parameter: the epoch's last step)
     * @param loss           the loss that step reported (finite when it was the parameters that diverged)
     * @param lastFiniteLoss the last finite step loss before it, NaN if none
     * @param what           what was found non-finite, e.g. "loss" or "parameter 17"
     */
    public TrainingDivergedException(int epoch, int step, double loss, double lastFiniteLoss, String what) {
        super("training diverged at epoch " + epoch + ", step " + step + ": " + what + " is not finite (step loss "
                + loss + ", last finite loss " + lastFiniteLoss + ")");
        this.epoch = epoch;
        this.step = step;
        this.loss = loss;
        this.lastFiniteLoss = lastFiniteLoss;
        this.what = what;
    }

    /** What was found non-finite: "the loss", or "parameter i after the step". */
    public String what() {
        return what;
    }

    /** The 1-based epoch in which divergence was detected. */
    public int epoch() {
        return epoch;
    }

    /** The 1-based step within {@link #epoch()}. */
    public int step() {
        return step;
    }

    /** The loss of that step. */
    public double loss() {
        return loss;
    }

    /** The last finite step loss before divergence, NaN if none. */
    public double lastFiniteLoss() {
        return lastFiniteLoss;
    }
}
