package dev.simdgrad.kernels;

/**
 * Argument checks shared by the public entry points, with messages in the style of {@link Sgemm}: which argument,
 * which bound, and the shape it belongs to. Every check runs before anything is written.
 */
final class Checks {
    private Checks() {
    }

    static void size(String name, int value, int min, String shape) {
        if (value < min) {
            throw new IllegalArgumentException(name + "=" + value + " must be >= " + min + " (" + shape + ")");
        }
    }

    static void ld(String name, int ld, int cols, String matrix, int rows) {
        if (ld < Math.max(1, cols)) {
            throw new IllegalArgumentException(name + "=" + ld + " < " + Math.max(1, cols) + " (" + matrix + " is "
                    + rows + "x" + cols + ")");
        }
    }

    /** A rows x cols row-major matrix at offset with leading dimension ld fits in x (rows, cols > 0). */
    static void matrix(String name, float[] x, int offset, int ld, String matrix, int rows, int cols) {
        matrix(name, x == null ? -1 : x.length, offset, ld, matrix, rows, cols);
    }

    /** A vector of length n at offset fits in x. */
    static void vector(String name, float[] x, int offset, int n, String what) {
        if (x == null) {
            throw new IllegalArgumentException(name + " is null but " + what + " (length " + n
                    + ") is read or written");
        }
        if (offset < 0) {
            throw new IndexOutOfBoundsException(name + "Offset=" + offset + " < 0");
        }
        if ((long) offset + n > x.length) {
            throw new IndexOutOfBoundsException(name + ".length=" + x.length + " is too short: " + what
                    + " has length " + n + " from " + name + "Offset=" + offset + ", last element " + name + "["
                    + ((long) offset + n - 1) + "]");
        }
    }

    /** Output range [oo, oo + on) of out must not overlap the input span of x (rows x cols at xo, ld). */
    static void disjoint(String outName, float[] out, int oo, long on, String inName, float[] x, int xo, int ld,
                         int rows, int cols) {
        if (out != x || on == 0 || rows == 0 || cols == 0) {
            return;
        }
        long xEnd = xo + (long) (rows - 1) * ld + cols;
        if (oo < xEnd && xo < oo + on) {
            throw new IllegalArgumentException(outName + " is the same array as " + inName
                    + " and their ranges overlap: " + inName + "[" + xo + ".." + (xEnd - 1) + "], " + outName + "["
                    + oo + ".." + (oo + on - 1) + "]");
        }
    }

    /** Output range [oo, oo + on) of out must not overlap [xo, xo + n) of x. */
    static void disjointVector(String outName, float[] out, int oo, long on, String inName, float[] x, int xo, int n) {
        disjoint(outName, out, oo, on, inName, x, xo, Math.max(1, n), 1, n);
    }

    /** Two output ranges of the same array must not overlap. */
    static void disjointOutputs(String aName, float[] a, int ao, long an, String bName, float[] b, int bo, long bn) {
        if (a != b || an == 0 || bn == 0) {
            return;
        }
        if (ao < bo + bn && bo < ao + an) {
            throw new IllegalArgumentException(aName + " and " + bName + " are the same array and their ranges"
                    + " overlap: " + aName + "[" + ao + ".." + (ao + an - 1) + "], " + bName + "[" + bo + ".."
                    + (bo + bn - 1) + "]");
        }
    }

    /** A rows x cols row-major double matrix at offset with leading dimension ld fits in x (rows, cols > 0). */
    static void matrix(String name, double[] x, int offset, int ld, String matrix, int rows, int cols) {
        matrix(name, x == null ? -1 : x.length, offset, ld, matrix, rows, cols);
    }

    /** The matrix check of an array of {@code length} elements, -1 for a null array. */
    private static void matrix(String name, int length, int offset, int ld, String matrix, int rows, int cols) {
        if (length < 0) {
            throw new IllegalArgumentException(name + " is null but " + matrix + " (" + rows + "x" + cols
                    + ") is read or written");
        }
        if (offset < 0) {
            throw new IndexOutOfBoundsException(name + "Offset=" + offset + " < 0");
        }
        if (rows == 0 || cols == 0) {
            return;
        }
        long last = offset + (long) (rows - 1) * ld + cols - 1;
        if (last >= length) {
            throw new IndexOutOfBoundsException(name + ".length=" + length + " is too short: " + matrix + " is "
                    + rows + "x" + cols + " with " + name + "Offset=" + offset + ", ld=" + ld + ", last element "
                    + name + "[" + last + "]");
        }
    }
}
