package dev.simdgrad.experiments;

import dev.simdgrad.nn.strategy.Bulyan;
import dev.simdgrad.nn.strategy.CenteredClipping;
import dev.simdgrad.nn.strategy.ClipNorm;
import dev.simdgrad.nn.strategy.GeometricMedian;
import dev.simdgrad.nn.strategy.GradientStrategy;
import dev.simdgrad.nn.strategy.Mean;
import dev.simdgrad.nn.strategy.Krum;
import dev.simdgrad.nn.strategy.Median;
import dev.simdgrad.nn.strategy.MedianOfMeans;
import dev.simdgrad.nn.strategy.MultiKrum;
import dev.simdgrad.nn.strategy.RM3;
import dev.simdgrad.nn.strategy.Sum;
import dev.simdgrad.nn.strategy.Trim;
import dev.simdgrad.nn.strategy.Winsorize;
import java.util.Locale;

/**
 * The one place where the command line turns a strategy name into a {@link GradientStrategy}: {@code train
 * --strategy} and every row of {@code reproduce coherent-gradients} come through here.
 *
 * <p>Names: {@code mean}, {@code sum}, {@code winsorize:C} (Chatterjee's winsorized gradient, C values clipped at
 * each end of every coordinate), {@code trim:C}, {@code median}, {@code mom:G} (median of means over G groups),
 * {@code clip:C} (per-example norm clipping at C, a real number) and {@code rm3} (median of this and the two
 * previous minibatch gradients): nn's {@link Mean}, {@link Sum}, {@link Winsorize}, {@link Trim}, {@link Median},
 * {@link MedianOfMeans}, {@link ClipNorm} and {@link RM3}; and the whole-gradient robust rules {@code krum:F},
 * {@code multikrum:F:M} (the mean of the M best Krum examples), {@code geomed} (smoothed Weiszfeld, 10 iterations),
 * {@code cc:TAU} (centered clipping at radius TAU around the previous step) and {@code bulyan:F}: {@link Krum},
 * {@link MultiKrum}, {@link GeometricMedian}, {@link CenteredClipping} and {@link Bulyan}.
 */
public final class StrategyFactory {
    /** The names accepted, for usage messages. */
    public static final String NAMES = "mean, sum, winsorize:C, trim:C, median, mom:G, clip:C, rm3, krum:F, multikrum:F:M,"
            + " geomed, cc:TAU, bulyan:F";

    private StrategyFactory() {
    }

    /**
     * A fresh strategy (stateful ones such as RM3 must not be shared between runs).
     *
     * @throws IllegalArgumentException for an unknown name or a bad parameter, with a one-line message
     */
    public static GradientStrategy create(String name) {
        String n = name.strip().toLowerCase(Locale.ROOT);
        int colon = n.indexOf(':');
        String kind = colon < 0 ? n : n.substring(0, colon);
        String arg = colon < 0 ? null : n.substring(colon + 1);
        return switch (kind) {
            case "mean" -> noArg(kind, arg, new Mean());
            case "sum" -> noArg(kind, arg, new Sum());
            case "median" -> noArg(kind, arg, new Median());
            case "rm3" -> noArg(kind, arg, new RM3());
            case "winsorize" -> new Winsorize(count(kind, arg, 0));
            case "trim" -> new Trim(count(kind, arg, 0));
            case "mom" -> new MedianOfMeans(count(kind, arg, 1));
            case "clip" -> new ClipNorm(positive(kind, arg));
            case "geomed" -> noArg(kind, arg, new GeometricMedian());
            case "krum" -> new Krum(count(kind, arg, 0));
            case "bulyan" -> new Bulyan(count(kind, arg, 0));
            case "cc" -> new CenteredClipping(positive(kind, arg));
            case "multikrum" -> multiKrum(kind, arg);
            default -> throw new IllegalArgumentException("unknown strategy '" + name + "' (one of " + NAMES + ")");
        };
    }

    /** {@code multikrum:F:M}. */
    private static GradientStrategy multiKrum(String kind, String arg) {
        int colon = arg == null ? -1 : arg.indexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("strategy " + kind + " needs two parameters, e.g. " + kind + ":2:10");
        }
        return new MultiKrum(count(kind, arg.substring(0, colon), 0), count(kind, arg.substring(colon + 1), 1));
    }

    private static float positive(String kind, String arg) {
        if (arg == null) {
            throw new IllegalArgumentException("strategy " + kind + " needs a parameter, e.g. " + kind + ":1.0");
        }
        try {
            float v = Float.parseFloat(arg);
            if (!(v > 0) || Float.isInfinite(v)) {
                throw new IllegalArgumentException("strategy " + kind + ": " + arg + " must be finite and > 0");
            }
            return v;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("strategy " + kind + ": '" + arg + "' is not a number");
        }
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
