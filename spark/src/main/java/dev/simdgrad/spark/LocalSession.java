package dev.simdgrad.spark;

import org.apache.spark.sql.SparkSession;

/**
 * The Spark session of the command line's experiments and benchmarks: by default in local mode on this machine (no
 * web UI, the driver bound to the loopback address, so no network), or, when the JVM was started by
 * {@code spark-submit} (which sets the system property {@code spark.master}), the cluster it names, with every setting
 * {@code spark-submit} passed, once its executors have registered. Spark's own logging at WARN either way, so the
 * terminal shows our tables. Closing stops the session only if this object created it (a caller's active session is
 * borrowed, not stopped).
 */
public final class LocalSession implements AutoCloseable {
    /** How long the slots must stay the same to count as all registered, and the longest wait for them. */
    private static final long SETTLE_NANOS = 2_000_000_000L, WAIT_NANOS = 60_000_000_000L;

    private final SparkSession session;
    private final boolean owned;

    private LocalSession(SparkSession session, boolean owned) {
        this.session = session;
        this.owned = owned;
    }

    /**
     * The active session if there is one; else, under {@code spark-submit} (the system property
     * {@code spark.master} set), a new session on the submitted master and settings, {@code master} ignored; else a
     * new local session on {@code master} (e.g. {@code local[2]}).
     *
     * @throws IllegalArgumentException if a local session is to be made and {@code master} is not a local master
     *                                  ({@code local}, {@code local[N]}, {@code local[*]})
     */
    public static LocalSession open(String master) {
        // Before the first Spark class logs: without a configuration Spark installs its INFO-level default profile.
        if (System.getProperty("log4j2.configurationFile") == null) {
            java.net.URL quiet = LocalSession.class.getResource("log4j2-quiet.properties");
            if (quiet != null) {
                System.setProperty("log4j2.configurationFile", quiet.toString());
            }
        }
        if (SparkSession.getActiveSession().isDefined()) {
            return new LocalSession(SparkSession.getActiveSession().get(), false);
        }
        String submitted = System.getProperty("spark.master");
        if (submitted != null) {
            // spark-submit's master, jars and driver address: a cluster's executors must reach the driver, so no
            // loopback binding here
            SparkSession s = SparkSession.builder().appName("simdgrad").getOrCreate();
            s.sparkContext().setLogLevel("WARN");
            if (!s.sparkContext().isLocal()) {
                awaitExecutors(s);
            }
            return new LocalSession(s, true);
        }
        if (master == null || !master.matches("local(\\[(\\d+|\\*)])?")) {
            throw new IllegalArgumentException("master '" + master + "': expected local, local[N] or local[*]");
        }
        SparkSession s = SparkSession.builder().master(master).appName("simdgrad")
                .config("spark.ui.enabled", "false")
                .config("spark.driver.host", "127.0.0.1")
                .config("spark.driver.bindAddress", "127.0.0.1")
                .config("spark.sql.shuffle.partitions", "8")
                .getOrCreate();
        s.sparkContext().setLogLevel("WARN");
        return new LocalSession(s, true);
    }

    /**
     * On a cluster, until executors have registered and the task slots they bring have not changed for
     * {@link #SETTLE_NANOS} (at most {@link #WAIT_NANOS}; then Spark waits for resources as usual): the session
     * starts before its executors register, and whatever counts the cluster's slots (the benchmark's W, the
     * {@code auto} round mode) must see all of them.
     */
    private static void awaitExecutors(SparkSession s) {
        org.apache.spark.api.java.JavaSparkContext sc =
                org.apache.spark.api.java.JavaSparkContext.fromSparkContext(s.sparkContext());
        long start = System.nanoTime(), since = start;
        int last = -1;
        while (System.nanoTime() - start < WAIT_NANOS) {
            int now = BarrierRounds.slots(sc);
            if (now != last) {
                last = now;
                since = System.nanoTime();
            } else if (now > 0 && System.nanoTime() - since >= SETTLE_NANOS) {
                return;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /**
     * The master {@link #open} would run on: the active session's, else the one {@code spark-submit} named, else
     * {@code local}.
     */
    public static String master(String local) {
        if (SparkSession.getActiveSession().isDefined()) {
            return SparkSession.getActiveSession().get().sparkContext().master();
        }
        return System.getProperty("spark.master", local);
    }

    /** The session. */
    public SparkSession session() {
        return session;
    }

    /** The number of cores local mode runs tasks on. */
    public int cores() {
        return session.sparkContext().defaultParallelism();
    }

    @Override
    public void close() {
        if (owned) {
            session.stop();
        }
    }
}
