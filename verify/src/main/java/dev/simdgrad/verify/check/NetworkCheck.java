package dev.simdgrad.verify.check;

import dev.simdgrad.kernels.PerExample;
import dev.simdgrad.nn.DenseLayerBatch;
import dev.simdgrad.nn.TwoLayerNet;
import dev.simdgrad.nn.Workspace;
import dev.simdgrad.nn.data.Batch;
import dev.simdgrad.nn.strategy.GradientStrategy;
import dev.simdgrad.nn.strategy.Mean;
import dev.simdgrad.nn.strategy.Median;
import dev.simdgrad.nn.strategy.MedianOfMeans;
import dev.simdgrad.nn.strategy.Sum;
import dev.simdgrad.nn.strategy.Trim;
import dev.simdgrad.nn.strategy.Winsorize;
import dev.simdgrad.verify.ErrorBounds;
import dev.simdgrad.verify.ReferenceAggregate;
import dev.simdgrad.verify.ReferenceTwoLayerNet;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * Checks the float kernel path of {@link TwoLayerNet} against the all-double {@link ReferenceTwoLayerNet}: forward
 * (the outputs Z₂), the mean loss, the deltas Δ₂ and Δ₁ of the backward pass, the gradient (the {@link Sum} and
 * {@link Mean} strategies), and one order-statistic aggregation strategy ({@link Median}, {@link Trim},
 * {@link Winsorize} or {@link MedianOfMeans}, fused from the per-example deltas). Random networks
 * ({@link NetCase}): d and m up to 40, k up to 6, B up to 33, each next to a vector width's edge or 1 a quarter of the
 * time; every activation (ReLU, tanh, softplus, GELU, identity), cross-entropy or squared loss, standard or NTK
 * parametrization, each bias present or not, the output layer sometimes frozen. Five tallied comparisons per case.
 *
 * <p>Bounds: the first-order bounds {@link ReferenceTwoLayerNet.Pass} derives alongside every quantity (SGEMM's
 * {@code gamma(k + 2)} per product, propagated through the activation's Lipschitz constants and the loss's
 * derivatives; for ReLU a unit closer to its kink than the error of z₁ may flip), the same ones the property tests
 * {@code NnKernelVsReferenceProperties} hold the network to; every float result also gets half an ulp
 * ({@link ErrorBounds#ofFloatResult}). The aggregation strategies are compared with {@link ReferenceAggregate} on
 * the materialized float per-example gradients of each layer, with the bounds of the {@code aggregate} check
 * (odd-count medians exact).
 *
 * <p>C2: 300 forward/backward passes with the Sum, Mean and order-statistic strategies over varied shapes run before
 * the cases.
 */
public final class NetworkCheck implements KernelCheck {
    private static final String[] OPS = {"mean", "median", "trimmed", "winsorized", "median-of-means"};

    private final Consumer<Workspace> tamper;

    /** Checks the network. */
    public NetworkCheck() {
        this(ws -> { });
    }

    /** A check that hands the workspace to {@code tamper} right after the backward pass (tests break it there). */
    NetworkCheck(Consumer<Workspace> tamper) {
        this.tamper = tamper;
    }

    @Override
    public String name() {
        return "network";
    }

    @Override
    public CheckResult run(int cases, long seed) {
        if (cases < 0) {
            throw new IllegalArgumentException("cases=" + cases + " < 0");
        }
        SplittableRandom warm = new SplittableRandom(seed ^ 0xa54f_f53a_5f1d_36f1L);
        for (int i = 0; i < 300; i++) {
            Case c = Case.random(warm);
            TwoLayerNet model = c.net().net();
            Workspace ws = model.workspace(c.net().batch());
            model.lossAndDeltas(c.net().loss(), c.net().data(), ws);
            float[] g = new float[model.trainableCount()];
            new Sum().aggregate(ws, g);
            new Mean().aggregate(ws, g);
            c.strategy().aggregate(ws, g);
        }
        CheckTally tally = new CheckTally();
        SplittableRandom r = new SplittableRandom(seed ^ 0x510e_527f_ade6_82d1L);
        for (int i = 0; i < cases; i++) {
            Case c = Case.random(r);
            c.check(tally, tamper);
        }
        return tally.result(name());
    }

    /** A network case and the aggregation strategy drawn for it: op as in {@link AggregateCheck}, 1..4. */
    private record Case(NetCase net, int op, int param) {
        static Case random(SplittableRandom r) {
            NetCase n = NetCase.random(r, 40, 40, 6, 33);
            int b = n.batch(), op = 1 + r.nextInt(4), param = 0;
            // c >= 1 with 2c < B and groups >= 2: c = 0 and one group are Mean, held to the mean's bound instead.
            if ((op == 2 || op == 3) && b >= 3) {
                param = 1 + r.nextInt((b - 1) / 2);
            } else if (op == 4 && b >= 2) {
                param = 2 + r.nextInt(b - 1);
            } else {
                op = 1;
            }
            return new Case(n, op, param);
        }

        GradientStrategy strategy() {
            return switch (op) {
                case 1 -> new Median();
                case 2 -> new Trim(param);
                case 3 -> new Winsorize(param);
                default -> new MedianOfMeans(param);
            };
        }

        void check(CheckTally tally, Consumer<Workspace> tamper) {
            TwoLayerNet model = net.net();
            Batch batch = net.data();
            Workspace ws = model.workspace(net.batch());
            double loss = model.lossAndDeltas(net.loss(), batch, ws);
            tamper.accept(ws);
            ReferenceTwoLayerNet.Pass ref = new ReferenceTwoLayerNet(model).pass(net.loss(), batch, true);
            int p = model.trainableCount();
            tally.add(worst(ws.outputs(), ref.z2, ref.z2Bound), () -> "outputs Z2 of " + net);
            tally.add(ErrorRatio.of(loss, ref.loss, ref.lossBound), () -> "mean loss of " + net);
            tally.add(Math.max(worst(ws.outputDeltas(), ref.delta2, ref.delta2Bound),
                    worst(ws.hiddenDeltas(), ref.delta1, ref.delta1Bound)), () -> "deltas of " + net);
            double[] refSum = new double[p];
            for (double[] gi : ref.perExample) {
                for (int q = 0; q < p; q++) {
                    refSum[q] += gi[q];
                }
            }
            float[] sum = new float[p], mean = new float[p];
            new Sum().aggregate(ws, sum);
            new Mean().aggregate(ws, mean);
            tally.add(Math.max(worst(sum, refSum, ref.sumGradientBound),
                    worst(mean, ref.meanGradient, ref.meanGradientBound)), () -> "sum and mean gradient of " + net);
            tally.add(strategyRatio(ws, p), () -> OPS[op] + (op >= 2 ? "(" + param + ")" : "") + " of " + net);
        }

        /** The strategy on every layer against {@link ReferenceAggregate} on the layer's materialized gradients. */
        double strategyRatio(Workspace ws, int p) {
            float[] got = new float[p];
            strategy().aggregate(ws, got);
            double worst = 0;
            int b = ws.batchSize();
            for (int l = 0; l < ws.layerCount(); l++) {
                DenseLayerBatch layer = ws.layer(l);
                int cols = layer.parameterCount(), w = layer.out() * layer.in();
                float[] g = new float[b * cols];
                PerExample.gradients(b, layer.out(), layer.in(), layer.delta(), 0, layer.deltaStride(),
                        layer.input(), layer.inputOffset(), layer.inputStride(), layer.hasBias(), 0, cols, g, 0, cols);
                float[] mine = new float[cols];
                for (int q = 0; q < cols; q++) {
                    mine[q] = got[q < w ? layer.weightOffset() + q : layer.biasOffset() + q - w];
                }
                worst = Math.max(worst, AggregateCheck.ratioAgainstReference(op, g, b, cols, cols, param, mine));
            }
            return worst;
        }
    }

    /** The worst ratio of a float result against a double reference with its computation's bound. */
    private static double worst(float[] got, double[] expected, double[] bound) {
        double worst = 0;
        for (int i = 0; i < expected.length; i++) {
            worst = Math.max(worst, ErrorRatio.of(got[i], expected[i],
                    ErrorBounds.ofFloatResult(bound[i], expected[i])));
        }
        return worst;
    }
}
