package dev.simdgrad.spark;

import org.apache.spark.sql.SparkSession;

/**
 * A Spark session in local mode on this machine for the command line's experiments and benchmarks: no web UI, the
 * driver bound to the loopback address (no network), Spark's own logging at WARN so the terminal shows our tables.
 * Closing stops the session only if this object created it (a caller's active session is borrowed, not stopped).
 */
public final class LocalSession implements AutoCloseable {
    private final SparkSession session;
    private final boolean owned;

    private LocalSession(SparkSession session, boolean owned) {
        this.session = session;
        this.owned = owned;
    }

    /**
     * The active session if there is one, else a new one on {@code master} (e.g. {@code local[2]}).
     *
     * @throws IllegalArgumentException if {@code master} is not a local master ({@code local}, {@code local[N]},
     *                                  {@code local[*]})
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
