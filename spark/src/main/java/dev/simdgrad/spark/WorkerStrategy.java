package dev.simdgrad.spark;

import dev.simdgrad.nn.strategy.Bulyan;
import dev.simdgrad.nn.strategy.ClipNorm;
import dev.simdgrad.nn.strategy.GeometricMedian;
import dev.simdgrad.nn.strategy.GradientStrategy;
import dev.simdgrad.nn.strategy.Krum;
import dev.simdgrad.nn.strategy.Mean;
import dev.simdgrad.nn.strategy.Median;
import dev.simdgrad.nn.strategy.MedianOfMeans;
import dev.simdgrad.nn.strategy.MultiKrum;
import dev.simdgrad.nn.strategy.Sum;
import dev.simdgrad.nn.strategy.Trim;
import dev.simdgrad.nn.strategy.Winsorize;

import java.io.Serializable;

/**
 * The per-example strategy each worker uses inside its local steps (how the B per-example gradients of one of its
 * batches become the step's gradient), named as text so it can travel to the executors and be set as a Spark ML
 * param; every task builds its own {@link GradientStrategy} ({@link #create()}), since strategies keep scratch
 * buffers and are not thread-safe.
 *
 * <p>Names (see {@code dev.simdgrad.nn.strategy} for the definitions): {@code mean}, {@code sum},
 * {@code clip:C} ({@link ClipNorm}), {@code winsorize:c}, {@code trim:c}, {@code median},
 * {@code medianOfMeans:groups}, {@code krum:f}, {@code multiKrum:f:m}, {@code geometricMedian}, {@code bulyan:f}.
 * The stateful strategies (RM3, centered clipping) are refused: their history would restart every round, which is
 * not the method they name.
 *
 * @param text the strategy as given, parsed and checked by {@link #parse}
 */
public record WorkerStrategy(String text) implements Serializable {

    /** Known names, for error messages. */
    static final String KNOWN = "mean, sum, clip:C, winsorize:c, trim:c, median, medianOfMeans:groups, krum:f,"
            + " multiKrum:f:m, geometricMedian, bulyan:f";

    /**
     * Parses and checks {@code text} (by building the strategy once).
     *
     * @throws IllegalArgumentException naming the text for an unknown name, a wrong argument, or a stateful strategy
     */
    public static WorkerStrategy parse(String text) {
        WorkerStrategy s = new WorkerStrategy(text);
        s.create();
        return s;
    }

    /** A new, independent instance of the strategy. */
    public GradientStrategy create() {
        Spec s = Spec.parse("per-example strategy", text);
        return switch (s.name()) {
            case "mean" -> new Mean();
            case "sum" -> new Sum();
            case "clip", "clipnorm" -> new ClipNorm((float) positive(s, s.arity(1, 1, "clip:C").doubleArg(0, 0)));
            case "winsorize" -> new Winsorize(s.arity(1, 1, "winsorize:c").intArg(0, 0, 0));
            case "trim" -> new Trim(s.arity(1, 1, "trim:c").intArg(0, 0, 0));
            case "median" -> new Median();
            case "medianofmeans" -> new MedianOfMeans(s.arity(1, 1, "medianOfMeans:groups").intArg(0, 1, 1));
            case "krum" -> new Krum(s.arity(1, 1, "krum:f").intArg(0, 0, 0));
            case "multikrum" -> new MultiKrum(s.arity(2, 2, "multiKrum:f:m").intArg(0, 0, 0), s.intArg(1, 1, 1));
            case "geometricmedian" -> {
                s.arity(0, 0, "geometricMedian");
                yield new GeometricMedian();
            }
            case "bulyan" -> new Bulyan(s.arity(1, 1, "bulyan:f").intArg(0, 0, 0));
            case "rm3", "centeredclipping" -> throw new IllegalArgumentException("per-example strategy '" + text
                    + "' keeps a history across steps, which would restart every round; not supported on Spark");
            default -> throw s.unknown(KNOWN);
        };
    }

    private static double positive(Spec s, double v) {
        if (!(v > 0)) {
            throw new IllegalArgumentException(s.what() + " '" + s.text() + "': C must be > 0");
        }
        return v;
    }

    @Override
    public String toString() {
        return text;
    }
}
