package dev.simdgrad.spark;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.util.ArrayData;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;

/**
 * The (features, label) of every row of a fit's input, read through one query plan as Spark SQL's internal rows.
 *
 * <p>Why internal rows: a fit reads its input twice (the rows per partition, then the examples) and also needs its
 * number of partitions; every {@code Dataset.javaRDD()} or {@code rdd()} plans the query again (40-50 ms each in the
 * MLlib comparison's fits on our 2-core machine, three per fit before) and turns each row into a {@code Row} holding
 * a {@code DenseVector} of doubles. Here the query is planned once, the count reads no field, and an example's floats
 * are read straight from the vector's stored values.
 *
 * <p>A features value is stored as {@code VectorUDT}'s SQL struct (type: 0 sparse, 1 dense; size; indices; values),
 * the layout Spark ML has kept since 2.0; a sparse vector becomes dense here. The label is cast to double in the
 * query (a fit's label column may be any numeric type). Internal rows may be reused by the iterator that returns
 * them, so {@link #example} copies what it needs at once.
 */
final class InputRows {
    final JavaRDD<InternalRow> rdd;

    private InputRows(JavaRDD<InternalRow> rdd) {
        this.rdd = rdd;
    }

    /** The features and label columns of {@code data} (columns already checked by the caller). */
    static InputRows of(Dataset<?> data, String featuresCol, String labelCol) {
        return new InputRows(data.select(functions.col(featuresCol),
                functions.col(labelCol).cast(DataTypes.DoubleType)).queryExecution().toRdd().toJavaRDD());
    }

    int partitions() {
        return rdd.getNumPartitions();
    }

    /** A row's example: its features as floats (null if missing) and its label (NaN if missing). */
    static Shard.Example example(InternalRow row) {
        float[] x = row.isNullAt(0) ? null : features(row.getStruct(0, 4));
        return new Shard.Example(x, row.isNullAt(1) ? Double.NaN : row.getDouble(1));
    }

    /** A {@code VectorUDT} struct as dense floats. */
    private static float[] features(InternalRow v) {
        ArrayData values = v.getArray(3);
        if (v.getByte(0) == 1) {   // dense: the values are the vector
            int n = values.numElements();
            float[] x = new float[n];
            for (int j = 0; j < n; j++) {
                x[j] = (float) values.getDouble(j);
            }
            return x;
        }
        float[] x = new float[v.getInt(1)];
        ArrayData indices = v.getArray(2);
        for (int k = 0; k < indices.numElements(); k++) {
            x[indices.getInt(k)] = (float) values.getDouble(k);
        }
        return x;
    }
}
