package dev.simdgrad.nn.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Fashion-MNIST (Xiao et al. 2017) and MNIST, which share the file layout: a directory with
 * {@code train-images-idx3-ubyte}, {@code train-labels-idx1-ubyte}, {@code t10k-images-idx3-ubyte},
 * {@code t10k-labels-idx1-ubyte}, each raw or with {@code .gz}. Images become d = rows·cols features scaled to
 * [0, 1] (byte / 255); labels are the 10 classes.
 *
 * <p>Where the data comes from ({@link #locate}): an explicit directory, else the directory in the environment
 * variable {@value #ENV}, else {@value #SYSTEM_DIR} (Debian package {@code dataset-fashion-mnist}); and when none
 * exists, the {@link #embedded()} subset shipped in this jar (5,000 train + 1,000 test, class-balanced; see the
 * README next to it).
 */
public final class FashionMnist {
    /** Environment variable naming a data directory. */
    public static final String ENV = "SIMDGRAD_DATA";
    /** Where Debian's {@code dataset-fashion-mnist} installs the full dataset. */
    public static final String SYSTEM_DIR = "/usr/share/datasets/fashion-mnist";
    /** Number of classes. */
    public static final int CLASSES = 10;
    private static final String EMBEDDED = "fashion-mnist-subset/";
    private static final String EMBEDDED_MNIST = "mnist-subset/";
    private static final String TRAIN_IMAGES = "train-images-idx3-ubyte", TRAIN_LABELS = "train-labels-idx1-ubyte";
    private static final String TEST_IMAGES = "t10k-images-idx3-ubyte", TEST_LABELS = "t10k-labels-idx1-ubyte";
    private static final List<String> FILES = List.of(TRAIN_IMAGES, TRAIN_LABELS, TEST_IMAGES, TEST_LABELS);

    private FashionMnist() {
    }

    /** A train/test pair and where it came from. */
    public record Split(Dataset train, Dataset test, String source) {
    }

    /**
     * The data directory to use: {@code explicit} if not null, else {@value #ENV} if set and non-empty, else
     * {@value #SYSTEM_DIR} if it exists; null when none (then use {@link #embedded()}).
     *
     * @throws IOException if an explicit or environment directory is given but is not a directory
     */
    public static Path locate(Path explicit) throws IOException {
        if (explicit != null) {
            return requireDirectory(explicit, "data directory");
        }
        String env = System.getenv(ENV);
        if (env != null && !env.isBlank()) {
            return requireDirectory(Path.of(env), ENV + "=" + env);
        }
        Path system = Path.of(SYSTEM_DIR);
        return Files.isDirectory(system) ? system : null;
    }

    /** Loads from {@link #locate}'s directory, or the embedded subset when there is none. */
    public static Split load(Path explicit) throws IOException {
        Path dir = locate(explicit);
        return dir == null ? embedded() : load(dir, Integer.MAX_VALUE, Integer.MAX_VALUE);
    }

    /**
     * Loads the first {@code maxTrain} training and {@code maxTest} test examples from a directory. All four files
     * are read and checked before any example is built: images against their labels (count, the labels used in
     * 0..9) and the training images against the test images (same rows x cols).
     *
     * @throws IOException with the file name(s) for a missing file, a malformed IDX file, images and labels that
     *                     disagree in count or have a label outside 0..9, or training and test images of different
     *                     shapes
     */
    public static Split load(Path dir, int maxTrain, int maxTest) throws IOException {
        if (maxTrain < 0 || maxTest < 0) {
            throw new IllegalArgumentException("maxTrain=" + maxTrain + " and maxTest=" + maxTest + " must be >= 0");
        }
        Named trainImages = open(dir, TRAIN_IMAGES), trainLabels = open(dir, TRAIN_LABELS);
        Named testImages = open(dir, TEST_IMAGES), testLabels = open(dir, TEST_LABELS);
        checkPair(trainImages, trainLabels, maxTrain);
        checkPair(testImages, testLabels, maxTest);
        int[] tr = trainImages.idx().dimensions(), te = testImages.idx().dimensions();
        if (tr[1] != te[1] || tr[2] != te[2]) {
            throw new IdxFormatException("training and test images differ in shape: " + trainImages.name()
                    + " has " + tr[1] + "x" + tr[2] + " images, " + testImages.name() + " has " + te[1] + "x" + te[2]);
        }
        Dataset train = pair(trainImages, trainLabels, maxTrain);
        Dataset test = pair(testImages, testLabels, maxTest);
        return new Split(train, test, dir.toString());
    }

    /**
     * The base names (without {@code .gz}) of the four files that {@link #load(Path, int, int)} needs and that
     * {@code dir} lacks in both forms, raw and gzip; empty when all are there.
     */
    public static List<String> missingFiles(Path dir) {
        List<String> missing = new ArrayList<>();
        for (String base : FILES) {
            if (!Files.isRegularFile(dir.resolve(base + ".gz")) && !Files.isRegularFile(dir.resolve(base))) {
                missing.add(base);
            }
        }
        return missing;
    }

    /** The embedded subset: 5,000 training and 1,000 test images, 500 and 100 of each class. */
    public static Split embedded() throws IOException {
        return embedded(EMBEDDED, "embedded subset (5000 train + 1000 test)");
    }

    /**
     * The embedded MNIST subset (the digits of the Coherent Gradients experiments): 5,000 training and 1,000 test
     * images, the first 500 and 100 of each digit of the original files (see the README next to it; the full set:
     * {@code scripts/fetch-mnist}).
     */
    public static Split embeddedMnist() throws IOException {
        return embedded(EMBEDDED_MNIST, "embedded MNIST subset (5000 train + 1000 test)");
    }

    private static Split embedded(String dir, String source) throws IOException {
        Dataset train = pair(resource(dir, TRAIN_IMAGES + ".gz"), resource(dir, TRAIN_LABELS + ".gz"),
                Integer.MAX_VALUE);
        Dataset test = pair(resource(dir, TEST_IMAGES + ".gz"), resource(dir, TEST_LABELS + ".gz"),
                Integer.MAX_VALUE);
        return new Split(train, test, source);
    }

    /** An IDX file and the name its errors give (the path, or the embedded resource). */
    private record Named(Idx idx, String name) {
    }

    private static Named open(Path dir, String base) throws IOException {
        for (String name : new String[] {base + ".gz", base}) {
            Path f = dir.resolve(name);
            if (Files.isRegularFile(f)) {
                return new Named(Idx.read(f), f.toString());
            }
        }
        throw new NoSuchFileException(dir.resolve(base).toString(), null, "neither " + base + ".gz nor " + base
                + " in " + dir);
    }

    private static Named resource(String dir, String name) throws IOException {
        try (InputStream in = FashionMnist.class.getResourceAsStream(dir + name)) {
            if (in == null) {
                throw new IOException("embedded resource " + dir + name + " is missing from the jar");
            }
            String shown = "embedded " + name;
            return new Named(Idx.read(in, shown), shown);
        }
    }

    private static void checkImages(Named images) throws IdxFormatException {
        if (images.idx().dimensions().length != 3) {
            throw new IdxFormatException(images.name() + ": images must have 3 dimensions (n, rows, cols), got "
                    + Arrays.toString(images.idx().dimensions()));
        }
    }

    /** Images (3 dimensions) against their labels (1 dimension, same count, the first {@code max} in 0..9). */
    private static void checkPair(Named images, Named labels, int max) throws IdxFormatException {
        checkImages(images);
        Idx im = images.idx(), lb = labels.idx();
        if (lb.dimensions().length != 1) {
            throw new IdxFormatException(labels.name() + ": labels must have 1 dimension, got "
                    + Arrays.toString(lb.dimensions()));
        }
        if (im.items() != lb.items()) {
            throw new IdxFormatException(images.name() + " has " + im.items() + " images but " + labels.name()
                    + " has " + lb.items() + " labels");
        }
        byte[] ly = lb.data();
        for (int i = 0, n = Math.min(im.items(), max); i < n; i++) {
            if ((ly[i] & 0xff) >= CLASSES) {
                throw new IdxFormatException(labels.name() + ": label " + i + " is " + (ly[i] & 0xff) + ", not in 0.."
                        + (CLASSES - 1));
            }
        }
    }

    private static Dataset pair(Named images, Named labels, int max) throws IdxFormatException {
        checkPair(images, labels, max);
        Idx im = images.idx();
        int n = Math.min(im.items(), max), d = im.itemSize();
        int[] y = new int[n];
        byte[] ly = labels.idx().data();
        for (int i = 0; i < n; i++) {
            y[i] = ly[i] & 0xff;
        }
        float[] x = new float[n * d];
        byte[] px = im.data();
        for (int i = 0; i < x.length; i++) {
            x[i] = (px[i] & 0xff) / 255f;
        }
        return Dataset.owning(n, d, x, y, CLASSES, null, 0);
    }

    private static Path requireDirectory(Path p, String what) throws IOException {
        if (!Files.isDirectory(p)) {
            throw new IOException(what + ": " + p + " is not a directory");
        }
        return p;
    }
}
