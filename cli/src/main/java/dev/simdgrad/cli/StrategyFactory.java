package dev.simdgrad.cli;

import dev.simdgrad.nn.strategy.GradientStrategy;
import dev.simdgrad.nn.strategy.Mean;
import dev.simdgrad.nn.strategy.Sum;

/**
 * The one place where the command line turns a strategy name into a {@link GradientStrategy}: {@code train
 * --strategy} and every row of {@code reproduce coherent-gradients} come through here.
 *
 * <p>Names: {@code mean}, {@code sum}, {@code winsorize:C} (Chatterjee's winsorized gradient, C values clipped at
 * each end of every coordinate), {@code trim:C}, {@code median}, {@code mom:G} (median of means over G groups),
 * {@code clip:C} (per-example norm clipping at C) and {@code rm3}. The coordinate-wise ones run on the fused
 * kernels of {@code FusedAggregate} through {@link InterimRobustStrategy} until nn's own strategy classes land;
 * {@code clip} and {@code rm3} need those classes and are refused until then.
 */
final class StrategyFactory {
    /** The names accepted, for usage messages. */
    static final String NAMES = "mean, sum, winsorize:C, trim:C, median, mom:G, clip:C, rm3";

    private StrategyFactory() {
    }

    /**
     * A fresh strategy (stateful ones such as RM3 must not be shared between runs).
     *
     * @throws IllegalArgumentException for an unknown name or a bad parameter, with a one-line message
     */
    static GradientStrategy create(String name) {
        String n = name.strip().toLowerCase(java.util.Locale.ROOT);
        int colon = n.indexOf(':');
        String kind = colon < 0 ? n : n.substring(0, colon);
        String arg = colon < 0 ? null : n.substring(colon + 1);
        return switch (kind) {
            case "mean" -> noArg(kind, arg, new Mean());
            case "sum" -> noArg(kind, arg, new Sum());
            case "median" -> noArg(kind, arg, InterimRobustStrategy.median());
            case "winsorize" -> InterimRobustStrategy.winsorize(count(kind, arg, 0));
            case "trim" -> InterimRobustStrategy.trim(count(kind, arg, 0));
            case "mom" -> InterimRobustStrategy.medianOfMeans(count(kind, arg, 1));
            case "clip", "rm3" -> throw new IllegalArgumentException("strategy '" + name + "' needs nn's ClipNorm/RM3"
                    + " classes, which this build does not have yet");
            default -> throw new IllegalArgumentException("unknown strategy '" + name + "' (one of " + NAMES + ")");
        };
    }

    private static GradientStrategy noArg(String kind, String arg, GradientStrategy s) {
        if (arg != null) {
            throw new IllegalArgumentException("strategy " + kind + " takes no parameter, got '" + kind + ":" + arg
                    + "'");
        }
        return s;
    }

    private static int count(String kind, String arg, int min) {
        if (arg == null) {
            throw new IllegalArgumentException("strategy " + kind + " needs a parameter, e.g. " + kind + ":4");
        }
        try {
            int c = Integer.parseInt(arg);
            if (c < min) {
                throw new IllegalArgumentException("strategy " + kind + ": " + c + " must be >= " + min);
            }
            return c;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("strategy " + kind + ": '" + arg + "' is not an integer");
        }
    }
}
