package dev.simdgrad.experiments;

import dev.simdgrad.nn.Loss;
import dev.simdgrad.nn.optim.BackwardDifferenceGR;
import dev.simdgrad.nn.optim.DoubleBackpropGR;
import dev.simdgrad.nn.optim.Flooding;
import dev.simdgrad.nn.optim.ForwardDifferenceGR;
import dev.simdgrad.nn.optim.LossGradient;
import dev.simdgrad.nn.optim.Objective;
import dev.simdgrad.nn.optim.Sam;
import dev.simdgrad.nn.strategy.GradientStrategy;
import dev.simdgrad.nn.strategy.Mean;

/**
 * What a training step descends besides the loss, as the command line names it: nothing, gradient regularization
 * L + (γ/2)‖∇L‖² computed three ways (Karakida et al. 2023), SAM, or flooding. {@link #objective} builds the nn
 * {@link Objective}; the parameters a kind does not use are ignored. A strategy the kind cannot honour is refused
 * (DB with anything but the mean; F-GR, B-GR and SAM with a stateful strategy such as RM3, which they would
 * evaluate twice per step), never silently replaced.
 */
public enum Regularizer {
    /** The loss itself, aggregated by the strategy. */
    NONE("none"),
    /** F-GR: forward difference with ascent step ε. */
    FGR("fgr"),
    /** B-GR: backward difference with descent step ε. */
    BGR("bgr"),
    /** DB: double backpropagation, the exact Hessian-vector product (uses the mean gradient). */
    DB("db"),
    /** SAM with radius ρ. */
    SAM("sam"),
    /** Flooding at level b. */
    FLOODING("flooding");

    /** The command-line name. */
    final String cli;

    Regularizer(String cli) {
        this.cli = cli;
    }

    /**
     * The regularizer named {@code name} (case-insensitive).
     *
     * @throws IllegalArgumentException for an unknown name
     */
    public static Regularizer parse(String name) {
        for (Regularizer r : values()) {
            if (r.cli.equalsIgnoreCase(name.strip())) {
                return r;
            }
        }
        throw new IllegalArgumentException("unknown regularizer '" + name + "' (one of none, fgr, bgr, db, sam,"
                + " flooding)");
    }

    /**
     * A fresh objective.
     *
     * @param gamma   γ of F-GR, B-GR and DB
     * @param epsilon ε of F-GR and B-GR
     * @param rho     ρ of SAM
     * @param flood   b of flooding
     * @throws IllegalArgumentException for parameters out of range (nn's messages)
     */
    public Objective objective(Loss loss, GradientStrategy strategy, float gamma, float epsilon, float rho, double flood) {
        LossGradient base = new LossGradient(loss, strategy);
        return switch (this) {
            case NONE -> base;
            case FGR -> new ForwardDifferenceGR(base, gamma, epsilon);
            case BGR -> new BackwardDifferenceGR(base, gamma, epsilon);
            case DB -> {
                // DB differentiates the mean loss exactly (its gradient plus γ times a Hessian-vector product);
                // it has no place for a strategy's aggregate, and silently using the mean would mislabel the run.
                if (!(strategy instanceof Mean)) {
                    throw new IllegalArgumentException("db is the exact gradient regularization of the mean loss and"
                            + " takes no strategy (got " + strategy + "); fgr and bgr difference the strategy's"
                            + " gradient instead");
                }
                yield new DoubleBackpropGR(loss, gamma);
            }
            case SAM -> new Sam(base, rho);
            case FLOODING -> new Flooding(base, flood);
        };
    }
}
