package dev.simdgrad.spark;

import dev.simdgrad.kernels.Aggregate;
import dev.simdgrad.kernels.BlockwiseAggregate;

import java.io.Serializable;

/**
 * How the driver combines the W workers' results of a round into the next parameters: one rule of the kernels'
 * {@link Aggregate} over the W x P row-major matrix whose row w is worker w's trainable parameters after its local
 * steps (rows in worker order, so the result does not depend on which task finished first).
 *
 * <p><b>Parameters, not differences.</b> The rows are the workers' parameters θ_w rather than their updates
 * u_w = θ_w - θ. Every rule here is translation-equivariant (aggregate(θ + u_1, .., θ + u_W) = θ + aggregate(u_1, ..,
 * u_W), with centered clipping's center translated as well), so this is the same method in exact arithmetic, and it
 * avoids rounding twice (fl(θ + fl(θ_w - θ)) need not be θ_w): with W = 1 the next parameters are the worker's own,
 * bit for bit, as in the single-machine trainer.
 *
 * <p>Text names, with the kernels' conditions on W (checked by {@link #checkWorkers} before training):
 * {@code mean}, {@code median}, {@code trimmedMean:c} and {@code winsorizedMean:c} (2c &lt; W),
 * {@code medianOfMeans:groups} (groups &lt;= W), {@code krum:f} (W &gt;= 2f + 3), {@code multiKrum:f:m}
 * (W &gt;= 2f + 3, m &lt;= W), {@code geometricMedian} or {@code geometricMedian:nu:iterations:tolerance},
 * {@code centeredClipping:tau} or {@code centeredClipping:tau:iterations} (centered at the current parameters, that is
 * at the zero update) or {@code centeredClipping:tau:iterations:previous} (centered at the previous round's step taken
 * again, Karimireddy et al.'s center: the one rule with memory, carried in {@link CarriedState}), {@code bulyan:f}
 * (W &gt;= 4f + 3). Cost: one pass (mean) to a few passes (order statistics, the Gram matrix of the distance rules)
 * over the W x P matrix on the driver.
 */
public sealed interface WorkerAggregator extends Serializable {

    /** Known names, for error messages. */
    String KNOWN = "mean, median, trimmedMean:c, winsorizedMean:c, medianOfMeans:groups, krum:f, multiKrum:f:m,"
            + " geometricMedian[:nu:iterations:tolerance], centeredClipping:tau[:iterations[:previous]], bulyan:f";

    /**
     * Parses {@code text}.
     *
     * @throws IllegalArgumentException naming the text for an unknown name or a wrong argument
     */
    static WorkerAggregator parse(String text) {
        Spec s = Spec.parse("aggregator", text);
        return switch (s.name()) {
            case "mean" -> new MeanOf();
            case "median" -> new MedianOf();
            case "trimmedmean" -> new TrimmedMean(s.arity(1, 1, "trimmedMean:c").intArg(0, 0, 0));
            case "winsorizedmean" -> new WinsorizedMean(s.arity(1, 1, "winsorizedMean:c").intArg(0, 0, 0));
            case "medianofmeans" -> new MedianOfMeans(s.arity(1, 1, "medianOfMeans:groups").intArg(0, 1, 1));
            case "krum" -> new Krum(s.arity(1, 1, "krum:f").intArg(0, 0, 0));
            case "multikrum" -> new MultiKrum(s.arity(2, 2, "multiKrum:f:m").intArg(0, 0, 0), s.intArg(1, 1, 1));
            case "geometricmedian" -> {
                s.arity(0, 3, "geometricMedian[:nu:iterations:tolerance]");
                double nu = s.doubleArg(0, 1e-6), tol = s.doubleArg(2, 1e-5);
                if (!(nu > 0) || !(tol >= 0)) {
                    throw new IllegalArgumentException("aggregator '" + text + "': needs nu > 0 and tolerance >= 0");
                }
                yield new GeometricMedian(nu, s.intArg(1, 10, 0), tol);
            }
            case "centeredclipping" -> {
                double tau = s.arity(1, 3, "centeredClipping:tau[:iterations[:previous]]").doubleArg(0, 0);
                if (!(tau > 0)) {
                    throw new IllegalArgumentException("aggregator '" + text + "': tau must be > 0");
                }
                boolean previous = s.args().length == 3;
                if (previous && !s.args()[2].strip().equalsIgnoreCase("previous")) {
                    throw new IllegalArgumentException("aggregator '" + text + "': the third argument can only be"
                            + " 'previous' (center at the previous round's step)");
                }
                yield new CenteredClipping((float) tau, s.intArg(1, 1, 1), previous);
            }
            case "bulyan" -> new Bulyan(s.arity(1, 1, "bulyan:f").intArg(0, 0, 0));
            default -> throw s.unknown(KNOWN);
        };
    }

    /**
     * Checks that the rule is defined for W workers.
     *
     * @throws IllegalArgumentException naming the rule, its parameter and W when it is not
     */
    void checkWorkers(int workers);

    /**
     * Writes the aggregate of the {@code workers} rows of {@code rows} (W x P row-major) to {@code out}
     * (P values). {@code current} (P values) is the round's starting point, the center of centered clipping. With one
     * row the result is that row, copied (every rule's value for a single row; copying keeps its bits, signed zeros
     * included).
     */
    default void aggregate(float[] rows, int workers, int p, float[] current, float[] out) {
        if (workers == 1) {
            System.arraycopy(rows, 0, out, 0, p);
            return;
        }
        apply(rows, workers, p, current, out);
    }

    /**
     * Whether {@code current}, the center handed to {@link #aggregate}, should be the round's starting parameters
     * plus the previous round's step (the driver keeps that step in {@link CarriedState}) rather than the starting
     * parameters alone. Only centered clipping with {@code previous} says yes.
     */
    default boolean centersOnPreviousStep() {
        return false;
    }

    /**
     * Whether the rule works column by column (each coordinate's aggregate depends only on that coordinate's W
     * values), so that it gives the same bits applied to column blocks on the executors
     * ({@link ExecutorAggregation}) in one pass. True for the mean, the median, the trimmed and winsorized means and
     * the median of means; the distance-based rules see every coordinate through the W x W distances, summed over
     * the blocks before the rule runs ({@link #decide}).
     */
    default boolean coordinateWise() {
        return false;
    }

    /**
     * For a rule that needs whole rows (not {@link #coordinateWise()}): what it decides from the W workers' summed
     * squared distances ({@link BlockwiseAggregate}; for centered clipping the center is vector W), to be applied to
     * every coordinate block on the executors ({@link ExecutorAggregation}). W &gt;= 2.
     *
     * @throws UnsupportedOperationException for a coordinate-wise rule
     */
    default BlockwiseAggregate.Outcome decide(double[] distances, int workers) {
        throw new UnsupportedOperationException(this + " works coordinate by coordinate");
    }

    /** Whether {@link #decide} needs the center among the vectors (centered clipping). */
    default boolean distancesWithCenter() {
        return false;
    }

    /** The rule itself, for W &gt;= 2 (checked by {@link #checkWorkers}). */
    void apply(float[] rows, int workers, int p, float[] current, float[] out);

    private static void require(boolean ok, String rule, String condition, int workers) {
        if (!ok) {
            throw new IllegalArgumentException("aggregator " + rule + " needs " + condition + ", but there are "
                    + workers + " workers (numWorkers)");
        }
    }

    /** The coordinate-wise mean. */
    record MeanOf() implements WorkerAggregator {
        @Override
        public boolean coordinateWise() {
            return true;
        }

        @Override
        public void checkWorkers(int workers) {
        }

        @Override
        public void apply(float[] rows, int w, int p, float[] current, float[] out) {
            Aggregate.mean(rows, 0, w, p, p, out, 0);
        }

        @Override
        public String toString() {
            return "mean";
        }
    }

    /** The coordinate-wise median. */
    record MedianOf() implements WorkerAggregator {
        @Override
        public boolean coordinateWise() {
            return true;
        }

        @Override
        public void checkWorkers(int workers) {
        }

        @Override
        public void apply(float[] rows, int w, int p, float[] current, float[] out) {
            Aggregate.median(rows, 0, w, p, p, out, 0);
        }

        @Override
        public String toString() {
            return "median";
        }
    }

    /**
     * The coordinate-wise mean after dropping the c smallest and c largest values; needs 2c &lt; W.
     *
     * @param c values dropped at each end
     */
    record TrimmedMean(int c) implements WorkerAggregator {
        @Override
        public boolean coordinateWise() {
            return true;
        }

        @Override
        public void checkWorkers(int workers) {
            require(2L * c < workers, toString(), "2c < W", workers);
        }

        @Override
        public void apply(float[] rows, int w, int p, float[] current, float[] out) {
            Aggregate.trimmedMean(rows, 0, w, p, p, c, out, 0);
        }

        @Override
        public String toString() {
            return "trimmedMean:" + c;
        }
    }

    /**
     * The coordinate-wise mean after clipping the c smallest and c largest values; needs 2c &lt; W.
     *
     * @param c values clipped at each end
     */
    record WinsorizedMean(int c) implements WorkerAggregator {
        @Override
        public boolean coordinateWise() {
            return true;
        }

        @Override
        public void checkWorkers(int workers) {
            require(2L * c < workers, toString(), "2c < W", workers);
        }

        @Override
        public void apply(float[] rows, int w, int p, float[] current, float[] out) {
            Aggregate.winsorizedMean(rows, 0, w, p, p, c, out, 0);
        }

        @Override
        public String toString() {
            return "winsorizedMean:" + c;
        }
    }

    /**
     * The coordinate-wise median of the means of {@code groups} consecutive groups of workers; groups &lt;= W.
     *
     * @param groups the number of groups
     */
    record MedianOfMeans(int groups) implements WorkerAggregator {
        @Override
        public boolean coordinateWise() {
            return true;
        }

        @Override
        public void checkWorkers(int workers) {
            require(groups <= workers, toString(), "groups <= W", workers);
        }

        @Override
        public void apply(float[] rows, int w, int p, float[] current, float[] out) {
            Aggregate.medianOfMeans(rows, 0, w, p, p, groups, out, 0);
        }

        @Override
        public String toString() {
            return "medianOfMeans:" + groups;
        }
    }

    /**
     * Krum (Blanchard et al. 2017): the worker closest to its W - f - 2 nearest others; W &gt;= 2f + 3.
     *
     * @param f the Byzantine workers tolerated
     */
    record Krum(int f) implements WorkerAggregator {
        @Override
        public void checkWorkers(int workers) {
            require(workers >= 2L * f + 3, toString(), "W >= 2f + 3", workers);
        }

        @Override
        public void apply(float[] rows, int w, int p, float[] current, float[] out) {
            Aggregate.krum(rows, 0, w, p, p, f, out, 0);
        }

        @Override
        public BlockwiseAggregate.Outcome decide(double[] distances, int workers) {
            return BlockwiseAggregate.krum(distances, workers, f);
        }

        @Override
        public String toString() {
            return "krum:" + f;
        }
    }

    /**
     * Multi-Krum: the mean of the m workers of smallest Krum score; W &gt;= 2f + 3, 1 &lt;= m &lt;= W.
     *
     * @param f the Byzantine workers tolerated
     * @param m the workers averaged
     */
    record MultiKrum(int f, int m) implements WorkerAggregator {
        @Override
        public void checkWorkers(int workers) {
            require(workers >= 2L * f + 3, toString(), "W >= 2f + 3", workers);
            require(m <= workers, toString(), "m <= W", workers);
        }

        @Override
        public void apply(float[] rows, int w, int p, float[] current, float[] out) {
            Aggregate.multiKrum(rows, 0, w, p, p, f, m, out, 0);
        }

        @Override
        public BlockwiseAggregate.Outcome decide(double[] distances, int workers) {
            return BlockwiseAggregate.multiKrum(distances, workers, f, m);
        }

        @Override
        public String toString() {
            return "multiKrum:" + f + ":" + m;
        }
    }

    /**
     * The geometric median by smoothed Weiszfeld ({@link Aggregate#geometricMedian}).
     *
     * @param nu            the smoothing (default 1e-6)
     * @param maxIterations the iteration cap (default 10)
     * @param tolerance     the relative change that stops it (default 1e-5)
     */
    record GeometricMedian(double nu, int maxIterations, double tolerance) implements WorkerAggregator {
        @Override
        public void checkWorkers(int workers) {
        }

        @Override
        public void apply(float[] rows, int w, int p, float[] current, float[] out) {
            Aggregate.geometricMedian(rows, 0, w, p, p, nu, maxIterations, tolerance, out, 0);
        }

        @Override
        public BlockwiseAggregate.Outcome decide(double[] distances, int workers) {
            return BlockwiseAggregate.geometricMedian(distances, workers, nu, maxIterations, tolerance);
        }

        @Override
        public String toString() {
            return "geometricMedian:" + nu + ":" + maxIterations + ":" + tolerance;
        }
    }

    /**
     * Centered clipping (Karimireddy et al. 2021): each worker's difference from the center is clipped to radius tau
     * ({@link Aggregate#centeredClipping}), {@code iterations} times. The center is the round's starting parameters
     * (the zero update), or with {@code fromPreviousStep} those plus the previous round's aggregate step, as the
     * paper centers at the previous aggregate (with worker momentum, {@link WorkerOptimizer}, that is its algorithm;
     * the first round centers at the zero update).
     *
     * @param tau              the clipping radius, &gt; 0
     * @param iterations       the clipping iterations (default 1)
     * @param fromPreviousStep center at the previous step taken again
     */
    record CenteredClipping(float tau, int iterations, boolean fromPreviousStep) implements WorkerAggregator {
        @Override
        public void checkWorkers(int workers) {
        }

        @Override
        public boolean centersOnPreviousStep() {
            return fromPreviousStep;
        }

        @Override
        public void apply(float[] rows, int w, int p, float[] current, float[] out) {
            Aggregate.centeredClipping(rows, 0, w, p, p, current, 0, tau, iterations, out, 0);
        }

        @Override
        public boolean distancesWithCenter() {
            return true;
        }

        @Override
        public BlockwiseAggregate.Outcome decide(double[] distances, int workers) {
            return BlockwiseAggregate.centeredClipping(distances, workers, tau, iterations);
        }

        @Override
        public String toString() {
            return "centeredClipping:" + tau + ":" + iterations + (fromPreviousStep ? ":previous" : "");
        }
    }

    /**
     * Bulyan (El Mhamdi et al. 2018): iterated Krum, then a coordinate-wise trimmed mean; W &gt;= 4f + 3.
     *
     * @param f the Byzantine workers tolerated
     */
    record Bulyan(int f) implements WorkerAggregator {
        @Override
        public void checkWorkers(int workers) {
            require(workers >= 4L * f + 3, toString(), "W >= 4f + 3", workers);
        }

        @Override
        public void apply(float[] rows, int w, int p, float[] current, float[] out) {
            Aggregate.bulyan(rows, 0, w, p, p, f, out, 0);
        }

        @Override
        public BlockwiseAggregate.Outcome decide(double[] distances, int workers) {
            return BlockwiseAggregate.bulyan(distances, workers, f);
        }

        @Override
        public String toString() {
            return "bulyan:" + f;
        }
    }
}
