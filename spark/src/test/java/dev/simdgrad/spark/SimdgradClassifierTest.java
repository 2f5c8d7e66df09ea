package dev.simdgrad.spark;

import dev.simdgrad.nn.Activation;
import dev.simdgrad.nn.DenseNetwork;
import dev.simdgrad.nn.SoftmaxCrossEntropy;
import dev.simdgrad.nn.data.Dataset;
import dev.simdgrad.nn.optim.LossGradient;
import dev.simdgrad.nn.optim.Sgd;
import dev.simdgrad.nn.optim.Trainer;
import dev.simdgrad.nn.strategy.Mean;
import dev.simdgrad.nn.strategy.Winsorize;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The estimator on one shared local session (2 cores, one retry per task for the fault test). */
class SimdgradClassifierTest {
    private static SparkSession spark;

    @BeforeAll
    static void start() {
        spark = Frames.session("local[2,2]");
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    @AfterEach
    void clearHook() {
        DataParallelTrainer.faultHook = null;
    }

    private static SimdgradClassifier small() {
        return new SimdgradClassifier().setLayers(new int[]{784, 16, 10}).setActivation("relu").setBatchSize(50)
                .setEpochs(2).setSeed(7).setLearningRate(0.1);
    }

    private static float[] parameters(SimdgradClassificationModel m) {
        return m.network().parameters();
    }

    private static double accuracy(SimdgradClassificationModel m, org.apache.spark.sql.Dataset<Row> data) {
        return new MulticlassClassificationEvaluator().setMetricName("accuracy").evaluate(m.transform(data));
    }

    @Test
    void oneWorkerIsBitwiseTheSingleMachineTrainer() {
        // {strategy, n, B, K, dropLast}: a partial last batch and K not dividing the epoch; an order statistic
        record Case(String strategy, int n, int batch, int k, boolean dropLast) {
        }
        for (Case c : List.of(new Case("mean", 310, 64, 4, false), new Case("winsorize:1", 300, 50, 3, true))) {
            Dataset data = Frames.fashion(c.n());
            DenseNetwork net = DenseNetwork.builder().widths(784, 16, 10).activation(Activation.RELU).build(7);
            Trainer trainer = Trainer.of(net, new LossGradient(new SoftmaxCrossEntropy(),
                            c.strategy().equals("mean") ? new Mean() : new Winsorize(1)), Sgd.plain(0.1))
                    .batch(c.batch()).seed(7).dropLast(c.dropLast());
            for (int e = 0; e < 2; e++) {
                trainer.epoch(data);
            }
            SimdgradClassificationModel model = small().setNumWorkers(1).setStrategy(c.strategy())
                    .setBatchSize(c.batch()).setLocalSteps(c.k()).setDropLast(c.dropLast())
                    .fit(Frames.frame(spark, data, 3));
            assertArrayEquals(net.parameters(), parameters(model), c.toString());
        }
    }

    @Test
    void fitsAndTransformsInAPipelineAndSavesThroughSparkMl(@TempDir Path dir) throws Exception {
        org.apache.spark.sql.Dataset<Row> data = Frames.frame(spark, Frames.fashion(400), 2);
        SimdgradClassifier clf = small().setNumWorkers(4).setBatchSize(20).setLocalSteps(5).setAggregator("median")
                .setEpochs(6);
        PipelineModel pipeline = new Pipeline().setStages(new PipelineStage[]{clf}).fit(data);
        SimdgradClassificationModel model = (SimdgradClassificationModel) pipeline.stages()[0];
        List<Row> out = pipeline.transform(data).select("rawPrediction", "probability", "prediction").collectAsList();
        assertEquals(400, out.size());
        for (Row r : out.subList(0, 20)) {
            Vector p = r.getAs(1);
            double sum = 0;
            for (double v : p.toArray()) {
                sum += v;
            }
            assertEquals(1.0, sum, 1e-9);
            assertEquals(((Vector) r.getAs(0)).argmax(), (int) r.getDouble(2));
            assertEquals(p.argmax(), (int) r.getDouble(2));
        }
        double acc = accuracy(model, data);
        assertTrue(acc > 0.45, "train accuracy " + acc);   // chance: 0.1

        // Spark ML: the pipeline (with our model inside) and the estimator, saved and loaded
        pipeline.write().overwrite().save(dir.resolve("pipeline").toString());
        PipelineModel loaded = PipelineModel.load(dir.resolve("pipeline").toString());
        SimdgradClassificationModel back = (SimdgradClassificationModel) loaded.stages()[0];
        assertArrayEquals(parameters(model), parameters(back));
        assertEquals(model.uid(), back.uid());
        assertEquals(pipeline.transform(data).select("prediction").collectAsList(),
                loaded.transform(data).select("prediction").collectAsList());
        clf.write().overwrite().save(dir.resolve("estimator").toString());
        SimdgradClassifier clfBack = SimdgradClassifier.load(dir.resolve("estimator").toString());
        assertEquals("median", clfBack.getAggregator());
        assertArrayEquals(new int[]{784, 16, 10}, clfBack.getLayers());

        // the simdgrad model file
        Path file = dir.resolve("model.sgnn");
        model.saveModelFile(file);
        assertArrayEquals(parameters(model), parameters(SimdgradClassificationModel.fromModelFile(file)));
    }

    @Test
    void sparseFeaturesAndIntegerLabelsTrainAsTheirDenseDoubles() {
        Dataset d = Frames.fashion(150);
        List<Row> sparse = new ArrayList<>();
        for (Row r : Frames.frame(spark, d, 1).collectAsList()) {
            sparse.add(RowFactory.create(((Vector) r.get(0)).toSparse(), (int) r.getDouble(1)));
        }
        StructType schema = new StructType().add("features", org.apache.spark.ml.linalg.SQLDataTypes.VectorType())
                .add("label", DataTypes.IntegerType);
        org.apache.spark.sql.Dataset<Row> sparseFrame = spark.createDataFrame(
                org.apache.spark.api.java.JavaSparkContext.fromSparkContext(spark.sparkContext()).parallelize(sparse, 3), schema);
        SimdgradClassifier clf = small().setNumWorkers(2);
        float[] dense = parameters(clf.fit(Frames.frame(spark, d, 3)));
        assertArrayEquals(dense, parameters(clf.fit(sparseFrame)));
        assertArrayEquals(dense, parameters(LockstepFits.fit(clf, sparseFrame,
                List.of(new LockstepFits.Arm("mean", "none", 0))).getFirst().model()));
    }

    @Test
    void badInputIsNamedBeforeTraining() {
        org.apache.spark.sql.Dataset<Row> good = Frames.frame(spark, Frames.fashion(40), 2);
        assertMessage(() -> small().setFeaturesCol("pixels").fit(good), "pixels");
        assertMessage(() -> small().fit(good.withColumn("label", good.col("label").cast("string"))), "label");
        assertMessage(() -> small().fit(good.withColumnRenamed("features", "x")
                .withColumn("features", org.apache.spark.sql.functions.lit("a"))), "features");
        assertMessage(() -> small().setLayers(new int[]{784, 16, 5}).fit(good), "not a class in 0..4");
        assertMessage(() -> small().setLayers(new int[]{100, 16, 10}).fit(good), "input width");
        assertMessage(() -> small().fit(withRow(good, Vectors.dense(nanFeatures()), 1.0)), "feature 3 is NaN");
        // two bad rows, one for each worker, in the input's last partition: the first is named, by its global index
        assertMessage(() -> small().setNumWorkers(2).fit(withRow(withRow(good, Vectors.dense(nanFeatures()), 1.0),
                Vectors.dense(new double[784]), 12.0)), "row 40 of the training data");
        assertMessage(() -> small().setNumWorkers(2).fit(withRow(withRow(good, Vectors.dense(new double[784]), 1.0),
                Vectors.dense(new double[784]), 12.0)), "row 41 of the training data (0-based, in its row order): the"
                + " label 12.0");
        assertMessage(() -> small().setNumWorkers(4).setAggregator("krum:1").fit(good), "W >= 2f + 3");
        assertMessage(() -> small().setNumWorkers(6).setAggregator("bulyan:1").fit(good), "W >= 4f + 3");
        assertMessage(() -> small().setNumWorkers(3).setByzantineWorkers(4).fit(good), "byzantineWorkers=4");
        assertMessage(() -> small().setNumWorkers(41).fit(good), "worker 40 has no examples");
        assertMessage(() -> small().setNumWorkers(2).setStrategy("winsorize:8").setBatchSize(15).fit(good),
                "winsorize:8");
        // a source whose rows change from one read to the next: all kept when counted, none when read
        READS.set(0);
        org.apache.spark.sql.expressions.UserDefinedFunction firstReadOnly = org.apache.spark.sql.functions.udf(
                (org.apache.spark.sql.api.java.UDF1<Double, Boolean>) l -> READS.incrementAndGet() <= 40,
                org.apache.spark.sql.types.DataTypes.BooleanType).asNondeterministic();
        assertMessage(() -> small().fit(good.where(firstReadOnly.apply(good.col("label")))),
                "not the same from one read to the next");
        assertMessage(() -> small().setStrategy("rm3"), "history");
        assertMessage(() -> small().setAggregator("krum"), "krum:f");
        assertMessage(() -> small().setAttack("flip"), "unknown attack");
    }

    /** Rows read through {@code firstReadOnly} (a nondeterministic filter) in this JVM (local mode). */
    private static final java.util.concurrent.atomic.AtomicLong READS = new java.util.concurrent.atomic.AtomicLong();

    private static double[] nanFeatures() {
        double[] x = new double[784];
        x[3] = Double.NaN;
        return x;
    }

    private static org.apache.spark.sql.Dataset<Row> withRow(org.apache.spark.sql.Dataset<Row> data, Vector x,
                                                            double label) {
        List<Row> extra = new ArrayList<>(List.of(RowFactory.create(x, label)));
        return data.union(spark.createDataFrame(extra, Frames.SCHEMA));
    }

    private static void assertMessage(org.junit.jupiter.api.function.Executable e, String expected) {
        IllegalArgumentException x = assertThrows(IllegalArgumentException.class, e);
        assertTrue(x.getMessage().contains(expected), "message '" + x.getMessage() + "' should name " + expected);
    }

    @Test
    void byzantineWorkersBreakTheMeanButNotKrum() {
        org.apache.spark.sql.Dataset<Row> data = Frames.frame(spark, Frames.fashion(400), 2);
        SimdgradClassifier attacked = small().setNumWorkers(5).setByzantineWorkers(1).setAttack("scaled:-20")
                .setBatchSize(20).setLocalSteps(4).setEpochs(4);
        double mean = accuracy(attacked.copy(new org.apache.spark.ml.param.ParamMap()).setAggregator("mean")
                .fit(data), data);
        SimdgradClassificationModel krum = attacked.setAggregator("krum:1").fit(data);
        double robust = accuracy(krum, data);
        assertEquals(1, krum.byzantineWorkers().length);
        assertTrue(robust > 0.35 && robust > mean + 0.2, "krum " + robust + ", mean " + mean);
    }

    @Test
    void aRetriedTaskChangesNothing() {
        org.apache.spark.sql.Dataset<Row> data = Frames.frame(spark, Frames.fashion(200), 2);
        SimdgradClassifier clf = small().setNumWorkers(3).setLocalSteps(2).setAggregator("trimmedMean:1");
        float[] plain = parameters(clf.fit(data));
        java.util.concurrent.atomic.AtomicInteger injected = new java.util.concurrent.atomic.AtomicInteger();
        DataParallelTrainer.faultHook = (round, worker, attempt) ->
                round == 1 && worker == 1 && attempt == 0 && injected.incrementAndGet() > 0;
        assertArrayEquals(plain, parameters(clf.fit(data)));
        assertEquals(1, injected.get(), "the failure was injected once and the task retried");
        // W defaults to the input's partitions (3 here)
        assertArrayEquals(plain, parameters(small().setLocalSteps(2).setAggregator("trimmedMean:1")
                .fit(Frames.frame(spark, Frames.fashion(200), 3))));
    }

    @Test
    void resumesFromACheckpointBitwise(@TempDir Path dir) {
        org.apache.spark.sql.Dataset<Row> data = Frames.frame(spark, Frames.fashion(200), 2);
        SimdgradClassifier clf = small().setNumWorkers(2).setLocalSteps(1).setEpochs(2);
        float[] uninterrupted = parameters(clf.fit(data));
        clf.setCheckpointDir(dir.toString()).setCheckpointInterval(2);
        DataParallelTrainer.faultHook = (round, worker, attempt) -> round == 3;   // every attempt: the fit fails
        assertThrows(Exception.class, () -> clf.fit(data));
        DataParallelTrainer.faultHook = null;
        SimdgradClassificationModel resumed = clf.fit(data);
        assertEquals(0.0, resumed.trainingLoss()[0], "rounds 0 and 1 come from the checkpoint");
        assertArrayEquals(uninterrupted, parameters(resumed));
        assertFalse(resumed.trainingLoss()[3] == 0.0);
    }

    @Test
    void trainEntryPointReadsLibsvmAndWritesBothFormats(@TempDir Path dir) throws Exception {
        Dataset data = Frames.fashion(120);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < data.size(); i++) {
            sb.append(data.label(i));
            for (int j = 0; j < data.features(); j++) {
                if (data.x(i, j) != 0) {
                    sb.append(' ').append(j + 1).append(':').append(data.x(i, j));
                }
            }
            sb.append('\n');
        }
        Path file = dir.resolve("train.libsvm");
        java.nio.file.Files.writeString(file, sb);
        java.io.ByteArrayOutputStream text = new java.io.ByteArrayOutputStream();
        SimdgradClassificationModel m = Train.run(spark, new String[]{"data=" + file, "layers=784,8,10",
                "workers=2", "localSteps=2", "batchSize=30", "epochs=1", "aggregator=median", "seed=4",
                "out=" + dir.resolve("model"), "modelFile=" + dir.resolve("model.sgnn")},
                new java.io.PrintStream(text, true, java.nio.charset.StandardCharsets.UTF_8));
        assertTrue(text.toString(java.nio.charset.StandardCharsets.UTF_8).contains("training accuracy"), text::toString);
        assertArrayEquals(parameters(m), parameters(SimdgradClassificationModel.load(dir.resolve("model").toString())));
        assertArrayEquals(parameters(m), parameters(SimdgradClassificationModel.fromModelFile(dir.resolve("model.sgnn"))));
        assertMessage(() -> Train.run(spark, new String[]{"layers=784,10"}, System.out), "data");
    }

    @Test
    void mllibBenchmarkRunsBothLibrariesAndMeasuresRounds() throws java.io.IOException {
        // Borrows this class's session (LocalSession leaves an active session running).
        MllibBenchmark.Result r = MllibBenchmark.run(new MllibBenchmark.Config(200, 100, 8, 1, 1, 64, List.of(2),
                List.of(1), "local[2]"), dev.simdgrad.experiments.ProgressSink.NONE);
        assertEquals(7, r.lines().size());
        assertEquals(2, r.lines().stream().filter(l -> l.library().equals("MLlib")).count());
        for (MllibBenchmark.Line l : r.lines()) {
            assertTrue(l.secondsPerEpoch().mean() > 0 && l.testAccuracy() >= 0 && l.testAccuracy() <= 1,
                    l.toString());
        }
        assertEquals(6, r.toTarget().size(), "every method but the job per round");
        assertEquals(r.lines().getFirst().testAccuracy(), r.toTarget().getFirst().target());
        assertEquals(1, r.toTarget().getFirst().epochs(), "l-bfgs reaches its own accuracy (1 epoch here)");
                assertEquals(List.of("job", "barrier"), r.overheads().stream().map(MllibBenchmark.Overhead::roundMode)
                .toList(), "W = 2 fits the two slots: both modes measured");
        for (MllibBenchmark.Overhead o : r.overheads()) {
            assertEquals(2, o.workers());
            assertTrue(o.rounds() >= 1 && o.wallMs() > 0 && o.computeMs() > 0, o.toString());
        }
        assertTrue(!spark.sparkContext().isStopped(), "a borrowed session stays running");
    }

    @Test
    void predictRawRejectsAWrongWidth() {
        SimdgradClassificationModel m = SimdgradClassificationModel.of(
                DenseNetwork.builder().widths(4, 3).build(1));
        assertEquals(3, m.predictRaw(Vectors.dense(1, 2, 3, 4)).size());
        assertThrows(IllegalArgumentException.class, () -> m.predictRaw(Vectors.dense(1, 2)));
        StructType s = new StructType().add("features", DataTypes.StringType);
        assertThrows(IllegalArgumentException.class, () -> m.transformSchema(s));
    }
}
