package dev.simdgrad.spark;

import dev.simdgrad.nn.data.Dataset;
import dev.simdgrad.nn.data.FashionMnist;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.Model;
import org.apache.spark.ml.classification.MultilayerPerceptronClassifier;
import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * MLlib's {@code MultilayerPerceptronClassifier} beside {@link SimdgradClassifier} on the same data, network and
 * partitions: fit time, time per pass over the data, test accuracy. A first, indicative comparison, not a benchmark
 * harness: one run each, wall-clock time of {@code fit} (including Spark's job overhead, which both pay), after one
 * warm-up fit of each.
 *
 * <p>The two train differently, so "per epoch" means one pass over the training set: for MLlib one L-BFGS iteration
 * (its default solver: one distributed gradient of the whole set per iteration, plus line-search evaluations); for
 * simdgrad one epoch of minibatch SGD (n / (W B K) rounds of K steps on each of W workers, mean aggregation; K = 1
 * is synchronous SGD, larger K local SGD with fewer rounds).
 *
 * <pre>
 * spark-submit --class dev.simdgrad.spark.MllibComparison --jars kernels.jar,nn.jar spark.jar [epochs] [hidden] [K,K,...]
 * </pre>
 * Data: the embedded Fashion-MNIST subset (5,000 training, 1,000 test images).
 */
public final class MllibComparison {
    private MllibComparison() {
    }

    /**
     * One line of the comparison.
     *
     * @param method        which estimator and settings
     * @param passes        passes over the training set (MLlib: iterations; simdgrad: epochs)
     * @param fitSeconds    wall-clock time of fit
     * @param testAccuracy  accuracy on the test set
     */
    public record Line(String method, int passes, double fitSeconds, double testAccuracy) {
        /** Seconds per pass over the training set. */
        public double secondsPerPass() {
            return fitSeconds / passes;
        }
    }

    /** Runs the comparison on a session from spark-submit's settings and prints the table. */
    public static void main(String[] args) throws IOException {
        int epochs = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        int hidden = args.length > 1 ? Integer.parseInt(args[1]) : 64;
        int[] localSteps = args.length > 2 ? java.util.Arrays.stream(args[2].split(",")).mapToInt(Integer::parseInt)
                .toArray() : new int[]{1, 8};
        SparkSession spark = SparkSession.builder().appName("simdgrad-vs-mllib").getOrCreate();
        try {
            FashionMnist.Split split = FashionMnist.embedded();
            print(run(spark, split.train(), split.test(), hidden, epochs, spark.sparkContext().defaultParallelism(),
                    localSteps),
                    System.out);
        } finally {
            spark.stop();
        }
    }

    /**
     * Fits both (after a one-pass warm-up of each) on {@code train} with {@code partitions} partitions and evaluates
     * them on {@code test}.
     */
    public static List<Line> run(SparkSession spark, Dataset train, Dataset test, int hidden, int passes,
                                 int partitions, int... localSteps) {
        org.apache.spark.sql.Dataset<Row> tr = frame(spark, train, partitions).cache();
        org.apache.spark.sql.Dataset<Row> te = frame(spark, test, partitions).cache();
        tr.count();
        te.count();
        int[] layers = {train.features(), hidden, train.classes()};
        MultilayerPerceptronClassifier mllib = new MultilayerPerceptronClassifier().setLayers(layers).setSeed(1)
                .setTol(0).setBlockSize(128);
        SimdgradClassifier ours = new SimdgradClassifier().setLayers(layers).setNumWorkers(partitions)
                .setLocalSteps(1).setBatchSize(64).setLearningRate(0.1).setSeed(1);
        mllib.copy(new org.apache.spark.ml.param.ParamMap()).setMaxIter(1).fit(tr);   // warm-up
        ours.copy(new org.apache.spark.ml.param.ParamMap()).setEpochs(1).fit(tr);
        List<Line> lines = new ArrayList<>();
        lines.add(time("MLlib MultilayerPerceptronClassifier (l-bfgs)", passes, () -> mllib.setMaxIter(passes).fit(tr),
                te));
        for (int k : localSteps) {
            lines.add(time("simdgrad (W = " + partitions + ", K = " + k + ", B = 64, lr 0.1, mean)", passes,
                    () -> ours.setLocalSteps(k).setEpochs(passes).fit(tr), te));
        }
        tr.unpersist();
        te.unpersist();
        return lines;
    }

    private static Line time(String method, int passes, java.util.function.Supplier<Model<?>> fit,
                             org.apache.spark.sql.Dataset<Row> test) {
        long t0 = System.nanoTime();
        Model<?> m = fit.get();
        double seconds = (System.nanoTime() - t0) / 1e9;
        double acc = new MulticlassClassificationEvaluator().setMetricName("accuracy").evaluate(m.transform(test));
        return new Line(method, passes, seconds, acc);
    }

    /** Prints the table. */
    public static void print(List<Line> lines, PrintStream out) {
        out.printf("%-60s %7s %9s %10s %9s%n", "method", "passes", "fit (s)", "s / pass", "test acc");
        for (Line l : lines) {
            out.printf("%-60s %7d %9.2f %10.3f %9.4f%n", l.method(), l.passes(), l.fitSeconds(), l.secondsPerPass(),
                    l.testAccuracy());
        }
    }

    private static org.apache.spark.sql.Dataset<Row> frame(SparkSession s, Dataset data, int partitions) {
        StructType schema = new StructType().add("features", SQLDataTypes.VectorType())
                .add("label", DataTypes.DoubleType);
        List<Row> rows = new ArrayList<>(data.size());
        for (int i = 0; i < data.size(); i++) {
            double[] x = new double[data.features()];
            for (int j = 0; j < x.length; j++) {
                x[j] = data.x(i, j);
            }
            rows.add(RowFactory.create(Vectors.dense(x), (double) data.label(i)));
        }
        return s.createDataFrame(JavaSparkContext.fromSparkContext(s.sparkContext()).parallelize(rows, partitions),
                schema);
    }
}
