package dev.simdgrad.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GemmChartTest {
    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

    @Test
    void writesAPng(@TempDir Path dir) throws Exception {
        Path png = dir.resolve("sub/chart.png");
        BenchRun run = BenchRun.parse(CannedRuns.typical("Test CPU", 1.0));
        GemmChart.write(png, run, "SGEMM on " + run.machine());
        assertTrue(Files.size(png) > 10_000, "a chart, not an empty image: " + Files.size(png));
        byte[] head = Arrays.copyOf(Files.readAllBytes(png), PNG_SIGNATURE.length);
        assertArrayEquals(PNG_SIGNATURE, head);
    }

    @Test
    void refusesARunWithNothingToDraw(@TempDir Path dir) {
        BenchRun onlyReference = BenchRun.parse(CannedRuns.file("CPU",
                CannedRuns.cell("reference", "NN:64x64x64", 1, 1.0, 0.1)));
        assertThrows(IllegalArgumentException.class, () -> GemmChart.write(dir.resolve("x.png"), onlyReference, "t"));
    }
}
