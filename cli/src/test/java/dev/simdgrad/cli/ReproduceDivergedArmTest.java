package dev.simdgrad.cli;

import dev.simdgrad.experiments.DataSource;
import dev.simdgrad.experiments.coherent.CoherentGradients;
import dev.simdgrad.experiments.coherent.CoherentGradientsClaims;
import dev.simdgrad.experiments.TrainingRun;
import dev.simdgrad.experiments.Claim;
import dev.simdgrad.experiments.Verdict;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * In {@code reproduce}, a diverged arm is marked "diverged" in the table and the files, takes no part in the claims
 * (a claim that needs it is "not judged"), and the rest of the experiment is reported as usual.
 */
class ReproduceDivergedArmTest {
    @TempDir
    Path dir;

    private static TrainingRun.Epoch epoch(int e, double train, double clean, double corrupted, double test) {
        return new TrainingRun.Epoch(e, 1.0, train, clean, corrupted, 1.2, test, 2.0, 3.0, 0.1);
    }

    @Test
    void coherentGradientsMarksTheDivergedRunAndJudgesTheRest() throws Exception {
        var config = new CoherentGradients.Config(null, DataSource.Embedded.MNIST, 100, 100, List.of(8), 2, 100, 0.1,
                List.of(0.5), List.of(0, 2, 4), List.of(), List.of(1L), 0);
        var c0 = new CoherentGradients.Run(0.5, 1, "winsorize:0", 0, 0.55,
                List.of(epoch(1, 0.5, 0.8, 0.3, 0.5), epoch(2, 0.7, 0.9, 0.5, 0.6)), null);
        var c2 = new CoherentGradients.Run(0.5, 1, "winsorize:2", 2, 0.55,
                List.of(epoch(1, 0.4, 0.7, 0.1, 0.5)), "epoch 2, step 1: the loss");
        var c4 = new CoherentGradients.Run(0.5, 1, "winsorize:4", 4, 0.55,
                List.of(epoch(1, 0.4, 0.7, 0.1, 0.5), epoch(2, 0.5, 0.8, 0.2, 0.6)), null);
        List<CoherentGradients.Run> runs = List.of(c0, c2, c4);
        var claims = CoherentGradientsClaims.of(runs, List.of());
        var result = new CoherentGradients.Result(config, "test data", runs, List.of(), List.of(), claims,
                CoherentGradientsClaims.deviations(config, 100, 100, true));
        String table = CoherentGradientsReport.table(result);
        String row = table.lines().filter(l -> l.contains("winsorize:2")).findFirst().orElseThrow();
        assertTrue(row.contains("diverged"), table);
        assertTrue(table.contains("diverged: p=0.50 seed 1 winsorize:2 at epoch 2, step 1"), table);
        // c = 4 against c = 0 is still judged (one seed: within noise); the claims that need c = 2 are not.
        assertTrue(claims.stream().anyMatch(c -> c.paper().contains("c = 4) fits the corrupt labels")
                && c.verdict() == Verdict.WITHIN_NOISE), claims.toString());
        assertTrue(claims.stream().filter(c -> c.paper().contains("c = 2")).allMatch(c -> c.verdict()
                == Verdict.NOT_JUDGED), claims.toString());
        assertTrue(claims.stream().filter(c -> c.paper().contains("monotonically")).allMatch(c -> c.verdict()
                == Verdict.NOT_JUDGED), claims.toString());
        List<Path> files = CoherentGradientsReport.write(result, dir);
        String csv = Files.readString(dir.resolve("runs.csv"));
        assertTrue(csv.lines().anyMatch(l -> l.contains("winsorize:2") && l.contains("NaN")
                && l.endsWith("\"epoch 2, step 1: the loss\"")), csv);
        assertTrue(files.stream().allMatch(Files::exists));
    }

    @Test
    void aPairedClaimWithADivergedSeedIsNotJudged() {
        Claim c = Claim.ofPairedDifferences("F-GR beats B-GR", "d", new double[] {0.01, Double.NaN, 0.02});
        assertEquals(Verdict.NOT_JUDGED, c.verdict());
        assertTrue(c.measured().contains("diverged on 1 of 3 seeds"), c.measured());
        String table = ClaimTable.format(List.of(c, Claim.judged("p", "m", true)));
        assertTrue(table.contains("not judged") && table.contains("1 of 2 claims hold")
                && table.contains("1 not judged"), table);
    }
}
