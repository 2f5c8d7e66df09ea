package dev.simdgrad.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code reproduce byzantine} end to end on a tiny grid (Spark in local mode in this JVM, seconds), its usage errors,
 * and the one-line refusal when Spark is not on the class path (as under a plain {@code java -jar simdgrad.jar}).
 */
class ReproduceByzantineTest {
    @TempDir
    Path dir;

    @Test
    void tinyGridEndToEnd() throws Exception {
        Path out = dir.resolve("byz");
        CliRun r = CliRun.of("reproduce", "byzantine", "--train-size", "160", "--epochs", "2", "--seeds", "2",
                "--attacks", "signFlip,gaussian:1", "--aggregators", "median", "--out", out.toString());
        assertEquals(0, r.exitCode(), r.err());
        String o = r.out();
        assertTrue(o.contains("W = 8") && o.contains("seeds 1..2 (2)") && o.contains("14 arms per seed"), o);
        assertTrue(o.contains("Test accuracy at the end of training") && o.contains("gaussian:1"), o);
        assertTrue(o.contains("the mean fails") && o.contains("median stays near"), o);
        assertTrue(o.matches("(?s).*\\d+ of \\d+ claims hold.*"), o);
        assertTrue(o.contains("Deviations from the paper:") && o.contains("robust gradient descent"), o);
        // f in 0..3: 1 attack-free arm + 3 f x 2 attacks = 7 per aggregator, 2 aggregators (mean, median), 2 seeds.
        assertEquals(28, CliRun.numericCsv(out.resolve("runs.csv"), 1, 2, 6).size());
        assertTrue(Files.readString(out.resolve("result.json")).contains("\"claims\""));
        assertTrue(Files.size(out.resolve("accuracy-signflip.png")) > 1000);
        assertTrue(Files.size(out.resolve("accuracy-gaussian1.png")) > 1000);
    }

    @Test
    void badSettingsAreUsageErrors() {
        CliRun krum = CliRun.of("reproduce", "byzantine", "--aggregators", "krum:3", "--out", dir.toString());
        assertEquals(2, krum.exitCode(), krum.err());
        assertTrue(krum.firstErrorLine().contains("krum:3") && krum.firstErrorLine().contains("W >= 2f + 3"),
                krum.err());
        CliRun attack = CliRun.of("reproduce", "byzantine", "--attacks", "bogus", "--out", dir.toString());
        assertEquals(2, attack.exitCode(), attack.err());
        assertTrue(attack.firstErrorLine().contains("bogus"), attack.err());
        CliRun noises = CliRun.of("reproduce", "byzantine", "--noises", "0.5", "--out", dir.toString());
        assertEquals(2, noises.exitCode(), noises.err());
        CliRun elsewhere = CliRun.of("reproduce", "min-norm", "--attacks", "alie", "--out", dir.toString());
        assertEquals(2, elsewhere.exitCode(), elsewhere.err());
        assertTrue(elsewhere.firstErrorLine().contains("--attacks"), elsewhere.err());
    }

    @Test
    void withoutSparkTheCommandSaysHowToRunIt() {
        assertNull(SparkClasspath.missing(SparkClasspath.class.getClassLoader()));
        // The platform loader sees the JDK only: what simdgrad.jar alone looks like to this check.
        assertNotNull(SparkClasspath.missing(ClassLoader.getPlatformClassLoader()));
        assertEquals("org.apache.spark.sql.SparkSession", SparkClasspath.missing(ClassLoader.getPlatformClassLoader()));
        String line = SparkClasspath.problem("reproduce byzantine", ClassLoader.getPlatformClassLoader());
        assertTrue(line.contains("./simdgrad reproduce byzantine") && !line.contains("\n"), line);
        assertNull(SparkClasspath.problem("bench spark-mllib"));
    }
}
