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
 * [0, 1] (byte / 255); labels are the classes 0 .. the largest label of either split (10 for both datasets). Any
 * IDX directory of this layout with uint8 samples of 2 dimensions (n, d) or 3 (n, rows, cols) loads the same way.
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
     * are read and checked before any example is built: images against their labels (the same count) and the
     * training images against the test images (the same sample shape).
     *
     * @throws IOException with the file name(s) for a missing file, a malformed IDX file, images and labels that
     *                     disagree in count, or training and test samples of different shapes
     */
    public static Split load(Path dir, int maxTrain, int maxTest) throws IOException {
        if (maxTrain < 0 || maxTest < 0) {
            throw new IllegalArgumentException("maxTrain=" + maxTrain + " and maxTest=" + maxTest + " must be >= 0");
        }
        Named trainImages = open(dir, TRAIN_IMAGES), trainLabels = open(dir, TRAIN_LABELS);
        Named testImages = open(dir, TEST_IMAGES), testLabels = open(dir, TEST_LABELS);
        checkPair(trainImages, trainLabels, maxTrain);
        checkPair(testImages, testLabels, maxTest);
        int[] tr = sampleShape(trainImages), te = sampleShape(testImages);
        if (!Arrays.equals(tr, te)) {
            throw new IdxFormatException("training and test images differ in shape: " + trainImages.name()
                    + " has " + shape(tr) + " images, " + testImages.name() + " has " + shape(te));
        }
        int classes = classes(trainLabels, testLabels);
        Dataset train = pair(trainImages, trainLabels, maxTrain, classes);
        Dataset test = pair(testImages, testLabels, maxTest, classes);
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
        Named trainImages = resource(dir, TRAIN_IMAGES + ".gz"), trainLabels = resource(dir, TRAIN_LABELS + ".gz");
        Named testImages = resource(dir, TEST_IMAGES + ".gz"), testLabels = resource(dir, TEST_LABELS + ".gz");
        int classes = classes(trainLabels, testLabels);
        Dataset train = pair(trainImages, trainLabels, Integer.MAX_VALUE, classes);
        Dataset test = pair(testImages, testLabels, Integer.MAX_VALUE, classes);
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
        int dims = images.idx().dimensions().length;
        if (dims != 2 && dims != 3) {
            throw new IdxFormatException(images.name() + ": samples must have 2 or 3 dimensions (n, d) or (n, rows,"
                    + " cols), got "
                    + Arrays.toString(images.idx().dimensions()));
        }
    }

    /** The dimensions of one sample: (d) or (rows, cols). */
    private static int[] sampleShape(Named images) {
        int[] dims = images.idx().dimensions();
        return Arrays.copyOfRange(dims, 1, dims.length);
    }

    private static String shape(int[] sample) {
        return sample.length == 1 ? Integer.toString(sample[0]) : sample[0] + "x" + sample[1];
    }

    /**
     * The number of classes: 1 + the largest label of either file (all of its labels, so that a shorter
     * {@code --train-size} does not change the network's outputs); 10 for Fashion-MNIST and MNIST.
     */
    private static int classes(Named trainLabels, Named testLabels) {
        int max = 0;
        for (Named l : new Named[] {trainLabels, testLabels}) {
            for (byte b : l.idx().data()) {
                max = Math.max(max, b & 0xff);
            }
        }
        return max + 1;
    }

    /** Samples (2 or 3 dimensions) against their labels (1 dimension, the same count). */
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
    }

    private static Dataset pair(Named images, Named labels, int max, int classes) throws IdxFormatException {
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
        return Dataset.owning(n, d, x, y, classes, null, 0);
    }

    private static Path requireDirectory(Path p, String what) throws IOException {
        if (!Files.isDirectory(p)) {
            throw new IOException(what + ": " + p + " is not a directory");
        }
        return p;
    }
}
