package dev.simdgrad.cli;

import dev.simdgrad.experiments.DataSource;
import dev.simdgrad.nn.data.BinarySubset;
import dev.simdgrad.nn.data.Dataset;
import dev.simdgrad.nn.data.FashionMnist;
import dev.simdgrad.nn.data.Preprocessing;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * The data options {@code train} and {@code evaluate} share, and the one way they become a train/test split:
 * the source ({@code --data DIR}: IDX or NPY, detected; else the embedded subset {@code --dataset}), then the binary
 * task of {@code --classes A,B}, then the first {@code --train-size}/{@code --test-size} examples, then
 * {@code --preprocess} fitted on that training set. The same options give the same split, so {@code evaluate} sees
 * what {@code train} trained on.
 */
final class DataOptions {
    @Option(names = "--data", paramLabel = "DIR", description = "A data directory: IDX files (Fashion-MNIST, MNIST:"
            + " train-images-idx3-ubyte[.gz], ...) or NPY (train_x.npy, train_y.npy, test_x.npy, test_y.npy)"
            + " (default: the embedded subset of --dataset).")
    Path data;

    @Option(names = "--dataset", defaultValue = "fashion-mnist", paramLabel = "NAME",
            description = "The embedded subset used without --data: fashion-mnist or mnist (5,000 train + 1,000"
                    + " test images each) (default: ${DEFAULT-VALUE}).")
    String dataset;

    @Option(names = "--train-size", paramLabel = "N", description = "Use the first N training examples (default:"
            + " all).")
    Integer trainSize;

    @Option(names = "--test-size", paramLabel = "N", description = "Use the first N test examples (default: all).")
    Integer testSize;

    @Option(names = "--classes", split = ",", paramLabel = "A,B", description = "A binary task: only classes A and"
            + " B, with labels +1 (A) and -1 (B) for the squared loss (one output) or classes 1 and 0 for"
            + " cross-entropy.")
    List<Integer> classes;

    @Option(names = "--preprocess", defaultValue = "none", paramLabel = "NAME",
            description = "none, scale, standardize, center or unit-norm, fitted on the training set"
                    + " (default: ${DEFAULT-VALUE}).")
    String preprocess;

    /** Checks the options alone (before any data is read). */
    Preprocessing check(CommandSpec spec) {
        if (trainSize != null && trainSize < 1 || testSize != null && testSize < 1) {
            throw new ParameterException(spec.commandLine(), "--train-size, --test-size: must be >= 1");
        }
        if (!List.of("fashion-mnist", "mnist").contains(dataset.toLowerCase(Locale.ROOT))) {
            throw new ParameterException(spec.commandLine(), "--dataset: '" + dataset + "' is not fashion-mnist or"
                    + " mnist");
        }
        if (data != null && !dataset.equalsIgnoreCase("fashion-mnist")) {
            throw new ParameterException(spec.commandLine(), "--dataset names an embedded subset; with --data " + data
                    + " the data come from that directory (leave --dataset out)");
        }
        if (classes != null && (classes.size() != 2 || classes.get(0).equals(classes.get(1))
                || classes.get(0) < 0 || classes.get(1) < 0)) {
            throw new ParameterException(spec.commandLine(), "--classes: two distinct classes A,B >= 0, got "
                    + classes);
        }
        try {
            return Preprocessing.parse(preprocess);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--preprocess: " + e.getMessage());
        }
    }

    /** Whether this is the binary task of {@code --classes}. */
    boolean binary() {
        return classes != null;
    }

    /**
     * The split, as the class comment says. A missing, empty or malformed data directory, or {@code --classes}
     * outside the data's classes, is a usage error naming the option.
     */
    FashionMnist.Split load(CommandSpec spec) {
        Preprocessing pre = check(spec);
        int maxTrain = trainSize == null ? Integer.MAX_VALUE : trainSize;
        int maxTest = testSize == null ? Integer.MAX_VALUE : testSize;
        FashionMnist.Split split;
        try {
            if (data == null && dataset.equalsIgnoreCase("mnist")) {
                split = FashionMnist.embeddedMnist();
            } else {
                split = DataSource.load(data, binary() ? Integer.MAX_VALUE : maxTrain,
                        binary() ? Integer.MAX_VALUE : maxTest);
            }
        } catch (IOException e) {
            throw new ParameterException(spec.commandLine(), "--data: " + e.getMessage());
        }
        if (binary()) {
            int a = classes.get(0), b = classes.get(1);
            try {
                split = new FashionMnist.Split(BinarySubset.of(split.train(), a, b).head(maxTrain),
                        BinarySubset.of(split.test(), a, b).head(maxTest), split.source() + ", classes " + a + " (+1)"
                        + " vs " + b + " (-1)");
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), "--classes: " + e.getMessage());
            }
        } else if (data == null && dataset.equalsIgnoreCase("mnist")) {
            split = new FashionMnist.Split(split.train().head(maxTrain), split.test().head(maxTest), split.source());
        }
        if (split.train().size() == 0) {
            throw new ParameterException(spec.commandLine(), "--data: no training examples in " + split.source());
        }
        return pre.apply(split);
    }

    /** The ±1 targets of a binary task recomputed from its (possibly corrupted) 0/1 labels. */
    static Dataset withLabelTargets(Dataset d) {
        float[] t = new float[d.size()];
        for (int i = 0; i < t.length; i++) {
            t[i] = d.label(i) == 1 ? 1f : -1f;
        }
        return d.withTargets(t, 1);
    }
}
