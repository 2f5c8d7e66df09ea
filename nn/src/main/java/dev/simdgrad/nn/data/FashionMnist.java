package dev.simdgrad.nn.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

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
     * Loads the first {@code maxTrain} training and {@code maxTest} test examples from a directory.
     *
     * @throws IOException with the file name for a missing file, a malformed IDX file, or images and labels that
     *                     disagree in count or have a label outside 0..9
     */
    public static Split load(Path dir, int maxTrain, int maxTest) throws IOException {
        Dataset train = pair(open(dir, "train-images-idx3-ubyte"), open(dir, "train-labels-idx1-ubyte"), maxTrain);
        Dataset test = pair(open(dir, "t10k-images-idx3-ubyte"), open(dir, "t10k-labels-idx1-ubyte"), maxTest);
        return new Split(train, test, dir.toString());
    }

    /** The embedded subset: 5,000 training and 1,000 test images, 500 and 100 of each class. */
    public static Split embedded() throws IOException {
        Dataset train = pair(resource("train-images-idx3-ubyte.gz"), resource("train-labels-idx1-ubyte.gz"),
                Integer.MAX_VALUE);
        Dataset test = pair(resource("t10k-images-idx3-ubyte.gz"), resource("t10k-labels-idx1-ubyte.gz"),
                Integer.MAX_VALUE);
        return new Split(train, test, "embedded subset (5000 train + 1000 test)");
    }

    private static Idx open(Path dir, String base) throws IOException {
        for (String name : new String[] {base + ".gz", base}) {
            Path f = dir.resolve(name);
            if (Files.isRegularFile(f)) {
                return Idx.read(f);
            }
        }
        throw new IOException("neither " + base + ".gz nor " + base + " in " + dir);
    }

    private static Idx resource(String name) throws IOException {
        try (InputStream in = FashionMnist.class.getResourceAsStream(EMBEDDED + name)) {
            if (in == null) {
                throw new IOException("embedded resource " + EMBEDDED + name + " is missing from the jar");
            }
            return Idx.read(in, "embedded " + name);
        }
    }

    static Dataset pair(Idx images, Idx labels, int max) throws IdxFormatException {
        if (images.dimensions().length != 3) {
            throw new IdxFormatException("images must have 3 dimensions (n, rows, cols), got "
                    + Arrays.toString(images.dimensions()));
        }
        if (labels.dimensions().length != 1) {
            throw new IdxFormatException("labels must have 1 dimension, got " + Arrays.toString(labels.dimensions()));
        }
        if (images.items() != labels.items()) {
            throw new IdxFormatException(images.items() + " images but " + labels.items() + " labels");
        }
        int n = Math.min(images.items(), max), d = images.itemSize();
        float[] x = new float[n * d];
        byte[] px = images.data();
        for (int i = 0; i < x.length; i++) {
            x[i] = (px[i] & 0xff) / 255f;
        }
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = labels.data()[i] & 0xff;
            if (y[i] >= CLASSES) {
                throw new IdxFormatException("label " + i + " is " + y[i] + ", not in 0.." + (CLASSES - 1));
            }
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
