package dev.simdgrad.kernels;

/**
 * How many threads a kernel may use. Initially the system property {@code simdgrad.threads}, or the number of
 * available processors when it is absent. Results never depend on this number: every kernel produces the same
 * bits for any thread count.
 */
public final class Parallelism {
    /** Name of the system property read at start-up. */
    public static final String THREADS_PROPERTY = "simdgrad.threads";

    /**
     * Name of the system property, read at start-up, that sets how long an idle worker thread spins (in PAUSE
     * instructions, default 1000, about 20-50 us) before it parks; an integer &gt;= 0; anything else fails the loading of
     * the worker pool (an {@link ExceptionInInitializerError} caused by an {@link IllegalArgumentException} that
     * names the property and the value). Spinning longer saves the wake-up of a
     * parked worker when parallel calls come a little apart, at the price of a busy core in the meantime: on our
     * 2-core machine a 784-256-10 training step (B = 128, 2 threads) took 1.25 ms at the default and 1.04 ms at
     * 300000 (JMH TrainStepBenchmark, {@code -Dsimdgrad.pool.spins=300000}). Keep the default where the cores are
     * shared or oversubscribed, since a spinning thread takes time slices from the one it waits for. Results do not
     * depend on it.
     */
    public static final String SPINS_PROPERTY = "simdgrad.pool.spins";

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
