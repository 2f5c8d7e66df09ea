package dev.simdgrad.spark;

import dev.simdgrad.nn.optim.Schedule;
import dev.simdgrad.nn.optim.Sgd;

import java.io.Serializable;

/**
 * The SGD every worker runs its local steps with: nn's {@link Sgd} (heavy-ball or Nesterov momentum μ, coupled weight
 * decay λ) with a learning-rate schedule over the global step number, the same on every worker.
 *
 * <p><b>State across rounds.</b> With momentum, each worker keeps its own velocity from one round to the next (the
 * round resets its parameters to the aggregate, not its velocity): local momentum, as in Karimireddy et al. (ICML
 * 2021, "Learning from History for Byzantine Robust Optimization"), whose workers send momentum rather than fresh
 * gradients so that a robust aggregator sees less noise. The driver holds the velocities between runs of rounds, so
 * a retried task and a resumed fit start from the same ones ({@link CarriedState}); with W = 1 the fit is nn's
 * {@code Trainer} with the same {@code Sgd}, bit for bit.
 *
 * <p>Schedules (text): {@code constant}; {@code step:factor:every} (η · factor^⌊t / every⌋, t the step); {@code
 * cosine} or {@code cosine:minRate} (from η to minRate, default 0, over all the fit's steps).
 *
 * @param schedule    the schedule's text
 * @param momentum    μ in [0, 1)
 * @param nesterov    Nesterov momentum (needs μ &gt; 0)
 * @param weightDecay λ &gt;= 0
 */
record WorkerOptimizer(String schedule, float momentum, boolean nesterov, float weightDecay) implements Serializable {
    /** Known schedules, for error messages. */
    static final String KNOWN = "constant, step:factor:every, cosine[:minRate]";

    /** Plain SGD with a constant rate. */
    static final WorkerOptimizer PLAIN = new WorkerOptimizer("constant", 0f, false, 0f);

    /**
     * @throws IllegalArgumentException naming the setting out of range or the schedule that does not parse
     */
    WorkerOptimizer {
        if (!(momentum >= 0 && momentum < 1)) {
            throw new IllegalArgumentException("momentum=" + momentum + " must be in [0, 1)");
        }
        if (nesterov && momentum == 0) {
            throw new IllegalArgumentException("nesterov needs momentum > 0");
        }
        if (!(weightDecay >= 0) || Float.isInfinite(weightDecay)) {
            throw new IllegalArgumentException("weightDecay=" + weightDecay + " must be finite and >= 0");
        }
        schedule(schedule, 0.1, 1);   // parses, or says why not
    }

    /** Whether workers carry a velocity from round to round. */
    boolean stateful() {
        return momentum != 0;
    }

    /**
     * A fresh optimizer for a worker's steps.
     *
     * @param learningRate η, the schedule's base rate
     * @param totalSteps   the steps each worker takes in the whole fit (the cosine schedule's length)
     */
    Sgd create(double learningRate, long totalSteps) {
        return new Sgd(schedule(schedule, learningRate, totalSteps), momentum, nesterov, weightDecay);
    }

    private static Schedule schedule(String text, double rate, long totalSteps) {
        Spec s = Spec.parse("learningRateSchedule", text);
        return switch (s.name()) {
            case "constant" -> {
                s.arity(0, 0, "constant");
                yield Schedule.constant(rate);
            }
            case "step" -> {
                s.arity(2, 2, "step:factor:every");
                double factor = s.doubleArg(0, 0);
                int every = s.intArg(1, 1, 1);
                if (!(factor > 0) || Double.isInfinite(factor)) {
                    throw new IllegalArgumentException("learningRateSchedule '" + text + "': factor must be finite"
                            + " and > 0");
                }
                yield Schedule.step(rate, factor, every);
            }
            case "cosine" -> {
                s.arity(0, 1, "cosine[:minRate]");
                double min = s.doubleArg(0, 0);
                if (!(min >= 0) || Double.isInfinite(min)) {
                    throw new IllegalArgumentException("learningRateSchedule '" + text + "': minRate must be finite"
                            + " and >= 0");
                }
                yield Schedule.cosine(rate, min, Math.max(1, totalSteps));
            }
            default -> throw s.unknown(KNOWN);
        };
    }

    @Override
    public String toString() {
        return "sgd(" + schedule + ", momentum " + momentum + (nesterov ? ", nesterov" : "") + ", weightDecay "
                + weightDecay + ")";
    }
}
