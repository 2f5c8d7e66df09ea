package dev.simdgrad.kernels;

/**
 * How many threads a kernel may use. Initially the system property {@code simdgrad.threads}, or the number of
 * available processors when it is absent; a thread may lower it for its own calls ({@link #capThisThread}). Results
 * never depend on this number: every kernel produces the same bits for any thread count.
 */
public final class Parallelism {
    /**
     * Name of the system property read at start-up: an integer in 1..1024. A value that is not is ignored with a
     * warning through {@link System.Logger} {@code dev.simdgrad.kernels} that names the property, the value and
     * the allowed range, and the number of available processors is used instead: since results do not depend on the
     * thread count, a typo costs speed at most, and it must not make the kernels unusable for the whole JVM (as
     * failing the class's initialization would).
     */
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

    /** Most threads a kernel call may use (the worker pool's tickets hold the count in 11 bits). */
    private static final int MAX_THREADS = 1024;
    private static volatile int threads = initial();

    private Parallelism() {
    }

    private static int initial() {
        int available = Math.min(MAX_THREADS, Runtime.getRuntime().availableProcessors());
        String p = System.getProperty(THREADS_PROPERTY);
        if (p == null || p.isBlank()) {
            return available;
        }
        try {
            int n = Integer.parseInt(p.trim());
            if (n >= 1 && n <= MAX_THREADS) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below, with the property's name and the allowed values
        }
        System.getLogger("dev.simdgrad.kernels").log(System.Logger.Level.WARNING, "simdgrad: ignoring "
                + THREADS_PROPERTY + "=" + p + ": not an integer in 1.." + MAX_THREADS + "; using the " + available
                + " available processors");
        return available;
    }

    private static int check(int n) {
        if (n < 1 || n > MAX_THREADS) {
            throw new IllegalArgumentException("threads=" + n + " must be in 1.." + MAX_THREADS);
        }
        return n;
    }

    /** The calling thread's own cap ({@link #capThisThread}), MAX_THREADS when it has none. */
    private static final ThreadLocal<int[]> CAP = ThreadLocal.withInitial(() -> new int[]{MAX_THREADS});

    /**
     * The maximum number of threads a kernel call made by the calling thread uses (itself included): the global
     * count, or the thread's own cap when that is lower.
     */
    public static int threads() {
        return Math.min(threads, CAP.get()[0]);
    }

    /**
     * Caps the kernel calls made by the calling thread at {@code n} threads (itself included), below the global
     * count, until changed again; other threads are not affected. For code that is itself one of several concurrent
     * tasks with a share of the cores, e.g. a Spark task given {@code spark.task.cpus} cores: without the cap each of
     * W concurrent tasks would ask the shared worker pool for all the cores. Restore the previous cap when done:
     * <pre>{@code
     * int previous = Parallelism.capThisThread(cpus);
     * try { ... } finally { Parallelism.capThisThread(previous); }
     * }</pre>
     *
     * @param n the cap, in 1..1024 (1024: no cap)
     * @return the previous cap (1024 when there was none)
     * @throws IllegalArgumentException if {@code n} is not in 1..1024
     */
    public static int capThisThread(int n) {
        int[] cap = CAP.get();
        int previous = cap[0];
        cap[0] = check(n);
        return previous;
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
