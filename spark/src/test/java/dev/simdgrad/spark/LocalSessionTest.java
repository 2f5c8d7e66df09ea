package dev.simdgrad.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The command line's session: local by default, the submitted master under {@code spark-submit} (which passes its
 * settings as {@code spark.*} system properties, as simulated here).
 */
class LocalSessionTest {
    /** What spark-submit would pass for a driver on this machine (no UI, loopback). */
    private static final Map<String, String> SUBMITTED = Map.of("spark.master", "local[1]",
            "spark.ui.enabled", "false", "spark.driver.host", "127.0.0.1", "spark.driver.bindAddress", "127.0.0.1");

    @BeforeEach
    void noActiveSession() {
        SparkSession.getActiveSession().foreach(s -> {
            s.stop();
            return null;
        });
        SparkSession.clearActiveSession();
        SparkSession.clearDefaultSession();
    }

    @Test
    void localByDefaultAndRefusesOtherMasters() {
        assertEquals("local[2]", LocalSession.master("local[2]"));
        var e = assertThrows(IllegalArgumentException.class, () -> LocalSession.open("spark://somewhere:7077"));
        assertTrue(e.getMessage().contains("spark://somewhere:7077"), e.getMessage());
        try (LocalSession s = LocalSession.open("local[2]")) {
            assertEquals("local[2]", s.session().sparkContext().master());
            assertEquals("local[2]", LocalSession.master("local[1]"), "the active session's master");
        }
    }

    @Test
    void underSparkSubmitTheSubmittedMasterIsUsed() {
        SUBMITTED.forEach(System::setProperty);
        SparkSession session;
        try {
            assertEquals("local[1]", LocalSession.master("local[2]"));
            try (LocalSession s = LocalSession.open("local[2]")) {
                session = s.session();
                assertEquals("local[1]", session.sparkContext().master());
                assertEquals(1, s.cores());
            }
        } finally {
            SUBMITTED.keySet().forEach(System::clearProperty);
        }
        assertTrue(session.sparkContext().isStopped(), "a session it made is stopped on close");
        assertFalse(SparkSession.getActiveSession().isDefined());
    }
}
