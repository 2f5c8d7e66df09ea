package dev.simdgrad.experiments.minnorm;

import dev.simdgrad.experiments.*;
import dev.simdgrad.nn.Activation;
import dev.simdgrad.nn.NetSpec;
import dev.simdgrad.nn.SquaredLoss;
import dev.simdgrad.nn.TwoLayerNet;
import dev.simdgrad.nn.data.BinarySubset;
import dev.simdgrad.nn.data.Dataset;
import dev.simdgrad.nn.data.FashionMnist;
import dev.simdgrad.nn.data.LabelCorruption;
import dev.simdgrad.nn.metrics.Cholesky;
import dev.simdgrad.nn.metrics.Evaluator;
import dev.simdgrad.nn.metrics.MinNormSolution;
import dev.simdgrad.nn.metrics.Norms;
import dev.simdgrad.nn.metrics.NtkGram;
import dev.simdgrad.nn.optim.LossGradient;
import dev.simdgrad.nn.optim.Sgd;
import dev.simdgrad.nn.optim.Trainer;
import dev.simdgrad.nn.optim.TrainingDivergedException;
import dev.simdgrad.nn.strategy.Mean;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * Satpathi &amp; Srikant (2021), with the bound of Arora et al. (2019): full-batch gradient descent on a
 * one-hidden-layer ReLU network f(x) = (1/√m) Σ a_r σ(w_rᵀx) in the NTK parametrization, symmetric initialization
 * (f(x; W₀) = 0) and frozen output layer, squared loss, on a binary Fashion-MNIST task with ±1 labels and unit-norm
 * inputs. Two parts:
 * <ol>
 *   <li>Against the width m: ‖W_T - W*‖ / ‖W* - W₀‖, where W* = W₀ + Jᵀ H⁻¹ y is the minimum-norm zero-error
 *       solution of the network linearized at W₀ (should fall as m grows), and ‖W_T - W₀‖ against √(yᵀH⁻¹y).</li>
 *   <li>Against label noise p (labels permuted among a fraction p of the examples): the test error of the trained
 *       network against the bound √(2 yᵀH∞⁻¹y / n), with H∞ the infinite-width ReLU kernel.</li>
 * </ol>
 * Inputs are centred (the training mean subtracted) before they are scaled to unit norm: the theory only needs
 * ‖x‖ = 1, and without centring every pair of images has a large positive inner product, which makes H about five
 * times worse conditioned and GD correspondingly slower to reach W*. Since GD runs a finite number of steps T, the
 * result also reports the ratio that gradient descent on the linearized infinite-width model reaches in the same T
 * steps: the part of the distance due to stopping early rather than to finite width.
 */
public final class MinNorm {

    /**
     * What to run.
     *
     * @param data       IDX directory, or null for the embedded subset
     * @param trainSize  n, training examples of the two classes (the first ones)
     * @param positive   class with label +1
     * @param negative   class with label -1
     * @param widths     hidden widths m for part 1
     * @param steps      gradient-descent steps T
     * @param noiseWidth width of the networks of part 2
     * @param noises     label-noise fractions of part 2
     * @param seed       seed of the initialization and the noise
     */
    public record Config(Path data, int trainSize, int positive, int negative, List<Integer> widths, int steps,
                  int noiseWidth, List<Double> noises, long seed) {

        /**
         * The default: n = 1,000, widths up to 2,048 and T = 500 steps, about two minutes on 2 cores (the cost is
         * 4·n·d·m flops per step, so 16,384 is left to --full).
         */
        public static Config small(Path data, long seed) {
            return new Config(data, 1000, 9, 0, List.of(256, 512, 1024, 2048), 500, 256,
                    List.of(0.0, 0.25, 0.5, 0.75, 1.0), seed);
        }

        /** The papers' widths up to 16,384, n = 2,000, T = 2,000 and noise 0 to 1 in steps of 0.1. */
        public static Config full(Path data, long seed) {
            return new Config(data, 2000, 9, 0, List.of(256, 1024, 4096, 16384), 2000, 4096,
                    List.of(0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0), seed);
        }
    }

    /**
     * Part 1, one width.
     *
     * @param width             m
     * @param relativeDistance  ‖W_T - W*‖ / ‖W* - W₀‖
     * @param distance          ‖W_T - W₀‖
     * @param predictedDistance √(yᵀH⁻¹y) with H the Gram matrix at W₀ of this width (NaN, as is the relative
     *                          distance, when that H is singular)
     * @param trainLoss         final training loss (mean of ½ r²)
     * @param testError         test error (sign disagreement)
     * @param seconds           wall time of the training
     */
    /** What {@link #run} reports as it goes: a width's result, a noise level's result, or a diverged run. */
    public sealed interface Row permits WidthRow, NoiseRow, Diverged {
    }

    /**
     * A run that diverged and is left out of the claims.
     *
     * @param what which run and where ("m=512: step 40: the loss")
     */
    public record Diverged(String what) implements Row {
    }

    public record WidthRow(int width, double relativeDistance, double distance, double predictedDistance, double trainLoss,
                    double testError, double seconds) implements Row {
    }

    /**
     * Part 2, one noise level.
     *
     * @param noise      p
     * @param trainError training error against the noisy labels
     * @param trainLoss  final training loss
     * @param testError  test error against the clean test labels
     * @param bound      √(2 yᵀH∞⁻¹y / n)
     */
    public record NoiseRow(double noise, double trainError, double trainLoss, double testError, double bound) implements Row {
    }

    /**
     * The outcome.
     *
     * @param config       what ran
     * @param source       data description
     * @param n            training examples
     * @param testSize     test examples
     * @param learningRate η, {@link #STEP_FRACTION} of the stability limit 2n / λ_max(H∞) of the linearized dynamics
     * @param linearFloor  ‖W_T - W*‖ / ‖W* - W₀‖ of GD on the linearized m → ∞ model after the same T steps
     * @param linearDistance ‖W_T - W₀‖ of that linearized GD after T steps (√(yᵀH⁻¹y) is its limit as T → ∞)
     * @param widths       part 1
     * @param noise        part 2
     * @param claims       the papers' claims against our measurements
     * @param diverged     the runs whose gradient descent diverged ("m=2048: step 37, the loss"): they have no row
     *                     and take no part in the claims
     */
    public record Result(Config config, String source, int n, int testSize, double learningRate, double linearFloor,
                  double linearDistance, List<WidthRow> widths, List<NoiseRow> noise, List<Claim> claims,
                  List<String> diverged) {
    }

    /** η as a fraction of the stability limit 2n/λ_max(H∞) of GD on the linearized model. */
    public static final double STEP_FRACTION = 0.75;

    private MinNorm() {
    }

    /** Progress units: one per GD step at width m counts m/256 (the cost grows linearly with m). */
    public static long work(Config c) {
        long w = 0;
        for (int m : c.widths()) {
            w += (long) c.steps() * Math.max(1, m / 256);
        }
        return w + (long) c.steps() * Math.max(1, c.noiseWidth() / 256) * c.noises().size();
    }

    /**
     * Runs both parts; {@code onRow} sees each {@link WidthRow} and {@link NoiseRow} as it is measured.
     *
     * @throws IOException if the data cannot be loaded
     */
    public static Result run(Config config, ProgressSink progress, Consumer<Row> onRow) throws IOException {
        FashionMnist.Split split = DataSource.load(config.data(), Integer.MAX_VALUE, Integer.MAX_VALUE);
        Dataset trainAll = BinarySubset.of(split.train(), config.positive(), config.negative());
        Dataset train = trainAll.head(config.trainSize());
        Dataset test = BinarySubset.of(split.test(), config.positive(), config.negative());
        float[] mean = mean(train);
        train = centredUnit(train, mean);
        test = centredUnit(test, mean);
        int n = train.size();

        double[] hInf = NtkGram.reluInfinite(train);
        double lambdaMax = largestEigenvalue(hInf, n);
        // r ← (I - (η/n) H) r is stable for η < 2n/λ_max; finite-width H fluctuates around H∞, hence a margin.
        double eta = STEP_FRACTION * 2 * n / lambdaMax;
        Cholesky hInfChol = Cholesky.factor(hInf, n);
        double[] linear = linearizedGd(hInf, hInfChol, targets(train), eta / n, config.steps());

        List<WidthRow> widths = new ArrayList<>();
        List<String> diverged = new ArrayList<>();
        for (int m : config.widths()) {
            progress.note("m=" + m);
            long t0 = System.nanoTime();
            TwoLayerNet net = TwoLayerNet.initialize(NetSpec.ntk(train.features(), m, 1, Activation.RELU),
                    config.seed());
            float[] theta0 = net.parameters().clone();
            MinNormSolution star;
            try {
                star = MinNormSolution.compute(net, train);
            } catch (IllegalArgumentException singular) {
                // At a small width H can be singular (an example that activates no unit has a zero row): then
                // there is no W*, and the row says so with NaN rather than ending the experiment.
                star = null;
            }
            String d = gradientDescent(net, train, eta, config.steps(), config.seed(), progress, Math.max(1, m / 256));
            if (d != null) {
                diverged.add("m=" + m + ": " + d);
                onRow.accept(new Diverged("m=" + m + ": " + d));
                continue;
            }
            Evaluator ev = new Evaluator(new SquaredLoss(), 1000);
            var trainEval = ev.evaluate(net, train);
            WidthRow row = new WidthRow(m, star == null ? Double.NaN : star.relativeDistance(net, theta0),
                    Norms.distanceFromInit(net, theta0), star == null ? Double.NaN : star.predictedDistance(),
                    trainEval.loss(), 1 - ev.evaluate(net, test).accuracy(), (System.nanoTime() - t0) / 1e9);
            widths.add(row);
            onRow.accept(row);
        }

        List<NoiseRow> noise = new ArrayList<>();
        for (double p : config.noises()) {
            progress.note(String.format(Locale.ROOT, "p=%.2f", p));
            Dataset noisy = withLabelTargets(LabelCorruption.apply(train, p, config.seed()).data());
            double[] y = targets(noisy);
            double[] alpha = hInfChol.solve(y);
            double yhy = 0;
            for (int i = 0; i < n; i++) {
                yhy += y[i] * alpha[i];
            }
            TwoLayerNet net = TwoLayerNet.initialize(NetSpec.ntk(train.features(), config.noiseWidth(), 1,
                    Activation.RELU), config.seed());
            String d = gradientDescent(net, noisy, eta, config.steps(), config.seed(), progress,
                    Math.max(1, config.noiseWidth() / 256));
            if (d != null) {
                String what = String.format(Locale.ROOT, "p=%.2f: %s", p, d);
                diverged.add(what);
                onRow.accept(new Diverged(what));
                continue;
            }
            Evaluator ev = new Evaluator(new SquaredLoss(), 1000);
            var tr = ev.evaluate(net, noisy);
            NoiseRow row = new NoiseRow(p, 1 - tr.accuracy(), tr.loss(), 1 - ev.evaluate(net, test).accuracy(),
                    Math.sqrt(2 * yhy / n));
            noise.add(row);
            onRow.accept(row);
        }
        String source = String.format(Locale.ROOT, "%s, classes %d (+1) vs %d (-1)", split.source(),
                config.positive(), config.negative());
        return new Result(config, source, n, test.size(), eta, linear[0], linear[1], widths, noise,
                claims(widths, noise, linear[0], linear[1]), diverged);
    }

    /** The papers' claims, judged on the measured rows. */
    public static List<Claim> claims(List<WidthRow> widths, List<NoiseRow> noise, double floor, double linearDistance) {
        List<Claim> claims = new ArrayList<>();
        if (widths.size() >= 2) {
            StringBuilder m = new StringBuilder();
            boolean falls = true;
            for (int i = 0; i < widths.size(); i++) {
                m.append(String.format(Locale.ROOT, "%sm=%d: %.3f", i == 0 ? "" : ", ", widths.get(i).width(),
                        widths.get(i).relativeDistance()));
                falls &= i == 0 || widths.get(i).relativeDistance() < widths.get(i - 1).relativeDistance();
            }
            m.append(String.format(Locale.ROOT, " (linearized GD, same T: %.3f)", floor));
            claims.add(Claim.judged("GD ends close to the min-norm linearized solution: ||W_T - W*|| / ||W* - W0||"
                    + " falls as m grows", m.toString(), falls));
            // Arora et al. (2019, Theorem 5.1) bound the distance travelled by √(yᵀH⁻¹y) (plus terms that vanish as
            // m grows); equality is the limit T → ∞, where GD reaches the min-norm solution. After finitely many
            // steps the distance is below it, by what GD on the linearized model also falls short after T steps.
            StringBuilder d = new StringBuilder();
            boolean bounded = true;
            for (int i = 0; i < widths.size(); i++) {
                WidthRow w = widths.get(i);
                d.append(String.format(Locale.ROOT, "%sm=%d: %.3f <= %.3f", i == 0 ? "" : ", ", w.width(),
                        w.distance(), w.predictedDistance()));
                // A singular H (NaN) has no right-hand side: that row is shown and not judged.
                bounded &= Double.isNaN(w.predictedDistance()) || w.distance() <= w.predictedDistance();
            }
            d.append(String.format(Locale.ROOT, " (GD on the linearized m -> inf model after the same T: %.3f)",
                    linearDistance));
            claims.add(Claim.judged("||W_T - W0|| <= sqrt(y^T H^-1 y) (Arora et al. Thm 5.1; equality as T -> inf)",
                    d.toString(), bounded));
        }
        if (!noise.isEmpty()) {
            StringBuilder m = new StringBuilder();
            boolean below = true, grows = true, slower = true;
            for (int i = 0; i < noise.size(); i++) {
                NoiseRow r = noise.get(i);
                m.append(String.format(Locale.ROOT, "%sp=%.2f: %.3f <= %.3f", i == 0 ? "" : ", ", r.noise(),
                        r.testError(), r.bound()));
                below &= r.testError() <= r.bound();
                grows &= i == 0 || r.bound() > noise.get(i - 1).bound();
                slower &= i == 0 || r.trainLoss() >= noise.get(i - 1).trainLoss();
            }
            claims.add(Claim.judged("test error <= sqrt(2 y^T Hinf^-1 y / n) at every noise level", m.toString(),
                    below));
            claims.add(Claim.judged("the bound grows with label noise (random labels load small eigenvalues)",
                    noise.stream().map(r -> String.format(Locale.ROOT, "%.3f", r.bound())).toList().toString(),
                    grows));
            claims.add(Claim.judged("noisier labels train slower (higher loss after the same T steps)",
                    noise.stream().map(r -> String.format(Locale.ROOT, "%.4f", r.trainLoss())).toList().toString(),
                    slower));
        }
        return claims;
    }

    /** T full-batch steps of plain GD on the mean squared loss; null, or where it diverged. */
    private static String gradientDescent(TwoLayerNet net, Dataset data, double eta, int steps, long seed,
                                          ProgressSink progress, int unitsPerStep) {
        Trainer trainer = new Trainer(net, new LossGradient(new SquaredLoss(), new Mean()), Sgd.plain(eta),
                data.size(), seed);
        for (int t = 0; t < steps; t++) {
            try {
                trainer.epoch(data);
            } catch (TrainingDivergedException d) {
                // Full batch: the trainer's epoch is one GD step.
                return "diverged at GD step " + d.epoch() + " (" + d.what() + " not finite)";
            }
            progress.step(unitsPerStep);
        }
        return null;
    }

    /**
     * Gradient descent on the linearized model (W - W₀ = Jᵀβ) with kernel H: β_{t+1} = β_t + h (y - H β_t), β_0 = 0,
     * step h = η/n, for T steps; distances in the norm ‖Jᵀv‖ = √(vᵀHv). Returns {‖β_T - α‖_H / ‖α‖_H, ‖β_T‖_H}
     * with α = H⁻¹y: the relative distance to the min-norm solution and the distance from initialization reached.
     */
    public static double[] linearizedGd(double[] h, Cholesky chol, double[] y, double step, int steps) {
        int n = y.length;
        double[] alpha = chol.solve(y);
        double[] beta = new double[n], hb = new double[n];
        for (int t = 0; t < steps; t++) {
            multiply(h, beta, hb, n);
            for (int i = 0; i < n; i++) {
                beta[i] += step * (y[i] - hb[i]);
            }
        }
        double[] e = new double[n];
        for (int i = 0; i < n; i++) {
            e[i] = beta[i] - alpha[i];
        }
        return new double[] {Math.sqrt(quadratic(h, e, n) / quadratic(h, alpha, n)), Math.sqrt(quadratic(h, beta, n))};
    }

    /** λ_max of a symmetric positive semi-definite matrix by power iteration (200 steps, from the ones vector). */
    public static double largestEigenvalue(double[] h, int n) {
        double[] v = new double[n], w = new double[n];
        java.util.Arrays.fill(v, 1 / Math.sqrt(n));
        double lambda = 0;
        for (int it = 0; it < 200; it++) {
            multiply(h, v, w, n);
            double norm = 0;
            for (double x : w) {
                norm += x * x;
            }
            norm = Math.sqrt(norm);
            lambda = norm;
            for (int i = 0; i < n; i++) {
                v[i] = w[i] / norm;
            }
        }
        return lambda;
    }

    private static void multiply(double[] h, double[] v, double[] out, int n) {
        for (int i = 0; i < n; i++) {
            double s = 0;
            for (int j = 0; j < n; j++) {
                s += h[i * n + j] * v[j];
            }
            out[i] = s;
        }
    }

    private static double quadratic(double[] h, double[] v, int n) {
        double s = 0;
        for (int i = 0; i < n; i++) {
            double r = 0;
            for (int j = 0; j < n; j++) {
                r += h[i * n + j] * v[j];
            }
            s += v[i] * r;
        }
        return s;
    }

    private static double[] targets(Dataset d) {
        double[] y = new double[d.size()];
        for (int i = 0; i < y.length; i++) {
            y[i] = d.target(i, 0);
        }
        return y;
    }

    /** The ±1 targets recomputed from the (possibly corrupted) 0/1 labels. */
    private static Dataset withLabelTargets(Dataset d) {
        float[] t = new float[d.size()];
        for (int i = 0; i < t.length; i++) {
            t[i] = d.label(i) == 1 ? 1f : -1f;
        }
        return d.withTargets(t, 1);
    }

    private static float[] mean(Dataset d) {
        int n = d.size(), f = d.features();
        double[] s = new double[f];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < f; j++) {
                s[j] += d.x(i, j);
            }
        }
        float[] m = new float[f];
        for (int j = 0; j < f; j++) {
            m[j] = (float) (s[j] / n);
        }
        return m;
    }

    /** x - mean, then scaled to unit norm; labels and targets kept. */
    private static Dataset centredUnit(Dataset d, float[] mean) {
        int n = d.size(), f = d.features();
        float[] x = d.inputs();
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < f; j++) {
                x[i * f + j] -= mean[j];
            }
        }
        return Dataset.classification(n, f, x, d.labels(), d.classes()).withTargets(d.targets(), 1).unitNormalized();
    }
}
