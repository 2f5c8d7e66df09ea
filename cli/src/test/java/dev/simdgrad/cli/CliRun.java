package dev.simdgrad.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine;

/** One in-process run of the command line with captured stdout and stderr, for the end-to-end tests. */
record CliRun(int exitCode, String out, String err) {

    static CliRun of(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new CliRun(code, out.toString(), err.toString());
    }

    /** The first line of stderr (the one-line error of a usage error). */
    String firstErrorLine() {
        return err.lines().filter(l -> !l.startsWith("WARNING")).findFirst().orElse("");
    }

    /**
     * Asserts that a CSV file has a header and at least one data line, and that every cell of the data lines is a
     * number (or NaN) except in the named text columns; returns the data lines.
     */
    static List<String> numericCsv(Path csv, int... textColumns) throws java.io.IOException {
        List<String> lines = Files.readAllLines(csv);
        if (lines.size() < 2) {
            throw new AssertionError(csv + " has no data lines: " + lines);
        }
        int columns = lines.getFirst().split(",").length;
        for (String line : lines.subList(1, lines.size())) {
            // limit -1: a trailing empty cell (an empty text column) is a cell.
            String[] cells = line.split(",(?=(?:[^\"]*\"[^\"]*\")*[^\"]*$)", -1);
            if (cells.length != columns) {
                throw new AssertionError(csv + ": " + cells.length + " cells, header " + columns + ": " + line);
            }
            outer:
            for (int c = 0; c < cells.length; c++) {
                for (int t : textColumns) {
                    if (t == c) {
                        continue outer;
                    }
                }
                try {
                    Double.parseDouble(cells[c]);
                } catch (NumberFormatException e) {
                    throw new AssertionError(csv + ": cell " + c + " is not a number: " + line);
                }
            }
        }
        return lines.subList(1, lines.size());
    }
}
