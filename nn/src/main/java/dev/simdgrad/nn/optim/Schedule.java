package dev.simdgrad.nn.optim;

/**
 * Learning rate as a function of the step number t = 0, 1, 2, ...
 * <ul>
 *   <li>{@link #constant}: η_t = η.</li>
 *   <li>{@link #step}: η_t = η · factor^⌊t / every⌋.</li>
 *   <li>{@link #cosine}: η_t = η_min + (η - η_min)(1 + cos(π t / T)) / 2 for t &lt;= T, then η_min.</li>
 * </ul>
 */
public sealed interface Schedule {

    /** η_t. */
    double rate(long step);

    static Schedule constant(double rate) {
        return new Constant(rate);
    }

    static Schedule step(double rate, double factor, long every) {
        return new Step(rate, factor, every);
    }

    static Schedule cosine(double rate, double minRate, long totalSteps) {
        return new Cosine(rate, minRate, totalSteps);
    }

    /** η_t = η. */
    record Constant(double rate) implements Schedule {
        public Constant {
            checkRate(rate);
        }

        @Override
        public double rate(long step) {
            return rate;
        }
    }

    /** η_t = η · factor^⌊t / every⌋. */
    record Step(double rate, double factor, long every) implements Schedule {
        public Step {
            checkRate(rate);
            if (!(factor > 0) || Double.isInfinite(factor) || every < 1) {
                throw new IllegalArgumentException("step schedule needs finite factor > 0 and every >= 1: factor="
                        + factor + ", every=" + every);
            }
        }

        @Override
        public double rate(long step) {
            return rate * Math.pow(factor, Math.floorDiv(step, every));
        }
    }

    /** η_t = η_min + (η - η_min)(1 + cos(π t / T)) / 2 for t &lt;= T, then η_min. */
    record Cosine(double rate, double minRate, long totalSteps) implements Schedule {
        public Cosine {
            checkRate(rate);
            checkRate(minRate);
            if (totalSteps < 1) {
                throw new IllegalArgumentException("cosine schedule needs totalSteps >= 1, got " + totalSteps);
            }
        }

        @Override
        public double rate(long step) {
            if (step >= totalSteps) {
                return minRate;
            }
            return minRate + (rate - minRate) * (1 + Math.cos(Math.PI * step / totalSteps)) / 2;
        }
    }

    private static void checkRate(double rate) {
        if (!(rate >= 0) || Double.isInfinite(rate)) {
            throw new IllegalArgumentException("learning rate must be finite and >= 0, got " + rate);
        }
    }
}
