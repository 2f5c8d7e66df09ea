package dev.simdgrad.benchmarks;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One SGEMM problem as the benchmarks name it: {@code "TT:MxNxK"}, where the two letters say whether A and B are
 * stored transposed ({@code N} = as is, {@code T} = transposed), and M x N x K are the sizes of
 * {@code C (m x n) := op(A) (m x k) * op(B) (k x n)}. Examples: {@code "NN:1024x1024x1024"},
 * {@code "TN:784x256x512"} (A stored k x m).
 *
 * @param transA whether A is stored transposed (k x m)
 * @param transB whether B is stored transposed (n x k)
 * @param m      rows of C
 * @param n      columns of C
 * @param k      inner dimension
 */
public record GemmShape(boolean transA, boolean transB, int m, int n, int k) {
    private static final Pattern FORMAT =
            Pattern.compile("([NT])([NT]):(\\d+)x(\\d+)x(\\d+)", Pattern.CASE_INSENSITIVE);

    /**
     * @throws IllegalArgumentException if a size is not positive
     */
    public GemmShape {
        if (m < 1 || n < 1 || k < 1) {
            throw new IllegalArgumentException("sizes must be >= 1: m=" + m + ", n=" + n + ", k=" + k);
        }
    }

    /**
     * Parses {@code "NN:MxNxK"} (case-insensitive).
     *
     * @throws IllegalArgumentException with the expected format if {@code s} does not match it
     */
    public static GemmShape parse(String s) {
        Matcher mt = FORMAT.matcher(s.trim());
        if (!mt.matches()) {
            throw new IllegalArgumentException("bad shape '" + s + "': expected e.g. NN:1024x1024x1024 or"
                    + " TN:784x256x512 (N/T for A and B, then m x n x k)");
        }
        try {
            return new GemmShape(mt.group(1).equalsIgnoreCase("T"), mt.group(2).equalsIgnoreCase("T"),
                    Integer.parseInt(mt.group(3)), Integer.parseInt(mt.group(4)), Integer.parseInt(mt.group(5)));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad shape '" + s + "': a size does not fit in an int");
        }
    }

    /** Floating-point operations of one call with beta = 0: {@code 2 m n k} (one multiply and one add each). */
    public long flops() {
        return 2L * m * n * k;
    }

    /** Row stride of A as stored: k, or m when transposed. */
    public int lda() {
        return transA ? m : k;
    }

    /** Row stride of B as stored: n, or k when transposed. */
    public int ldb() {
        return transB ? k : n;
    }

    /** Elements of A's storage. */
    public int aLength() {
        return Math.multiplyExact(m, k);
    }

    /** Elements of B's storage. */
    public int bLength() {
        return Math.multiplyExact(k, n);
    }

    /** The canonical name, e.g. {@code "NT:256x512x784"}; {@link #parse} reads it back. */
    @Override
    public String toString() {
        return (transA ? "T" : "N") + (transB ? "T" : "N") + ":" + m + "x" + n + "x" + k;
    }
}
