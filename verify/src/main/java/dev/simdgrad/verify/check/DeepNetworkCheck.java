package dev.simdgrad.verify.check;

import dev.simdgrad.kernels.PerExample;
import dev.simdgrad.nn.Activation;
import dev.simdgrad.nn.Architecture;
import dev.simdgrad.nn.DenseLayerBatch;
import dev.simdgrad.nn.DenseNetwork;
import dev.simdgrad.nn.Loss;
import dev.simdgrad.nn.Parametrization;
import dev.simdgrad.nn.SoftmaxCrossEntropy;
import dev.simdgrad.nn.SquaredLoss;
import dev.simdgrad.nn.Workspace;
import dev.simdgrad.nn.data.Batch;
import dev.simdgrad.nn.data.Dataset;
import dev.simdgrad.nn.strategy.GradientStrategy;
import dev.simdgrad.nn.strategy.Mean;
import dev.simdgrad.nn.strategy.Median;
import dev.simdgrad.nn.strategy.MedianOfMeans;
import dev.simdgrad.nn.strategy.Sum;
import dev.simdgrad.nn.strategy.Trim;
import dev.simdgrad.nn.strategy.Winsorize;
import dev.simdgrad.verify.ErrorBounds;
import dev.simdgrad.verify.ReferenceDenseNetwork;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * Checks the float kernel path of a three-layer {@link DenseNetwork} (two hidden layers) against the all-double
 * {@link ReferenceDenseNetwork}: the outputs, the mean loss, the deltas of every trainable layer, the gradient (the
 * {@link Sum} and {@link Mean} strategies) and one order-statistic strategy (median, trimmed, winsorized or median of
 * means, fused from the per-example deltas). Random networks: input and hidden widths up to 40 and B up to 33, each
 * next to a vector width's edge (1, 4, 8, 16, 32 ± 1) a quarter of the time, k up to 6; each hidden layer's
 * activation drawn from all of them (identity included), biases and a frozen layer (never all three) drawn per
 * layer, standard or NTK parametrization, cross-entropy or squared loss. Five tallied comparisons per case.
 *
 * <p>Bounds: those {@link ReferenceDenseNetwork.Pass} derives layer by layer (the two-layer bounds of the
 * {@code network} check, propagated through one more layer), plus half an ulp per float result; the strategies
 * against the reference aggregation of each layer's materialized per-example gradients with the bounds of the
 * {@code aggregate} check.
 *
 * <p>C2: 200 forward/backward passes with Sum, Mean and the order-statistic strategies run before the cases.
 */
public final class DeepNetworkCheck implements KernelCheck {
    private static final int[] EDGES = {1, 1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 32, 33};
    private static final String[] OPS = {"mean", "median", "trimmed", "winsorized", "median-of-means"};

    private final Consumer<Workspace> tamper;

    /** Checks three-layer networks. */
    public DeepNetworkCheck() {
        this(ws -> { });
    }

    /** A check that hands the workspace to {@code tamper} right after the backward pass (tests break it there). */
    DeepNetworkCheck(Consumer<Workspace> tamper) {
        this.tamper = tamper;
    }

    @Override
    public String name() {
        return "deep-network";
    }

    @Override
    public CheckResult run(int cases, long seed) {
        if (cases < 0) {
            throw new IllegalArgumentException("cases=" + cases + " < 0");
        }
        SplittableRandom warm = new SplittableRandom(seed ^ 0x1f83_d9ab_fb41_bd6bL);
        for (int i = 0; i < 200; i++) {
            Case c = Case.random(warm);
            Workspace ws = c.net.workspace(c.batch.size());
            c.net.lossAndDeltas(c.loss, c.batch, ws);
            float[] g = new float[c.net.trainableCount()];
            new Sum().aggregate(ws, g);
            new Mean().aggregate(ws, g);
            c.strategy.strategy().aggregate(ws, g);
        }
        CheckTally tally = new CheckTally();
        SplittableRandom r = new SplittableRandom(seed ^ 0x5be0_cd19_137e_2179L);
        for (int i = 0; i < cases; i++) {
            Case.random(r).check(tally, tamper);
        }
        return tally.result(name());
    }

    private record Case(DenseNetwork net, Batch batch, Loss loss, Choice strategy, String description) {
        static Case random(SplittableRandom r) {
            int d = size(r, 40), m1 = size(r, 40), m2 = size(r, 40), b = size(r, 33);
            int k = r.nextInt(5) == 0 ? 1 : 1 + r.nextInt(6);
            Activation[] acts = Activation.values();
            DenseNetwork.Builder builder = DenseNetwork.builder().widths(d, m1, m2, k)
                    .activation(0, acts[r.nextInt(acts.length)]).activation(1, acts[r.nextInt(acts.length)])
                    .parametrization(r.nextBoolean() ? Parametrization.NTK : Parametrization.STANDARD);
            int frozen = r.nextInt(6);   // layer 0, 1 or 2 frozen half of the time
            for (int l = 0; l < 3; l++) {
                builder.bias(l, r.nextBoolean());
                if (l == frozen) {
                    builder.freeze(l);
                }
            }
            Architecture arch = builder.architecture();
            long seed = r.nextLong();
            DenseNetwork net = DenseNetwork.initialize(arch, seed);
            SplittableRandom noise = new SplittableRandom(seed + 1);
            float[] theta = net.parameters();
            for (int i = 0; i < theta.length; i++) {
                theta[i] += (float) (0.1 * noise.nextGaussian());
            }
            boolean crossEntropy = r.nextBoolean();
            SplittableRandom data = new SplittableRandom(seed + 2);
            float[] x = new float[b * d];
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) data.nextGaussian();
            }
            Batch batch;
            if (crossEntropy) {
                int[] y = new int[b];
                for (int i = 0; i < b; i++) {
                    y[i] = data.nextInt(k);
                }
                batch = Batch.of(Dataset.classification(b, d, x, y, k));
            } else {
                float[] t = new float[b * k];
                for (int i = 0; i < t.length; i++) {
                    t[i] = (float) data.nextGaussian();
                }
                batch = Batch.of(Dataset.regression(b, d, x, t, k));
            }
            Loss loss = crossEntropy ? new SoftmaxCrossEntropy() : new SquaredLoss();
            Choice op = Choice.random(r, b);
            return new Case(net, batch, loss, op, arch + " with " + loss + " over B=" + b + ", seed " + seed);
        }

        private static int size(SplittableRandom r, int max) {
            if (r.nextInt(4) == 0) {
                int e = EDGES[r.nextInt(EDGES.length)];
                if (e <= max) {
                    return e;
                }
            }
            return 1 + r.nextInt(max);
        }

        void check(CheckTally tally, Consumer<Workspace> tamper) {
            Workspace ws = net.workspace(batch.size());
            double l = net.lossAndDeltas(loss, batch, ws);
            tamper.accept(ws);
            ReferenceDenseNetwork.Pass ref = new ReferenceDenseNetwork(net).pass(loss, batch, true);
            int layers = net.layerCount(), p = net.trainableCount();
            tally.add(worst(ws.outputs(), ref.z[layers - 1], ref.zBound[layers - 1]), () -> "outputs of "
                    + description);
            tally.add(ErrorRatio.of(l, ref.loss, ref.lossBound), () -> "mean loss of " + description);
            int lowest = 0;
            while (net.architecture().layer(lowest).frozen()) {
                lowest++;
            }
            double deltas = 0;
            for (int j = lowest; j < layers; j++) {
                deltas = Math.max(deltas, worst(ws.deltas(j), ref.delta[j], ref.deltaBound[j]));
            }
            tally.add(deltas, () -> "deltas of " + description);
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
                    worst(mean, ref.meanGradient, ref.meanGradientBound)), () -> "sum and mean gradient of "
                    + description);
            tally.add(strategyRatio(ws, p), () -> strategy + " of " + description);
        }

        /** The strategy on every layer against the reference aggregation of the layer's materialized gradients. */
        double strategyRatio(Workspace ws, int p) {
            float[] got = new float[p];
            strategy.strategy().aggregate(ws, got);
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
                worst = Math.max(worst, AggregateCheck.ratioAgainstReference(strategy.op(), g, b, cols, cols,
                        strategy.param(), mine));
            }
            return worst;
        }
    }

    /** An order-statistic strategy, op as in {@link AggregateCheck} (1 median .. 4 median of means). */
    private record Choice(int op, int param) {
        static Choice random(SplittableRandom r, int b) {
            int op = 1 + r.nextInt(4), param = 0;
            // c >= 1 with 2c < B and groups >= 2: c = 0 and one group are Mean, held to the mean's bound instead.
            if ((op == 2 || op == 3) && b >= 3) {
                param = 1 + r.nextInt((b - 1) / 2);
            } else if (op == 4 && b >= 2) {
                param = 2 + r.nextInt(b - 1);
            } else {
                op = 1;
            }
            return new Choice(op, param);
        }

        GradientStrategy strategy() {
            return switch (op) {
                case 1 -> new Median();
                case 2 -> new Trim(param);
                case 3 -> new Winsorize(param);
                default -> new MedianOfMeans(param);
            };
        }

        @Override
        public String toString() {
            return OPS[op] + (op >= 2 ? "(" + param + ")" : "");
        }
    }

    private static double worst(float[] got, double[] expected, double[] bound) {
        double worst = 0;
        for (int i = 0; i < expected.length; i++) {
            worst = Math.max(worst, ErrorRatio.of(got[i], expected[i],
                    ErrorBounds.ofFloatResult(bound[i], expected[i])));
        }
        return worst;
    }
}
