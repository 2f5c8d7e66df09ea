package dev.simdgrad.cli;

import dev.simdgrad.experiments.Claim;
import dev.simdgrad.experiments.Verdict;
import java.util.List;

/** The verdict table every {@code reproduce} experiment ends with: claim, our measurement, agrees or not. */
final class ClaimTable {
    private ClaimTable() {
    }

    /** The claims as a table, and a last line counting how many hold (and how many are within seed noise). */
    static String format(List<Claim> claims) {
        TextTable t = new TextTable(List.of("paper's claim", "our measurement", "holds"));
        for (Claim c : claims) {
            t.add(c.paper(), c.measured(), c.verdict().label());
        }
        long holds = claims.stream().filter(Claim::holds).count();
        long noise = claims.stream().filter(c -> c.verdict() == Verdict.WITHIN_NOISE).count();
        long unjudged = claims.stream().filter(c -> c.verdict() == Verdict.NOT_JUDGED).count();
        long vacuous = claims.stream().filter(c -> c.verdict() == Verdict.VACUOUS).count();
        return t.format() + holds + " of " + claims.size() + " claims hold in this run"
                + (noise == 0 ? "" : " (" + noise + " within seed-to-seed noise: neither supported nor contradicted)")
                + (unjudged == 0 ? "" : " (" + unjudged + " not judged: a run they need diverged or did not"
                        + " converge)")
                + (vacuous == 0 ? "" : " (" + vacuous + " vacuous: could not have failed here)")
                + ".\n";
    }
}
