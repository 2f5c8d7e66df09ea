package dev.simdgrad.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A curve drawn under another is named in the title; error bars have one value per point. */
class LineChartTest {
    @TempDir
    Path dir;

    @Test
    void aCurveUnderAnotherIsNamed() throws Exception {
        double[] x = {1, 2, 3};
        LineChart c = new LineChart("t", "x", "y").series("a", x, new double[] {0, 0.5, 1})
                .series("b", x, new double[] {0.001, 0.5, 1}).series("c", x, new double[] {0.2, 0.6, 0.9});
        assertEquals("a lies under b", c.hiddenNote());
        assertTrue(Files.size(c.write(dir.resolve("c.png"))) > 1000);
        assertEquals("", new LineChart("t", "x", "y").series("a", x, new double[] {0, 0.5, 1})
                .series("b", x, new double[] {0.1, 0.5, 1}).hiddenNote());
    }

    @Test
    void errorBarsNeedOneValuePerPoint() throws Exception {
        double[] x = {1, 2, 3};
        assertThrows(IllegalArgumentException.class, () -> new LineChart("t", "x", "y").series("a", x,
                new double[] {1, 2, 3}, new double[] {0.1}));
        LineChart c = new LineChart("t", "x", "y").series("a", x, new double[] {1, Double.NaN, 3},
                new double[] {0.1, 0.1, 0.2});
        assertTrue(Files.size(c.write(dir.resolve("e.png"))) > 1000);
    }
}
