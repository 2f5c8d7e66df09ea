package dev.simdgrad.spark;

import dev.simdgrad.nn.data.Dataset;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import java.util.ArrayList;
import java.util.List;

/**
 * An nn dataset as the DataFrame Spark ML estimators take ({@code features}: a dense vector, {@code label}: the class
 * index as a double), in the dataset's row order. Cost: one copy of the n x d features as doubles on the driver.
 */
public final class DataFrames {
    /** features: a vector, label: a double. */
    public static final StructType SCHEMA = new StructType()
            .add("features", SQLDataTypes.VectorType())
            .add("label", DataTypes.DoubleType);

    private DataFrames() {
    }

    /** {@code data} as a frame over {@code partitions} partitions. */
    public static org.apache.spark.sql.Dataset<Row> of(SparkSession s, Dataset data, int partitions) {
        List<Row> rows = new ArrayList<>(data.size());
        int d = data.features();
        for (int i = 0; i < data.size(); i++) {
            double[] x = new double[d];
            for (int j = 0; j < d; j++) {
                x[j] = data.x(i, j);
            }
            rows.add(RowFactory.create(Vectors.dense(x), (double) data.label(i)));
        }
        return s.createDataFrame(JavaSparkContext.fromSparkContext(s.sparkContext()).parallelize(rows, partitions),
                SCHEMA);
    }
}
