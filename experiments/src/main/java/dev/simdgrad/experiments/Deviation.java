package dev.simdgrad.experiments;

/**
 * One way an experiment's run differs from the paper it reproduces, or matches it: every experiment prints and
 * writes the table of these, so that a reader sees what was and was not reproduced.
 *
 * @param aspect what (dataset, network, optimizer, steps, seeds, ...)
 * @param paper  the paper's setting, as we read it
 * @param ours   this run's setting
 * @param why    why they differ (empty when they do not)
 */
public record Deviation(String aspect, String paper, String ours, String why) {

    /** Whether this run matches the paper in this aspect. */
    public boolean matches() {
        return why.isEmpty();
    }

    /** An aspect in which this run matches the paper. */
    public static Deviation same(String aspect, String setting) {
        return new Deviation(aspect, setting, setting, "");
    }
}
