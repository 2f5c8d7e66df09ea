package dev.simdgrad.cli;

import dev.simdgrad.experiments.Deviation;
import java.util.List;

/** The table every {@code reproduce} experiment prints of how its run differs from the paper. */
final class DeviationTable {
    private DeviationTable() {
    }

    /** The deviations as a table: aspect, the paper's setting, ours, and why they differ ("same" when not). */
    static String format(List<Deviation> deviations) {
        TextTable t = new TextTable(List.of("aspect", "paper", "this run", "why it differs"));
        for (Deviation d : deviations) {
            t.add(d.aspect(), d.paper(), d.ours(), d.matches() ? "same" : d.why());
        }
        return t.format();
    }
}
