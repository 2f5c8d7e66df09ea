package dev.simdgrad.spark;

import java.io.Serializable;
import java.util.SplittableRandom;

/**
 * What a Byzantine worker sends instead of its honest result, for robustness experiments. The attack is simulated
 * on the driver by an omniscient adversary: every worker first computes honestly, then the rows of the f Byzantine
 * workers ({@link #chooseWorkers}) are replaced, knowing all honest results. In terms of updates u_w = θ_w - θ
 * (θ the round's starting parameters; the rows hold θ + u, see {@link WorkerAggregator}), a Byzantine worker b
 * sends:
 * <ul>
 *   <li>{@code signFlip}: -u_b, its own update reversed;</li>
 *   <li>{@code scaled:s}: s u_b (for example s = -10, or 100 to blow up a mean);</li>
 *   <li>{@code gaussian:sigma}: N(0, sigma²) in every coordinate, from a generator seeded by (seed, round, worker);</li>
 *   <li>{@code alie} or {@code alie:z} ("a little is enough", Baruch, Baruch and Goldberg, NeurIPS 2019):
 *   μ - z σ coordinate-wise, μ and σ the mean and (population) standard deviation of the W honest updates; by
 *   default z = z_max of the paper, Φ(z_max) = (W - s) / W with s = floor(W/2 + 1) - f, the largest shift that
 *   a majority still sees as ordinary;</li>
 *   <li>{@code ipm} or {@code ipm:eps} (inner-product manipulation, Xie, Koyejo and Gupta, UAI 2020): -eps μ, by
 *   default eps = 0.1 (small eps defeats distance rules such as Krum, large eps coordinate-wise ones).</li>
 * </ul>
 * Every Byzantine worker of a round sends the same vector for alie and ipm (they collude). Each value is computed in
 * double from the float rows and rounded once. Deterministic: the same rows, round and seed give the same bits.
 */
public sealed interface Attack extends Serializable {

    /** Known names, for error messages. */
    String KNOWN = "none, signFlip, scaled:s, gaussian:sigma, alie[:z], ipm[:eps]";

    /**
     * Parses {@code text}.
     *
     * @throws IllegalArgumentException naming the text for an unknown name or a wrong argument
     */
    static Attack parse(String text) {
        Spec s = Spec.parse("attack", text);
        return switch (s.name()) {
            case "none" -> new None();
            case "signflip" -> new SignFlip();
            case "scaled" -> new Scaled(s.arity(1, 1, "scaled:s").doubleArg(0, 0));
            case "gaussian" -> {
                double sigma = s.arity(1, 1, "gaussian:sigma").doubleArg(0, 0);
                if (!(sigma >= 0)) {
                    throw new IllegalArgumentException("attack '" + text + "': sigma must be >= 0");
                }
                yield new Gaussian(sigma);
            }
            case "alie" -> new ALittleIsEnough(s.arity(0, 1, "alie[:z]").doubleArg(0, Double.NaN));
            case "ipm" -> new InnerProductManipulation(s.arity(0, 1, "ipm[:eps]").doubleArg(0, 0.1));
            default -> throw s.unknown(KNOWN);
        };
    }

    /**
     * The f Byzantine workers among W: the first f of a permutation of 0..W-1 drawn from {@code seed}, in increasing
     * order.
     *
     * @throws IllegalArgumentException unless 0 &lt;= f &lt;= W
     */
    static int[] chooseWorkers(int f, int workers, long seed) {
        if (f < 0 || f > workers) {
            throw new IllegalArgumentException("byzantineWorkers=" + f + " must be in [0, " + workers
                    + "] (numWorkers)");
        }
        int[] order = new int[workers];
        for (int i = 0; i < workers; i++) {
            order[i] = i;
        }
        SplittableRandom r = new SplittableRandom(seed ^ 0x42797a616e74696eL);   // "Byzantin": apart from the data seeds
        for (int i = workers - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        int[] chosen = java.util.Arrays.copyOf(order, f);
        java.util.Arrays.sort(chosen);
        return chosen;
    }

    /**
     * Replaces the rows of the {@code byzantine} workers of {@code rows} (W x P row-major, the honest results) by this
     * attack, in place.
     *
     * @param current the round's starting parameters θ, P values
     * @param round   the round, 0-based (seeds the Gaussian attack)
     * @param seed    the training seed
     */
    void apply(float[] rows, int workers, int p, float[] current, int[] byzantine, int round, long seed);

    /**
     * Whether a Byzantine worker's row depends on the other workers' rows. The rules that do (ALIE, IPM) and the
     * ones that need only the worker's own row and θ are all coordinate-wise, so they give the same values applied to
     * any set of columns; only {@link Gaussian} draws one stream over all P coordinates and must see the whole row
     * ({@link #applyToOwnRow}), which it can because it ignores the others.
     */
    default boolean wholeRowOnly() {
        return false;
    }

    /**
     * Replaces worker {@code worker}'s own row by the attack, the same values {@link #apply} writes there (for the
     * attacks whose {@link #wholeRowOnly} is true: the executors then aggregate column blocks, the attack runs in
     * the Byzantine worker's own task).
     */
    default void applyToOwnRow(float[] row, int worker, float[] current, int round, long seed) {
        throw new UnsupportedOperationException(this + " is applied to column blocks");
    }

    /** No attack: the Byzantine workers send their honest results. */
    record None() implements Attack {
        @Override
        public void apply(float[] rows, int w, int p, float[] current, int[] byzantine, int round, long seed) {
        }

        @Override
        public String toString() {
            return "none";
        }
    }

    /** -u_b. */
    record SignFlip() implements Attack {
        @Override
        public void apply(float[] rows, int w, int p, float[] current, int[] byzantine, int round, long seed) {
            new Scaled(-1).apply(rows, w, p, current, byzantine, round, seed);
        }

        @Override
        public String toString() {
            return "signFlip";
        }
    }

    /**
     * s u_b.
     *
     * @param s the factor (-1: sign flip)
     */
    record Scaled(double s) implements Attack {
        @Override
        public void apply(float[] rows, int w, int p, float[] current, int[] byzantine, int round, long seed) {
            for (int b : byzantine) {
                for (int j = 0, o = b * p; j < p; j++) {
                    double t = current[j];
                    rows[o + j] = (float) (t + s * (rows[o + j] - t));
                }
            }
        }

        @Override
        public String toString() {
            return "scaled:" + s;
        }
    }

    /**
     * N(0, sigma²) per coordinate.
     *
     * @param sigma the standard deviation, &gt;= 0
     */
    record Gaussian(double sigma) implements Attack {
        @Override
        public void apply(float[] rows, int w, int p, float[] current, int[] byzantine, int round, long seed) {
            for (int b : byzantine) {
                fill(rows, b * p, p, current, b, round, seed);
            }
        }

        @Override
        public boolean wholeRowOnly() {
            return true;
        }

        @Override
        public void applyToOwnRow(float[] row, int worker, float[] current, int round, long seed) {
            fill(row, 0, row.length, current, worker, round, seed);
        }

        private void fill(float[] rows, int o, int p, float[] current, int b, int round, long seed) {
            SplittableRandom r = new SplittableRandom(Seeds.mix(seed, round, b));
            for (int j = 0; j < p; j++) {
                rows[o + j] = (float) (current[j] + sigma * r.nextGaussian());
            }
        }

        @Override
        public String toString() {
            return "gaussian:" + sigma;
        }
    }

    /**
     * μ - z σ.
     *
     * @param z the shift in standard deviations; NaN: the paper's z_max for W and f
     */
    record ALittleIsEnough(double z) implements Attack {
        @Override
        public void apply(float[] rows, int w, int p, float[] current, int[] byzantine, int round, long seed) {
            if (byzantine.length == 0) {
                return;
            }
            double zz = Double.isNaN(z) ? zMax(w, byzantine.length) : z;
            float[] send = new float[p];
            for (int j = 0; j < p; j++) {
                double sum = 0, sq = 0, t = current[j];
                for (int i = 0; i < w; i++) {
                    sum += rows[i * p + j] - t;
                }
                double mu = sum / w;
                for (int i = 0; i < w; i++) {
                    double d = rows[i * p + j] - t - mu;
                    sq += d * d;
                }
                send[j] = (float) (t + mu - zz * Math.sqrt(sq / w));
            }
            for (int b : byzantine) {
                System.arraycopy(send, 0, rows, b * p, p);
            }
        }

        /** z_max of Baruch et al.: Φ(z) = (W - s) / W, s = floor(W/2 + 1) - f (0 when that is not in (0, 1)). */
        static double zMax(int w, int f) {
            int s = w / 2 + 1 - f;
            double q = (double) (w - s) / w;
            return q > 0 && q < 1 ? Normal.quantile(q) : 0;
        }

        @Override
        public String toString() {
            return Double.isNaN(z) ? "alie" : "alie:" + z;
        }
    }

    /**
     * -eps μ.
     *
     * @param eps the factor, 0.1 by default
     */
    record InnerProductManipulation(double eps) implements Attack {
        @Override
        public void apply(float[] rows, int w, int p, float[] current, int[] byzantine, int round, long seed) {
            if (byzantine.length == 0) {
                return;
            }
            float[] send = new float[p];
            for (int j = 0; j < p; j++) {
                double sum = 0, t = current[j];
                for (int i = 0; i < w; i++) {
                    sum += rows[i * p + j] - t;
                }
                send[j] = (float) (t - eps * sum / w);
            }
            for (int b : byzantine) {
                System.arraycopy(send, 0, rows, b * p, p);
            }
        }

        @Override
        public String toString() {
            return "ipm:" + eps;
        }
    }
}
