package dev.simdgrad.spark;

import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A {@code spark-submit} entry point: trains a {@link SimdgradClassifier} on a LIBSVM or Parquet file and saves the
 * model (Spark ML format, and optionally a simdgrad model file on the driver).
 *
 * <pre>
 * spark-submit --class dev.simdgrad.spark.Train --jars kernels.jar,nn.jar spark.jar \
 *     data=hdfs:///fashion/train.libsvm layers=784,64,10 workers=8 localSteps=4 batchSize=64 epochs=5 \
 *     strategy=winsorize:2 aggregator=krum:1 byzantine=1 attack=alie seed=1 out=hdfs:///models/fashion
 * </pre>
 *
 * Arguments are {@code key=value}: {@code data} (required), {@code format} ({@code libsvm}, the default, with
 * {@code layers[0]} features and labels 0..k-1, or {@code parquet} with {@code features} and {@code label} columns),
 * {@code layers} (required), {@code activation}, {@code workers}, {@code localSteps}, {@code batchSize},
 * {@code dropLast}, {@code learningRate}, {@code epochs}, {@code strategy}, {@code aggregator}, {@code byzantine},
 * {@code attack}, {@code seed}, {@code checkpointDir}, {@code checkpointInterval}, {@code learningRateSchedule},
 * {@code momentum}, {@code nesterov}, {@code weightDecay}, {@code roundMode}, {@code aggregationBlocks} (the params
 * of {@link SimdgradClassifier}), {@code out} (Spark ML model directory, overwritten), {@code modelFile} (a simdgrad
 * model file written on the driver). Prints the training accuracy and the per-round losses' first and last values.
 */
public final class Train {
    private Train() {
    }

    /**
     * Runs {@link #run} in a session from {@code spark-submit}'s settings.
     *
     * @throws IllegalArgumentException for a missing or unknown argument, or bad data
     */
    public static void main(String[] args) throws IOException {
        SparkSession spark = SparkSession.builder().appName("simdgrad-train").getOrCreate();
        try {
            run(spark, args, System.out);
        } finally {
            spark.stop();
        }
    }

    /**
     * Parses {@code args}, trains, saves, and prints a summary to {@code out}.
     *
     * @return the fitted model
     * @throws IllegalArgumentException for a missing or unknown argument, or bad data
     * @throws IOException              if the model cannot be written
     */
    public static SimdgradClassificationModel run(SparkSession spark, String[] args, PrintStream out)
            throws IOException {
        Map<String, String> a = new LinkedHashMap<>();
        for (String arg : args) {
            int eq = arg.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("argument '" + arg + "' is not key=value");
            }
            a.put(arg.substring(0, eq), arg.substring(eq + 1));
        }
        String data = required(a, "data"), format = a.getOrDefault("format", "libsvm");
        int[] layers = Arrays.stream(required(a, "layers").split(",")).map(String::strip)
                .mapToInt(Integer::parseInt).toArray();
        SimdgradClassifier clf = new SimdgradClassifier().setLayers(layers);
        for (Map.Entry<String, String> e : a.entrySet()) {
            String v = e.getValue();
            switch (e.getKey()) {
                case "data", "format", "layers", "out", "modelFile" -> {
                }
                case "activation" -> clf.setActivation(v);
                case "workers" -> clf.setNumWorkers(Integer.parseInt(v));
                case "localSteps" -> clf.setLocalSteps(Integer.parseInt(v));
                case "batchSize" -> clf.setBatchSize(Integer.parseInt(v));
                case "dropLast" -> clf.setDropLast(Boolean.parseBoolean(v));
                case "learningRate" -> clf.setLearningRate(Double.parseDouble(v));
                case "epochs" -> clf.setEpochs(Integer.parseInt(v));
                case "strategy" -> clf.setStrategy(v);
                case "aggregator" -> clf.setAggregator(v);
                case "byzantine" -> clf.setByzantineWorkers(Integer.parseInt(v));
                case "attack" -> clf.setAttack(v);
                case "seed" -> clf.setSeed(Long.parseLong(v));
                case "checkpointDir" -> clf.setCheckpointDir(v);
                case "checkpointInterval" -> clf.setCheckpointInterval(Integer.parseInt(v));
                case "learningRateSchedule" -> clf.setLearningRateSchedule(v);
                case "momentum" -> clf.setMomentum(Double.parseDouble(v));
                case "nesterov" -> clf.setNesterov(Boolean.parseBoolean(v));
                case "weightDecay" -> clf.setWeightDecay(Double.parseDouble(v));
                case "roundMode" -> clf.setRoundMode(v);
                case "aggregationBlocks" -> clf.setAggregationBlocks(Integer.parseInt(v));
                default -> throw new IllegalArgumentException("unknown argument '" + e.getKey() + "'");
            }
        }
        Dataset<Row> train = switch (format) {
            case "libsvm" -> spark.read().format("libsvm").option("numFeatures", layers[0]).load(data);
            case "parquet" -> spark.read().parquet(data);
            default -> throw new IllegalArgumentException("format '" + format + "': libsvm or parquet");
        };
        SimdgradClassificationModel model = clf.fit(train);
        double accuracy = new MulticlassClassificationEvaluator().setMetricName("accuracy")
                .evaluate(model.transform(train));
        double[] loss = model.trainingLoss();
        out.printf("trained %s on %s: %d rounds, loss %.4f -> %.4f, training accuracy %.4f, Byzantine workers %s%n",
                model.network().architecture(), data, loss.length, loss.length > 0 ? loss[0] : Double.NaN,
                loss.length > 0 ? loss[loss.length - 1] : Double.NaN, accuracy,
                Arrays.toString(model.byzantineWorkers()));
        if (a.containsKey("out")) {
            model.write().overwrite().save(a.get("out"));
            out.println("saved the model (Spark ML) to " + a.get("out"));
        }
        if (a.containsKey("modelFile")) {
            model.saveModelFile(Path.of(a.get("modelFile")));
            out.println("saved the simdgrad model file to " + a.get("modelFile"));
        }
        return model;
    }

    private static String required(Map<String, String> a, String key) {
        String v = a.get(key);
        if (v == null || v.isEmpty()) {
            throw new IllegalArgumentException("missing argument " + key + "=...");
        }
        return v;
    }
}
