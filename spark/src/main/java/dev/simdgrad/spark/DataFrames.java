package dev.simdgrad.spark;

import dev.simdgrad.nn.data.Dataset;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * An nn dataset as the DataFrame Spark ML estimators take ({@code features}: a dense vector, {@code label}: the class
 * index as a double), in the dataset's row order, split into partitions as {@code parallelize} splits a list (partition
 * p holds rows {@code p n / P} up to {@code (p + 1) n / P}).
 *
 * <p>The examples reach the tasks as one broadcast, not inside the partitions: a frame made by {@code parallelize}
 * carries its rows in every task of every job that reads it, even after it is cached (the cached partitions still
 * name their parents), which on our 2-core machine made every job over the 5,000-image MLlib comparison's frame
 * serialize 15 MB of doubles (measured: a job counting its rows 87-108 ms, against 24-46 ms over the same rows read
 * from Parquet, which users' frames are). Cost: one copy of the n x d features as floats on the driver,
 * held by the broadcast for the life of the Spark context (a frame may be read again at any time, so nothing here can
 * tell when it may go: for many frames over one session, read them from files instead); rows are made in the tasks
 * as they are read.
 */
public final class DataFrames {
    /** features: a vector, label: a double. */
    public static final StructType SCHEMA = new StructType()
            .add("features", SQLDataTypes.VectorType())
            .add("label", DataTypes.DoubleType);

    private DataFrames() {
    }

    /** The examples the tasks read: n x d features (row-major) and the labels. */
    private record Examples(int n, int d, float[] x, int[] labels) implements Serializable {
    }

    /**
     * {@code data} (labelled) as a frame over {@code partitions} partitions.
     *
     * @throws IllegalArgumentException if {@code partitions < 1} or the dataset has no labels
     */
    public static org.apache.spark.sql.Dataset<Row> of(SparkSession s, Dataset data, int partitions) {
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions = " + partitions + ": need at least 1");
        }
        if (!data.hasLabels()) {
            throw new IllegalArgumentException("the dataset has no labels (a frame here has a class label column)");
        }
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(s.sparkContext());
        Broadcast<Examples> examples = sc.broadcast(new Examples(data.size(), data.features(), data.inputs(),
                data.labels()));
        List<Integer> parts = new ArrayList<>(partitions);
        for (int p = 0; p < partitions; p++) {
            parts.add(p);
        }
        return s.createDataFrame(sc.parallelize(parts, partitions).mapPartitions(it -> {
            int p = it.next();
            Examples e = examples.value();
            return rows(e, (int) ((long) p * e.n() / partitions), (int) ((long) (p + 1) * e.n() / partitions));
        }, true), SCHEMA);
    }

    /** Rows {@code [from, to)} of the examples, made one by one. */
    private static Iterator<Row> rows(Examples e, int from, int to) {
        return new Iterator<>() {
            private int i = from;

            @Override
            public boolean hasNext() {
                return i < to;
            }

            @Override
            public Row next() {
                if (i >= to) {
                    throw new NoSuchElementException();
                }
                double[] x = new double[e.d()];
                for (int j = 0, o = i * e.d(); j < x.length; j++) {
                    x[j] = e.x()[o + j];
                }
                return RowFactory.create(Vectors.dense(x), (double) e.labels()[i++]);
            }
        };
    }
}
