package dev.simdgrad.spark;

import dev.simdgrad.nn.DenseNetwork;
import dev.simdgrad.nn.Workspace;
import dev.simdgrad.nn.data.Batch;
import dev.simdgrad.nn.io.ModelFile;
import org.apache.spark.ml.classification.ProbabilisticClassificationModel;
import org.apache.spark.ml.linalg.DenseVector;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWriter;
import org.apache.spark.ml.util.Identifiable$;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A trained simdgrad network as a Spark ML classification model: {@code transform} adds {@code rawPrediction} (the
 * network's k outputs, the logits), {@code probability} (their softmax) and {@code prediction} (the class of largest
 * probability, or by {@code thresholds} as in MLlib), like {@code MultilayerPerceptronClassificationModel}. A feature
 * vector must have the network's input width ({@link #numFeatures()}); it is rounded to float, as in training.
 *
 * <p><b>Saving.</b> {@link #write()} saves through Spark ML (so the model works inside a saved
 * {@code PipelineModel}): the params as Spark ML metadata, and the network as one simdgrad model file (nn's
 * {@link ModelFile} format: architecture, parameters, CRC-32) stored in a one-row Parquet table under
 * {@code path/data}, on any file system Spark writes to. {@link #saveModelFile} and {@link #fromModelFile} read and
 * write that file directly, for the single-machine tools ({@code ./simdgrad}, nn).
 *
 * <p>Cost of {@code transform}: one forward pass per row (2 x the parameter count flops), with one workspace per
 * thread.
 */
public final class SimdgradClassificationModel
        extends ProbabilisticClassificationModel<Vector, SimdgradClassificationModel> implements MLWritable {
    private static final long serialVersionUID = 1L;

    private final String uid;
    private final PortableArchitecture architecture;
    private final float[] parameters;
    private final double[] roundLoss;
    private final int[] byzantine;
    // Built on first use in each JVM (a model travels to the executors without them); volatile for the lazy init.
    private transient volatile DenseNetwork net;
    private transient volatile ThreadLocal<Workspace> workspaces;

    SimdgradClassificationModel(String uid, DenseNetwork net, double[] roundLoss, int[] byzantine) {
        this.uid = uid;   // before super(): the inherited params read uid() while they are built
        super();
        this.architecture = PortableArchitecture.of(net.architecture());
        this.parameters = net.parameters().clone();
        this.roundLoss = roundLoss.clone();
        this.byzantine = byzantine.clone();
    }

    /**
     * A model of {@code net} (its parameters copied), as if trained by a {@link SimdgradClassifier} with default
     * params; for a network trained elsewhere, e.g. by nn's {@code Trainer}.
     */
    public static SimdgradClassificationModel of(DenseNetwork net) {
        return new SimdgradClassificationModel(Identifiable$.MODULE$.randomUID("simdgrad"), net, new double[0],
                new int[0]);
    }

    /**
     * Reads a simdgrad model file (nn's {@link ModelFile}, any depth).
     *
     * @throws IOException naming the file if it cannot be read or is not a valid model file
     */
    public static SimdgradClassificationModel fromModelFile(Path file) throws IOException {
        return of(ModelFile.loadNetwork(file));
    }

    /**
     * Writes the network as a simdgrad model file, atomically ({@link ModelFile#save}).
     *
     * @throws IOException naming the file if it cannot be written
     */
    public void saveModelFile(Path file) throws IOException {
        ModelFile.save(network(), file);
    }

    /** The unique id of this stage. */
    @Override
    public String uid() {
        return uid;
    }

    /** A copy of the trained network. */
    public DenseNetwork network() {
        return DenseNetwork.fromParameters(architecture.architecture(), parameters);
    }

    /**
     * Per training round, the mean over the workers of their mean batch loss (0 for rounds restored from a
     * checkpoint; empty for a loaded model).
     */
    public double[] trainingLoss() {
        return roundLoss.clone();
    }

    /** The workers that were Byzantine during training (empty for none or a loaded model). */
    public int[] byzantineWorkers() {
        return byzantine.clone();
    }

    /** k, the network's output width. */
    @Override
    public int numClasses() {
        return architecture.outputs()[architecture.outputs().length - 1];
    }

    /** n0, the network's input width. */
    @Override
    public int numFeatures() {
        return architecture.inputs()[0];
    }

    private DenseNetwork net() {
        DenseNetwork n = net;
        if (n == null) {
            synchronized (this) {
                if (net == null) {
                    DenseNetwork built = DenseNetwork.fromParameters(architecture.architecture(), parameters);
                    workspaces = ThreadLocal.withInitial(() -> built.workspace(1));   // before net: readers test net
                    net = built;
                }
                n = net;
            }
        }
        return n;
    }

    /**
     * The network's outputs (logits) for one feature vector.
     *
     * @throws IllegalArgumentException if the vector's length is not {@link #numFeatures()}
     */
    @Override
    public Vector predictRaw(Vector features) {
        int d = numFeatures(), k = numClasses();
        if (features.size() != d) {
            throw new IllegalArgumentException("features has " + features.size() + " entries, the network expects "
                    + d);
        }
        DenseNetwork n = net();
        float[] x = new float[d];
        features.foreachActive((j, v) -> {
            x[(Integer) j] = (float) (double) (Double) v;
            return scala.runtime.BoxedUnit.UNIT;
        });
        Workspace ws = workspaces.get();
        n.forward(Batch.of(dev.simdgrad.nn.data.Dataset.classification(1, d, x, new int[1], k)), ws);
        float[] z = ws.outputs();
        double[] raw = new double[k];
        for (int c = 0; c < k; c++) {
            raw[c] = z[c];
        }
        return Vectors.dense(raw);
    }

    /** Softmax of the logits, in place (shifted by the maximum, so no overflow). */
    @Override
    public Vector raw2probabilityInPlace(Vector raw) {
        if (!(raw instanceof DenseVector dv)) {
            throw new IllegalArgumentException("rawPrediction must be a dense vector, got " + raw.getClass());
        }
        double[] v = dv.values();
        double max = Double.NEGATIVE_INFINITY, sum = 0;
        for (double e : v) {
            max = Math.max(max, e);
        }
        for (int i = 0; i < v.length; i++) {
            v[i] = Math.exp(v[i] - max);
            sum += v[i];
        }
        for (int i = 0; i < v.length; i++) {
            v[i] /= sum;
        }
        return dv;
    }

    /** A copy with the same uid, network and params, overridden by {@code extra}. */
    @Override
    public SimdgradClassificationModel copy(ParamMap extra) {
        SimdgradClassificationModel m = new SimdgradClassificationModel(uid, network(), roundLoss, byzantine);
        return copyValues(m, extra).setParent(parent());
    }

    /**
     * Spark's own (for its training summaries); restated only because Java sees the Scala method twice, with two
     * generic return types.
     */
    @Override
    @SuppressWarnings({"rawtypes", "unchecked"})
    public scala.Tuple3 findSummaryModel() {
        return super.findSummaryModel();
    }

    /** A writer that saves the params as Spark ML metadata and the network as a model file (see the class comment). */
    @Override
    public MLWriter write() {
        return new Writer(this);
    }

    /** The reader of models saved with {@link #write()}. */
    public static MLReader<SimdgradClassificationModel> read() {
        return new Reader();
    }

    /** Loads a model saved with {@code write().save(path)}. */
    public static SimdgradClassificationModel load(String path) {
        return read().load(path);
    }

    @Override
    public String toString() {
        return "SimdgradClassificationModel: uid=" + uid + ", " + architecture.architecture();
    }

    /** The model file's bytes (through a temporary file: ModelFile writes to a path). */
    private static byte[] modelFileBytes(DenseNetwork net) {
        try {
            Path tmp = Files.createTempFile("simdgrad-model", ".sgnn");
            try {
                ModelFile.save(net, tmp);
                return Files.readAllBytes(tmp);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serialize the network", e);
        }
    }

    private static DenseNetwork fromModelFileBytes(byte[] bytes, String where) {
        try {
            Path tmp = Files.createTempFile("simdgrad-model", ".sgnn");
            try {
                Files.write(tmp, bytes);
                return ModelFile.loadNetwork(tmp);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the simdgrad model file stored in " + where, e);
        }
    }

    /** Spark ML metadata (params) plus the model file in {@code path/data}. */
    private static final class Writer extends MLWriter {
        private final SimdgradClassificationModel instance;

        Writer(SimdgradClassificationModel instance) {
            this.instance = instance;
        }

        @Override
        public void saveImpl(String path) {
            DefaultParamsWriter.saveMetadata(instance, path, sparkSession());
            Row row = RowFactory.create((Object) modelFileBytes(instance.network()));
            StructType schema = new StructType().add("modelFile", DataTypes.BinaryType, false);
            sparkSession().createDataFrame(List.of(row), schema).repartition(1).write()
                    .parquet(new org.apache.hadoop.fs.Path(path, "data").toString());
        }
    }

    private static final class Reader extends MLReader<SimdgradClassificationModel> {
        @Override
        public SimdgradClassificationModel load(String path) {
            DefaultParamsReader.Metadata metadata = DefaultParamsReader.loadMetadata(path, sparkSession(),
                    SimdgradClassificationModel.class.getName());
            String data = new org.apache.hadoop.fs.Path(path, "data").toString();
            Row row = sparkSession().read().parquet(data).select("modelFile").head();
            DenseNetwork net = fromModelFileBytes(row.getAs(0), data);
            SimdgradClassificationModel model = new SimdgradClassificationModel(metadata.uid(), net, new double[0],
                    new int[0]);
            metadata.getAndSetParams(model, metadata.getAndSetParams$default$2());
            return model;
        }
    }
}
