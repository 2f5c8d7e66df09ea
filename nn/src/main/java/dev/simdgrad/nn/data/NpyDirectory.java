package dev.simdgrad.nn.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A classification dataset as four NumPy files in one directory, the layout a NumPy or PyTorch user writes in four
 * lines ({@code np.save("train_x.npy", x)}, ...):
 * <pre>
 *   train_x.npy   N x ...  inputs: float32/float64 (taken as they are) or uint8 (scaled to [0, 1] as byte / 255)
 *   train_y.npy   N        integer class labels, 0 .. C-1
 *   test_x.npy    M x ...  inputs with the same trailing shape
 *   test_y.npy    M        labels
 * </pre>
 * Each sample is flattened (d = the product of the trailing dimensions, at least one); C = 1 + the largest label of
 * either split. Everything is checked at load, before a dataset is built, with messages naming the file: the arrays'
 * dtypes ({@link Npy}), label counts against sample counts, negative labels, train and test samples of different
 * shapes.
 */
public final class NpyDirectory {
    /** The four file names. */
    public static final List<String> FILES = List.of("train_x.npy", "train_y.npy", "test_x.npy", "test_y.npy");

    private NpyDirectory() {
    }

    /** Whether {@code dir} holds the NPY layout (its {@code train_x.npy} exists). */
    public static boolean isNpy(Path dir) {
        return Files.isRegularFile(dir.resolve(FILES.getFirst()));
    }

    /** The files of the layout that {@code dir} lacks. */
    public static List<String> missingFiles(Path dir) {
        List<String> missing = new ArrayList<>();
        for (String f : FILES) {
            if (!Files.isRegularFile(dir.resolve(f))) {
                missing.add(f);
            }
        }
        return missing;
    }

    /**
     * Loads the first {@code maxTrain} training and {@code maxTest} test examples.
     *
     * @throws IOException naming the file for a missing or malformed file or inconsistent arrays
     */
    public static FashionMnist.Split load(Path dir, int maxTrain, int maxTest) throws IOException {
        if (maxTrain < 0 || maxTest < 0) {
            throw new IllegalArgumentException("maxTrain=" + maxTrain + " and maxTest=" + maxTest + " must be >= 0");
        }
        List<String> missing = missingFiles(dir);
        if (!missing.isEmpty()) {
            throw new NoSuchFileException(dir.resolve(missing.getFirst()).toString(), null,
                    "the NPY layout needs " + String.join(", ", FILES) + "; missing: " + String.join(", ", missing));
        }
        Npy trainX = Npy.read(dir.resolve("train_x.npy")), trainY = Npy.read(dir.resolve("train_y.npy"));
        Npy testX = Npy.read(dir.resolve("test_x.npy")), testY = Npy.read(dir.resolve("test_y.npy"));
        long[] sampleShape = sampleShape(trainX);
        if (!Arrays.equals(sampleShape, sampleShape(testX))) {
            throw new IdxFormatException("training and test samples differ in shape: " + trainX.name() + " has "
                    + Arrays.toString(sampleShape) + ", " + testX.name() + " has "
                    + Arrays.toString(sampleShape(testX)));
        }
        int[] trainLabels = labels(trainY, trainX), testLabels = labels(testY, testX);
        int classes = 1 + Math.max(Arrays.stream(trainLabels).max().orElse(0),
                Arrays.stream(testLabels).max().orElse(0));
        int d = Math.toIntExact(Arrays.stream(sampleShape).reduce(1, Math::multiplyExact));
        Dataset train = dataset(trainX, d, trainLabels, classes, maxTrain);
        Dataset test = dataset(testX, d, testLabels, classes, maxTest);
        return new FashionMnist.Split(train, test, dir + " (NPY, " + classes + " classes, samples "
                + Arrays.toString(sampleShape) + ")");
    }

    private static long[] sampleShape(Npy x) throws IdxFormatException {
        if (x.shape().length < 2) {
            throw new IdxFormatException(x.name() + ": shape " + Arrays.toString(x.shape()) + " is not N x (sample"
                    + " dimensions): a 1-d array holds no samples of any size");
        }
        long[] s = Arrays.copyOfRange(x.shape(), 1, x.shape().length);
        long d = 1;
        for (long v : s) {
            d *= v;
        }
        if (d < 1) {
            throw new IdxFormatException(x.name() + ": samples of shape " + Arrays.toString(s) + " have no features");
        }
        return s;
    }

    private static int[] labels(Npy y, Npy x) throws IdxFormatException {
        if (y.shape().length != 1) {
            throw new IdxFormatException(y.name() + ": labels must be a 1-d array, got shape "
                    + Arrays.toString(y.shape()));
        }
        if (y.shape()[0] != x.shape()[0]) {
            throw new IdxFormatException(x.name() + " holds " + x.shape()[0] + " samples but " + y.name() + " holds "
                    + y.shape()[0] + " labels");
        }
        int[] labels = y.ints();
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0) {
                throw new IdxFormatException(y.name() + ": label " + i + " is " + labels[i] + "; labels are 0 .. C-1");
            }
        }
        return labels;
    }

    private static Dataset dataset(Npy x, int d, int[] labels, int classes, int max) throws IdxFormatException {
        int n = (int) x.shape()[0];
        float[] all = x.floats();
        if (x.isUnsignedByte()) {
            for (int i = 0; i < all.length; i++) {
                all[i] /= 255f;
            }
        }
        int m = Math.min(n, max);
        return Dataset.owning(m, d, m == n ? all : Arrays.copyOf(all, m * d), m == n ? labels
                : Arrays.copyOf(labels, m), classes, null, 0);
    }
}
