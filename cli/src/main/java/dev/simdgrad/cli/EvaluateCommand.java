package dev.simdgrad.cli;

import dev.simdgrad.kernels.Parallelism;
import dev.simdgrad.nn.DenseNetwork;
import dev.simdgrad.nn.Loss;
import dev.simdgrad.nn.SoftmaxCrossEntropy;
import dev.simdgrad.nn.SquaredLoss;
import dev.simdgrad.nn.data.FashionMnist;
import dev.simdgrad.nn.data.LabelCorruption;
import dev.simdgrad.nn.io.ModelFile;
import dev.simdgrad.nn.metrics.Evaluation;
import dev.simdgrad.nn.metrics.Evaluator;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code simdgrad evaluate --model FILE}: loads a model saved by {@code train --save} (any depth) and prints its loss
 * and accuracy on the training and the test set, chosen by the data options of {@code train} ({@link DataOptions}:
 * give the same ones, e.g. {@code --dataset}, {@code --classes}, {@code --preprocess}). With {@code --noise P} the
 * training labels are corrupted exactly as {@code train --noise P --seed S} corrupted them, and the training
 * accuracy is split into the clean and the corrupted examples (against their corrupted labels). A model file that
 * cannot be read, a model whose input size does not match the data, or one holding non-finite parameters (saved from
 * a diverged run) is a usage error: one line naming the file, exit 2.
 */
@Command(name = "evaluate", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Load a model saved with 'train --save' and print its loss and accuracy on the training and"
                + " test sets.")
final class EvaluateCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "FILE", description = "A model file written by"
            + " 'train --save'.")
    private Path model;

    @Mixin
    private DataOptions dataOptions;

    @Option(names = "--loss", defaultValue = "cross-entropy", paramLabel = "NAME",
            description = "The loss to report: cross-entropy or squared (default: ${DEFAULT-VALUE}).")
    private String loss;

    @Option(names = "--noise", defaultValue = "0", paramLabel = "P", description = "The label noise the model was"
            + " trained with (train --noise), to split training accuracy into clean and corrupted examples"
            + " (default: ${DEFAULT-VALUE}).")
    private double noise;

    @Option(names = "--seed", defaultValue = "1", paramLabel = "S", description = "The seed of that noise (train"
            + " --seed) (default: ${DEFAULT-VALUE}).")
    private long seed;

    @Option(names = "--threads", paramLabel = "N", description = "Kernel threads (default: available processors).")
    private Integer threads;

    @Override
    public Integer call() {
        if (!(noise >= 0 && noise <= 1)) {
            throw usage("--noise: must be in [0, 1], got " + noise);
        }
        dataOptions.check(spec);
        if (threads != null && (threads < 1 || threads > 1024)) {
            throw usage("--threads: must be in 1..1024");
        }
        Loss l = switch (loss.toLowerCase(Locale.ROOT)) {
            case "cross-entropy", "ce" -> new SoftmaxCrossEntropy();
            case "squared", "mse" -> new SquaredLoss();
            default -> throw usage("--loss: '" + loss + "' is not cross-entropy or squared");
        };
        if (!Files.isRegularFile(model)) {
            throw usage("--model: " + model + (Files.exists(model) ? " is not a regular file" : " does not exist"));
        }
        DenseNetwork net;
        try {
            net = ModelFile.loadNetwork(model);
        } catch (IOException | RuntimeException e) {
            throw usage("--model: " + model + " cannot be read as a model: " + e.getMessage());
        }
        long bad = nonFinite(net.parameters());
        if (bad > 0) {
            throw usage("--model: " + model + " holds " + bad + " non-finite parameters (a diverged run saved with"
                    + " --save-diverged): nothing to evaluate");
        }
        if (threads != null) {
            Parallelism.setThreads(threads);
        }
        FashionMnist.Split split = dataOptions.load(spec);
        int classes = Math.max(split.train().classes(), split.test().classes());
        boolean outputsFit = net.outputs() == classes || dataOptions.binary() && net.outputs() == 1;
        if (split.train().features() != net.inputs() || !outputsFit) {
            throw usage("--model: " + model + " holds " + net + ", which does not take the data's "
                    + split.train().features() + " inputs and " + classes + " classes");
        }
        LabelCorruption train = LabelCorruption.apply(split.train(), noise, seed);
        if (dataOptions.binary()) {
            train = new LabelCorruption(DataOptions.withLabelTargets(train.data()), train.corrupted());
        }
        Evaluator ev = new Evaluator(l, 1000);
        PrintWriter o = spec.commandLine().getOut();
        o.printf(Locale.ROOT, "Model: %s (%s)%n", model, net);
        o.printf(Locale.ROOT, "Data: %s (%d train, %d test), label noise %.2f (%d corrupted)%n", split.source(),
                train.data().size(), split.test().size(), noise, train.corruptedCount());
        Evaluation tr = ev.evaluate(net, train.data());
        o.println(line("train", tr));
        if (noise > 0) {
            o.println(line("train, clean examples", ev.evaluate(net, train.data(), train.clean())));
            o.println(line("train, corrupted examples", ev.evaluate(net, train.data(), train.corrupted())));
        }
        o.println(line("test", ev.evaluate(net, split.test())));
        o.flush();
        return 0;
    }

    private static String line(String what, Evaluation e) {
        return String.format(Locale.ROOT, "%-26s %6d examples  loss %.4f  accuracy %.4f", what, e.count(), e.loss(),
                e.accuracy());
    }

    private static long nonFinite(float[] theta) {
        long n = 0;
        for (float v : theta) {
            n += Float.isFinite(v) ? 0 : 1;
        }
        return n;
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }
}
