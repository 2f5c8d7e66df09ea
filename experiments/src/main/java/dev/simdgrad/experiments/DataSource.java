package dev.simdgrad.experiments;

import dev.simdgrad.nn.data.FashionMnist;
import dev.simdgrad.nn.data.NpyDirectory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Where the experiments and the command line's {@code train} take their data from: the directory of {@code --data} (IDX files as
 * Fashion-MNIST and MNIST ship them, or the NPY layout of {@link NpyDirectory}, detected by its {@code train_x.npy}),
 * else the Fashion-MNIST subset embedded in the jar (5,000 train + 1,000 test images). The default is the embedded subset, not
 * {@link FashionMnist#locate}'s search of the environment and {@value FashionMnist#SYSTEM_DIR}, so that a default
 * run gives the same numbers on every machine; a full dataset is used only when asked for.
 */
public final class DataSource {
    private static final String NEEDS = "(it needs train-images-idx3-ubyte[.gz], train-labels-idx1-ubyte[.gz],"
            + " t10k-images-idx3-ubyte[.gz], t10k-labels-idx1-ubyte[.gz], or the NPY layout train_x.npy, train_y.npy,"
            + " test_x.npy, test_y.npy; without --data the embedded subset is used)";

    private DataSource() {
    }

    /**
     * Loads the training and test sets.
     *
     * @param dir      the {@code --data} directory, or null for the embedded subset
     * @param maxTrain at most this many training examples (the first ones of the files)
     * @param maxTest  at most this many test examples
     * @throws MissingDataException if {@code dir} is not a directory or lacks any of the four files (an empty
     *                              directory included), naming the absolute path looked at and the files missing
     * @throws IOException          if a file is malformed, or the files disagree (the message names the files)
     */
    public static FashionMnist.Split load(Path dir, int maxTrain, int maxTest) throws IOException {
        return load(dir, Embedded.FASHION_MNIST, maxTrain, maxTest);
    }

    /** The embedded subsets a run without a data directory uses (5,000 training + 1,000 test images each). */
    public enum Embedded {
        /** Fashion-MNIST's class-balanced subset. */
        FASHION_MNIST,
        /** MNIST's class-balanced subset. */
        MNIST
    }

    /**
     * Loads the training and test sets from {@code dir}, or from the embedded subset {@code embedded} when
     * {@code dir} is null.
     *
     * @throws MissingDataException as {@link #load(Path, int, int)}
     * @throws IOException          as {@link #load(Path, int, int)}
     */
    public static FashionMnist.Split load(Path dir, Embedded embedded, int maxTrain, int maxTest) throws IOException {
        if (dir == null) {
            FashionMnist.Split e = embedded == Embedded.MNIST ? FashionMnist.embeddedMnist() : FashionMnist.embedded();
            return new FashionMnist.Split(e.train().head(maxTrain), e.test().head(maxTest), e.source());
        }
        if (!Files.isDirectory(dir)) {
            throw new MissingDataException("data directory not found: looked at " + dir.toAbsolutePath() + " " + NEEDS);
        }
        if (NpyDirectory.isNpy(dir)) {
            List<String> missing = NpyDirectory.missingFiles(dir);
            if (!missing.isEmpty()) {
                throw new MissingDataException("data directory " + dir.toAbsolutePath() + " has train_x.npy but lacks "
                        + String.join(", ", missing) + " " + NEEDS);
            }
            return NpyDirectory.load(dir, maxTrain, maxTest);
        }
        List<String> missing = FashionMnist.missingFiles(dir);
        if (!missing.isEmpty()) {
            throw new MissingDataException("data directory " + dir.toAbsolutePath() + " lacks "
                    + missing.stream().map(f -> f + "[.gz]").collect(Collectors.joining(", ")) + " " + NEEDS);
        }
        return FashionMnist.load(dir, maxTrain, maxTest);
    }

    /**
     * A {@code --data} directory that does not exist or lacks a data file: a usage error, not a failure while
     * running.
     */
    public static final class MissingDataException extends IOException {
        MissingDataException(String message) {
            super(message);
        }
    }
}
