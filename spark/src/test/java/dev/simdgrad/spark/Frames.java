package dev.simdgrad.spark;

import dev.simdgrad.nn.data.Dataset;
import dev.simdgrad.nn.data.FashionMnist;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;

import java.io.IOException;
import java.io.UncheckedIOException;

/** Test data: the embedded Fashion-MNIST subset as nn datasets and as Spark frames in the same row order. */
final class Frames {
    private static Dataset train;

    private Frames() {
    }

    /** A local session for tests: no UI, few shuffle partitions, quiet. */
    static SparkSession session(String master) {
        return session(master, java.util.Map.of());
    }

    /** As {@link #session(String)}, with these Spark settings added. */
    static SparkSession session(String master, java.util.Map<String, String> conf) {
        SparkSession.Builder b = SparkSession.builder();
        conf.forEach(b::config);
        SparkSession s = b.master(master).appName("simdgrad-spark-test")
                .config("spark.ui.enabled", "false")
                .config("spark.sql.shuffle.partitions", "4")
                .config("spark.default.parallelism", "4")
                .config("spark.driver.host", "127.0.0.1")
                .config("spark.driver.bindAddress", "127.0.0.1")
                .getOrCreate();
        s.sparkContext().setLogLevel(System.getProperty("simdgrad.spark.log", "ERROR"));
        return s;
    }

    /** The first n training examples of the embedded Fashion-MNIST subset. */
    static synchronized Dataset fashion(int n) {
        if (train == null) {
            try {
                train = FashionMnist.embedded().train();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return train.head(n);
    }

    static final StructType SCHEMA = DataFrames.SCHEMA;

    /** {@code data} as a frame (features, label) in its own row order, over {@code partitions} partitions. */
    static org.apache.spark.sql.Dataset<Row> frame(SparkSession s, Dataset data, int partitions) {
        return DataFrames.of(s, data, partitions);
    }
}
