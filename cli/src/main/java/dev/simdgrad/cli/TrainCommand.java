package dev.simdgrad.cli;

import dev.simdgrad.experiments.TrainingRun;
import dev.simdgrad.experiments.Regularizer;
import dev.simdgrad.experiments.StrategyFactory;
import dev.simdgrad.kernels.Parallelism;
import dev.simdgrad.nn.Activation;
import dev.simdgrad.nn.DenseNetwork;
import dev.simdgrad.nn.Init;
import dev.simdgrad.nn.Loss;
import dev.simdgrad.nn.NetSpec;
import dev.simdgrad.nn.Parametrization;
import dev.simdgrad.nn.SoftmaxCrossEntropy;
import dev.simdgrad.nn.SquaredLoss;
import dev.simdgrad.nn.TwoLayerNet;
import dev.simdgrad.nn.data.FashionMnist;
import dev.simdgrad.nn.data.LabelCorruption;
import dev.simdgrad.nn.io.ModelFile;
import dev.simdgrad.nn.optim.Objective;
import dev.simdgrad.nn.optim.Schedule;
import dev.simdgrad.nn.optim.Sgd;
import dev.simdgrad.nn.strategy.GradientStrategy;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code simdgrad train}: trains a dense network of any depth on Fashion-MNIST or MNIST (the embedded subsets unless
 * {@code --data} names a directory of IDX or NPY files) with any model, loss, strategy, optimizer and regularizer of the nn module, prints a line per
 * epoch, and writes the per-epoch metrics as CSV and JSON and accuracy/loss charts as PNG into {@code --out}.
 */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Train a dense network (two-layer by default; --hidden 512,512 for deeper ones) on"
            + " Fashion-MNIST or MNIST (embedded 5000 + 1000 subsets) or on --data (IDX or NPY), and write metrics"
            + " (CSV, JSON) and charts (PNG) into --out."})
final class TrainCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Option(names = "--hidden", defaultValue = "256", split = ",", paramLabel = "M[,M...]", description = "Hidden"
            + " widths, one per hidden layer: 256 is the two-layer network 784-256-10, 512,512 the three-layer"
            + " 784-512-512-10 (default: ${DEFAULT-VALUE}).")
    private List<Integer> hidden;

    @Option(names = "--activation", defaultValue = "relu", paramLabel = "NAME",
            description = "relu, tanh, softplus or gelu (default: ${DEFAULT-VALUE}).")
    private String activation;

    @Option(names = "--parametrization", defaultValue = "standard", paramLabel = "NAME",
            description = "standard (He/Xavier init) or ntk (1/sqrt(m) output scale, N(0,1) and +-1 init)"
                    + " (default: ${DEFAULT-VALUE}).")
    private String parametrization;

    @Option(names = "--no-bias", description = "No biases in either layer.")
    private boolean noBias;

    @Option(names = "--freeze-output", description = "Train only the first layer (output weights fixed at init).")
    private boolean freezeOutput;

    @Option(names = "--symmetric-init", description = "Hidden units in pairs with opposite output weights, so the"
            + " network starts at f = 0 (needs an even --hidden).")
    private boolean symmetric;

    @Option(names = "--loss", defaultValue = "cross-entropy", paramLabel = "NAME",
            description = "cross-entropy or squared (on one-hot labels) (default: ${DEFAULT-VALUE}).")
    private String loss;

    @Option(names = "--strategy", defaultValue = "mean", paramLabel = "NAME",
            description = "How per-example gradients become a step: " + StrategyFactory.NAMES
                    + " (default: ${DEFAULT-VALUE}).")
    private String strategy;

    @Option(names = "--lr", defaultValue = "0.1", paramLabel = "RATE", description = "Learning rate (default:"
            + " ${DEFAULT-VALUE}).")
    private double lr;

    @Option(names = "--momentum", defaultValue = "0", paramLabel = "MU", description = "Heavy-ball momentum in"
            + " [0, 1) (default: ${DEFAULT-VALUE}).")
    private float momentum;

    @Option(names = "--nesterov", description = "Nesterov momentum (needs --momentum > 0).")
    private boolean nesterov;

    @Option(names = "--weight-decay", defaultValue = "0", paramLabel = "LAMBDA", description = "L2 weight decay"
            + " (default: ${DEFAULT-VALUE}).")
    private float weightDecay;

    @Option(names = "--schedule", defaultValue = "constant", paramLabel = "SPEC",
            description = "constant, step:FACTOR:EVERY_EPOCHS or cosine[:MIN_RATE] (default: ${DEFAULT-VALUE}).")
    private String schedule;

    @Option(names = "--regularizer", defaultValue = "none", paramLabel = "NAME",
            description = "none, fgr, bgr, db (gradient regularization, --gamma, --epsilon), sam (--rho) or"
                    + " flooding (--flood) (default: ${DEFAULT-VALUE}).")
    private String regularizer;

    @Option(names = "--gamma", defaultValue = "0.05", paramLabel = "G", description = "GR weight gamma (default:"
            + " ${DEFAULT-VALUE}).")
    private float gamma;

    @Option(names = "--epsilon", defaultValue = "0.05", paramLabel = "E", description = "F-GR/B-GR step epsilon"
            + " (default: ${DEFAULT-VALUE}).")
    private float epsilon;

    @Option(names = "--rho", defaultValue = "0.05", paramLabel = "R", description = "SAM radius (default:"
            + " ${DEFAULT-VALUE}).")
    private float rho;

    @Option(names = "--flood", defaultValue = "0.1", paramLabel = "B", description = "Flooding level (default:"
            + " ${DEFAULT-VALUE}).")
    private double flood;

    @Mixin
    private DataOptions dataOptions;

    @Option(names = "--noise", defaultValue = "0", paramLabel = "P", description = "Fraction of training labels"
            + " permuted among themselves (default: ${DEFAULT-VALUE}).")
    private double noise;

    @Option(names = "--epochs", defaultValue = "10", paramLabel = "N", description = "Epochs (default:"
            + " ${DEFAULT-VALUE}).")
    private int epochs;

    @Option(names = "--batch", defaultValue = "100", paramLabel = "B", description = "Minibatch size (default:"
            + " ${DEFAULT-VALUE}).")
    private int batch;

    @Option(names = "--drop-last", description = "Skip each epoch's last partial batch (always on for winsorize,"
            + " trim and mom, which need whole batches).")
    private boolean dropLast;

    @Option(names = "--seed", defaultValue = "1", paramLabel = "S", description = "Seed of init, noise and batch"
            + " order (default: ${DEFAULT-VALUE}).")
    private long seed;

    @Option(names = "--threads", paramLabel = "N", description = "Kernel threads (default: available processors;"
            + " results are the same for any number).")
    private Integer threads;

    @Option(names = "--out", defaultValue = "simdgrad-results/train", paramLabel = "DIR",
            description = "Where metrics.csv, metrics.json and the charts go (default: ${DEFAULT-VALUE}).")
    private Path out;

    @Option(names = "--save", paramLabel = "MODEL", description = "Save the trained model to this file.")
    private Path save;

    @Option(names = "--save-diverged", description = "With --save: save the model even if training diverged"
            + " (its parameters may be NaN or infinite).")
    private boolean saveDiverged;

    /** Exit code of a run that stopped because training diverged (a non-finite loss or parameter). */
    static final int EXIT_DIVERGED = 3;

    @Override
    public Integer call() throws IOException {
        PrintWriter o = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        // Everything that can be refused is refused before any work: options alone and together, then the output
        // locations, then the data and what depends on its size.
        Setup s = setup();
        OutputLocations.directory(spec, "--out", out);
        if (save != null) {
            OutputLocations.file(spec, "--save", save, false);
        }
        if (threads != null) {
            Parallelism.setThreads(threads);
        }
        FashionMnist.Split split = dataOptions.load(spec);
        LabelCorruption train = LabelCorruption.apply(split.train(), noise, seed);
        if (dataOptions.binary()) {
            // The squared loss reads the ±1 targets: they follow the (possibly corrupted) labels.
            train = new LabelCorruption(DataOptions.withLabelTargets(train.data()), train.corrupted());
        }
        boolean drop = dropLast || s.strategy().needsWholeBatches();
        int stepsPerEpoch = TrainingRun.stepsPerEpoch(train.data().size(), batch, drop);
        Sgd sgd;
        try {
            // With B >= n every step is one full batch of n examples; otherwise every batch the strategy sees has
            // B examples (a smaller last batch is dropped for the strategies that need whole batches).
            int effectiveBatch = Math.min(batch, train.data().size());
            s.strategy().checkBatchSize(effectiveBatch);
            sgd = new Sgd(parseSchedule(stepsPerEpoch, epochs), momentum, nesterov, weightDecay);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), (e.getMessage().startsWith("--") ? ""
                    : "--strategy " + strategy + " with --batch " + batch + " and " + train.data().size()
                    + " training examples: ") + e.getMessage());
        }
        DenseNetwork net = network(s, split.train().features(), outputs(split));
        Objective objective = s.objective();
        o.printf(Locale.ROOT, "Data: %s (%d train, %d test), label noise %.2f (%d corrupted)%n", split.source(),
                train.data().size(), split.test().size(), noise, train.corruptedCount());
        o.printf(Locale.ROOT, "Model: %s, loss %s, strategy %s, objective %s, lr %s, batch %d, %d epochs, seed %d,"
                + " %d threads%n", net, loss, s.strategy(), objective, lr, batch, epochs, seed, Parallelism.threads());
        o.flush();
        TrainingRun.Outcome run;
        try (Progress p = Progress.start("train", (long) stepsPerEpoch * epochs)) {
            run = TrainingRun.run(net, s.loss(), objective, sgd, batch, drop, epochs, train, split.test(), seed, p,
                    e -> {
                        o.println(p.lineStart() + epochLine(e, epochs, noise > 0));
                        o.flush();
                    });
        }
        Map<String, Object> config = config(net, split, train, s, drop);
        if (run.hasDiverged()) {
            config.put("diverged", run.diverged().getMessage());
        }
        List<Path> files = new ArrayList<>(TrainReport.write(out, config, run.epochs()));
        if (save != null && (!run.hasDiverged() || saveDiverged)) {
            ModelFile.save(net, save);
            files.add(save);
        }
        for (Path f : files) {
            o.println("Wrote " + f.toAbsolutePath());
        }
        o.flush();
        if (run.hasDiverged()) {
            var d = run.diverged();
            err.printf(Locale.ROOT, "simdgrad train: diverged at epoch %d, step %d (%s is not finite); last finite loss"
                    + " %s; metrics of the %d completed epochs kept in %s; %s%n", d.epoch(), d.step(), d.what(),
                    d.lastFiniteLoss(),
                    run.epochs().size(), out, save == null ? "no model to save"
                    : saveDiverged ? "model saved anyway (--save-diverged)" : "no model saved (--save-diverged"
                    + " keeps it)");
            err.flush();
            return EXIT_DIVERGED;
        }
        return 0;
    }

    /** The line printed after an epoch; the clean/corrupted split only when there is label noise. */
    static String epochLine(TrainingRun.Epoch e, int epochs, boolean noisy) {
        String corrupt = noisy ? String.format(Locale.ROOT, " (clean %.3f, corrupted %.3f)", e.cleanAccuracy(),
                e.corruptedAccuracy()) : "";
        return String.format(Locale.ROOT, "epoch %d/%d  loss %.4f  train acc %.3f%s  test acc %.3f  m-coherence"
                + " %.2f  |θ-θ0| %.3f  %.1fs", e.epoch(), epochs, e.trainLoss(), e.trainAccuracy(), corrupt,
                e.testAccuracy(), e.mCoherence(), e.distanceFromInit(), e.seconds());
    }

    /**
     * The network: one hidden width is the two-layer network (the {@link TwoLayerNet} view, saved in model-file
     * version 1); more are a deeper {@link DenseNetwork}. He initialization for ReLU, Xavier for the others.
     */
    private DenseNetwork network(Setup s, int inputs, int outputs) {
        Init init = s.activation() == Activation.RELU ? Init.HE : Init.XAVIER;
        if (hidden.size() == 1) {
            return TwoLayerNet.initialize(new NetSpec(inputs, hidden.getFirst(), outputs, s.activation(), s.par(),
                    init, !noBias, !noBias, freezeOutput, symmetric), seed);
        }
        int[] widths = new int[hidden.size() + 2];
        widths[0] = inputs;
        for (int l = 0; l < hidden.size(); l++) {
            widths[l + 1] = hidden.get(l);
        }
        widths[widths.length - 1] = outputs;
        DenseNetwork.Builder b = DenseNetwork.builder().widths(widths).activation(s.activation())
                .parametrization(s.par()).bias(!noBias).symmetric(symmetric);
        if (freezeOutput) {
            b.freezeOutput();
        }
        try {
            return b.build(seed);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--hidden " + hidden + ": " + e.getMessage());
        }
    }

    /** One output for the squared loss on a binary task (±1 targets), else one per class. */
    private int outputs(FashionMnist.Split split) {
        return dataOptions.binary() && loss.toLowerCase(Locale.ROOT).startsWith("s") ? 1 : Math.max(
                split.train().classes(), split.test().classes());
    }

    private Map<String, Object> config(DenseNetwork net, FashionMnist.Split split, LabelCorruption train, Setup s,
                                       boolean drop) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("data", split.source());
        c.put("trainSize", train.data().size());
        c.put("testSize", split.test().size());
        c.put("noise", noise);
        c.put("net", net.toString());
        c.put("loss", loss);
        c.put("strategy", strategy);
        c.put("objective", s.objective().toString());
        c.put("regularizer", regularizer);
        c.put("gamma", gamma);
        c.put("epsilon", epsilon);
        c.put("rho", rho);
        c.put("flood", flood);
        c.put("lr", lr);
        c.put("momentum", momentum);
        c.put("nesterov", nesterov);
        c.put("weightDecay", weightDecay);
        c.put("schedule", schedule);
        c.put("batch", batch);
        c.put("dropLast", drop);
        c.put("epochs", epochs);
        c.put("seed", seed);
        c.put("threads", Parallelism.threads());
        return c;
    }

    /** The options checked and turned into nn objects; a bad value is a usage error (exit 2). */
    private Setup setup() {
        try {
            check(!hidden.isEmpty() && hidden.stream().allMatch(h -> h >= 1), "--hidden: widths must be >= 1");
            check(epochs >= 1, "--epochs: must be >= 1");
            check(batch >= 1, "--batch: must be >= 1");
            check(noise >= 0 && noise <= 1, "--noise: must be in [0, 1]");
            check(lr >= 0 && Double.isFinite(lr), "--lr: must be finite and >= 0");
            check(threads == null || threads >= 1 && threads <= 1024, "--threads: must be in 1..1024");
            check(!symmetric || hidden.getLast() % 2 == 0, "--symmetric-init: needs an even last --hidden width");
            dataOptions.check(spec);
            check(momentum >= 0 && momentum < 1, "--momentum: must be in [0, 1)");
            check(!nesterov || momentum > 0, "--nesterov: needs --momentum > 0");
            check(weightDecay >= 0 && Float.isFinite(weightDecay), "--weight-decay: must be finite and >= 0");
            check(Float.isFinite(gamma) && Float.isFinite(epsilon) && Float.isFinite(rho) && Double.isFinite(flood),
                    "--gamma, --epsilon, --rho, --flood: must be finite");
            check(!saveDiverged || save != null, "--save-diverged: needs --save");
            Activation act = Activation.valueOf(enumName("--activation", activation, Activation.values()));
            Parametrization par = Parametrization.valueOf(enumName("--parametrization", parametrization,
                    Parametrization.values()));
            Loss l = switch (loss.toLowerCase(Locale.ROOT)) {
                case "cross-entropy", "ce" -> new SoftmaxCrossEntropy();
                case "squared", "mse" -> new SquaredLoss();
                default -> throw new IllegalArgumentException("--loss: '" + loss + "' is not cross-entropy or squared");
            };
            GradientStrategy st;
            try {
                st = StrategyFactory.create(strategy);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--strategy: " + e.getMessage());
            }
            Regularizer reg;
            try {
                reg = Regularizer.parse(regularizer);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--regularizer: " + e.getMessage());
            }
            Objective objective;
            try {
                // nn checks gamma/epsilon/rho/flood and whether the strategy can serve the regularizer, here
                // rather than mid-run.
                objective = reg.objective(l, st, gamma, epsilon, rho, flood);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--regularizer " + regularizer + " with --strategy " + strategy
                        + ": " + e.getMessage());
            }
            parseSchedule(1, epochs);
            return new Setup(act, par, l, st, objective);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    private static void check(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }

    private static String enumName(String option, String value, Enum<?>[] values) {
        for (Enum<?> v : values) {
            if (v.name().equalsIgnoreCase(value)) {
                return v.name();
            }
        }
        throw new IllegalArgumentException(option + ": '" + value + "' is not one of "
                + java.util.Arrays.stream(values).map(v -> v.name().toLowerCase(Locale.ROOT)).toList());
    }

    private Schedule parseSchedule(int stepsPerEpoch, int totalEpochs) {
        String[] p = schedule.toLowerCase(Locale.ROOT).split(":");
        try {
            return switch (p[0]) {
                case "constant" -> {
                    check(p.length == 1, "--schedule: constant takes no parameters");
                    yield Schedule.constant(lr);
                }
                case "step" -> {
                    check(p.length == 3, "--schedule: step:FACTOR:EVERY_EPOCHS, e.g. step:0.1:30");
                    long every = Long.parseLong(p[2]);
                    check(every >= 1 && every <= Long.MAX_VALUE / stepsPerEpoch, "--schedule: EVERY_EPOCHS must be"
                            + " in 1.." + Long.MAX_VALUE / stepsPerEpoch + " (" + stepsPerEpoch + " steps per epoch),"
                            + " got " + p[2]);
                    yield Schedule.step(lr, Double.parseDouble(p[1]), every * stepsPerEpoch);
                }
                case "cosine" -> {
                    check(p.length <= 2, "--schedule: cosine or cosine:MIN_RATE");
                    yield Schedule.cosine(lr, p.length == 2 ? Double.parseDouble(p[1]) : 0,
                            (long) stepsPerEpoch * totalEpochs);
                }
                default -> throw new IllegalArgumentException("--schedule: '" + schedule + "' is not constant,"
                        + " step:FACTOR:EVERY_EPOCHS or cosine[:MIN_RATE]");
            };
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--schedule: bad number in '" + schedule + "'");
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(e.getMessage().startsWith("--") ? e.getMessage()
                    : "--schedule: " + e.getMessage());
        }
    }

    /** The checked options as nn objects. */
    private record Setup(Activation activation, Parametrization par, Loss loss, GradientStrategy strategy,
                         Objective objective) {
    }
}
