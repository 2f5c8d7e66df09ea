package dev.simdgrad.kernels.internal.agg;

/** Per-thread scratch of the aggregation kernels: grown on demand, never shrunk, so steady state allocates nothing. */
public final class Scratch {
    private static final ThreadLocal<Scratch> LOCAL = ThreadLocal.withInitial(Scratch::new);

    private int[] keys = new int[0];
    private float[] floats = new float[0];
    private float[] column = new float[0];
    private float[] tile = new float[0];
    private float[] xTile = new float[0];
    private float[] shared = new float[0];
    private double[] doubles = new double[0];
    /** The last plan made on this thread (plans are immutable). */
    Plan lastPlan;

    /** This thread's scratch. */
    public static Scratch get() {
        return LOCAL.get();
    }

    /** Network buffer: one int key vector per input. */
    public int[] keys(int size) {
        if (keys.length < size) {
            keys = new int[size];
        }
        return keys;
    }

    /** Small float buffer (thresholds, flags). */
    public float[] floats(int size) {
        if (floats.length < size) {
            floats = new float[size];
        }
        return floats;
    }

    /** One coordinate's values, for the scalar path. */
    public float[] column(int size) {
        if (column.length < size) {
            column = new float[size];
        }
        return column;
    }

    /** A packed block of an explicit matrix, or the generated tail columns of a fused aggregation. */
    public float[] tile(int size) {
        if (tile.length < size) {
            tile = new float[size];
        }
        return tile;
    }

    /** The copied B x tile block of X of a fused aggregation. */
    public float[] xTile(int size) {
        if (xTile.length < size) {
            xTile = new float[size];
        }
        return xTile;
    }

    /** Double accumulators. */
    public double[] doubles(int size) {
        if (doubles.length < size) {
            doubles = new double[size];
        }
        return doubles;
    }

    /** A buffer the caller fills before a parallel run and the workers read (transposed deltas, scaled rows). */
    public float[] shared(int size) {
        if (shared.length < size) {
            shared = new float[size];
        }
        return shared;
    }
}
