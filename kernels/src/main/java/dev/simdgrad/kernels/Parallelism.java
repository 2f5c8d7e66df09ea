package dev.simdgrad.kernels;

/**
 * How many threads a kernel may use. Initially the system property {@code simdgrad.threads}, or the number of
 * available processors when it is absent. Results never depend on this number: every kernel produces the same
 * bits for any thread count.
 */
public final class Parallelism {
    /** Name of the system property read at start-up. */
    public static final String THREADS_PROPERTY = "simdgrad.threads";

    private static volatile int threads = initial();

    private Parallelism() {
    }

    private static int initial() {
        String p = System.getProperty(THREADS_PROPERTY);
        if (p == null || p.isBlank()) {
            return Runtime.getRuntime().availableProcessors();
        }
        try {
            return check(Integer.parseInt(p.trim()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(THREADS_PROPERTY + "=" + p + " is not a positive integer");
        }
    }

    private static int check(int n) {
        if (n < 1 || n > 1024) {
            throw new IllegalArgumentException("threads=" + n + " must be in 1..1024");
        }
        return n;
    }

    /** The maximum number of threads a kernel call uses (the calling thread included). */
    public static int threads() {
        return threads;
    }

    /**
     * Sets the maximum number of threads for later kernel calls, the calling thread included.
     *
     * @throws IllegalArgumentException if {@code n} is not in 1..1024
     */
    public static void setThreads(int n) {
        threads = check(n);
    }
}
