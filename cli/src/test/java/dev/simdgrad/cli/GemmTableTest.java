package dev.simdgrad.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.simdgrad.benchmarks.GemmShape;
import java.util.List;
import org.junit.jupiter.api.Test;

class GemmTableTest {
    private static final GemmShape SQ = GemmShape.parse("NN:128x128x128");
    private static final GemmShape TN = GemmShape.parse("TN:784x256x512");

    private static String table() {
        List<GemmResult> results = List.of(
                // Deliberately out of order: rows follow shapeOrder, then threads.
                new GemmResult(TN, 1, "simdgrad", 90.0, 1.5),
                new GemmResult(SQ, 2, "simdgrad", 150.0, Double.NaN),
                new GemmResult(SQ, 1, "simdgrad", 100.0, 2.0),
                new GemmResult(SQ, 1, "openblas", 80.0, 4.0),
                new GemmResult(SQ, 1, "netlib", 20.0, 1.0),
                new GemmResult(SQ, 1, "ejml", 2.0, 0.1),
                new GemmResult(SQ, 1, "ojalgo", 4.0, 0.1),
                new GemmResult(SQ, 1, "reference", 0.5, 0.01));
        return GemmTable.format(results, List.of(SQ, TN), 200.0, 2, List.of("a note"));
    }

    private static String[] row(String table, String startsWith) {
        for (String line : table.split("\\R")) {
            if (line.startsWith(startsWith)) {
                return line.trim().split("\\s{2,}");
            }
        }
        throw new AssertionError("no row starting with '" + startsWith + "' in\n" + table);
    }

    @Test
    void rowsInShapeThenThreadOrder() {
        List<String> lines = table().lines().toList();
        assertTrue(lines.get(0).startsWith("shape"), lines.get(0));
        assertTrue(lines.get(1).matches("-+"), lines.get(1));
        assertTrue(lines.get(2).startsWith("NN:128x128x128           1"), lines.get(2));
        assertTrue(lines.get(3).startsWith("NN:128x128x128           2"), lines.get(3));
        assertTrue(lines.get(4).startsWith("TN:784x256x512           1"), lines.get(4));
    }

    @Test
    void fullRowHasPeersRatiosAndPercentOfPeak() {
        String[] r = row(table(), "NN:128x128x128           1");
        // shape, threads, simdgrad ± err, % peak, OpenBLAS ± err, vs OpenBLAS, VectorBLAS, EJML, ojAlgo, reference,
        // vs EJML, vs ojAlgo
        assertEquals(List.of("NN:128x128x128", "1", "100.0 ± 2.000", "50.0%", "80.00 ± 4.000", "1.25x", "20.00",
                "2.000", "4.000", "0.500", "50.0x", "25.0x"), List.of(r));
    }

    @Test
    void peakScalesWithThreadsAndMissingCellsAreDashes() {
        String[] r = row(table(), "NN:128x128x128           2");
        // 150 of 200 x 2 threads; the error was NaN: "?"; no peers at 2 threads.
        assertEquals(List.of("NN:128x128x128", "2", "150.0 ± ?", "37.5%", "-", "-", "-", "-", "-", "-", "-", "-"),
                List.of(r));
    }

    @Test
    void legendAndNotesFollowTheTable() {
        String t = table();
        assertTrue(t.contains("200.0 GFLOP/s per core x threads"), t);
        assertTrue(t.endsWith("a note" + System.lineSeparator()), t);
    }

    @Test
    void unknownPeakLeavesPercentEmpty() {
        String t = GemmTable.format(List.of(new GemmResult(SQ, 1, "simdgrad", 10.0, 0.5)), List.of(SQ), Double.NaN,
                2, List.of());
        assertEquals("-", row(t, "NN:128")[3]);
        assertTrue(t.contains("not available"), t);
    }

    @Test
    void throughputConvertsToGflopsWithItsError() {
        GemmResult g = GemmResult.fromThroughput(SQ, 1, "simdgrad", 1000.0, 10.0);
        assertEquals(2.0 * 128 * 128 * 128 * 1000 / 1e9, g.gflops(), 1e-12);
        assertEquals(2.0 * 128 * 128 * 128 * 10 / 1e9, g.gflopsError(), 1e-12);
    }
}
