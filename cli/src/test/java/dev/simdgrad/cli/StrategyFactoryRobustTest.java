package dev.simdgrad.cli;

import dev.simdgrad.experiments.StrategyFactory;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.simdgrad.nn.strategy.Bulyan;
import dev.simdgrad.nn.strategy.CenteredClipping;
import dev.simdgrad.nn.strategy.GeometricMedian;
import dev.simdgrad.nn.strategy.Krum;
import dev.simdgrad.nn.strategy.MultiKrum;
import org.junit.jupiter.api.Test;

/** The names of the whole-gradient robust strategies resolve once, with one-line errors for bad parameters. */
class StrategyFactoryRobustTest {

    @Test
    void namesResolve() {
        assertInstanceOf(Krum.class, StrategyFactory.create("krum:2"));
        assertInstanceOf(MultiKrum.class, StrategyFactory.create("MultiKrum:2:10"));
        assertInstanceOf(GeometricMedian.class, StrategyFactory.create("geomed"));
        assertInstanceOf(CenteredClipping.class, StrategyFactory.create("cc:0.5"));
        assertInstanceOf(Bulyan.class, StrategyFactory.create("bulyan:1"));
        assertEquals("multikrum(2,10)", StrategyFactory.create("multikrum:2:10").toString());
        assertTrue(StrategyFactory.NAMES.contains("multikrum:F:M"));
    }

    @Test
    void selectionRulesNeedWholeBatchesAndSayWhichBatchesFit() {
        // The strategies declare it themselves (GradientStrategy.needsWholeBatches): the command line does not guess.
        assertTrue(StrategyFactory.create("krum:1").needsWholeBatches());
        assertTrue(StrategyFactory.create("multikrum:1:4").needsWholeBatches());
        assertTrue(StrategyFactory.create("bulyan:1").needsWholeBatches());
        assertFalse(StrategyFactory.create("geomed").needsWholeBatches());
        assertFalse(StrategyFactory.create("cc:1").needsWholeBatches());
        StrategyFactory.create("krum:2").checkBatchSize(7);
        assertThrows(IllegalArgumentException.class, () -> StrategyFactory.create("krum:2").checkBatchSize(6));
        assertThrows(IllegalArgumentException.class, () -> StrategyFactory.create("bulyan:1").checkBatchSize(6));
        assertThrows(IllegalArgumentException.class, () -> StrategyFactory.create("multikrum:0:9")
                .checkBatchSize(8));
        // Centered clipping carries its center between steps: F-GR, B-GR and SAM refuse it.
        assertTrue(StrategyFactory.create("cc:1").isStateful());
    }

    @Test
    void badParametersAreOneLineErrors() {
        for (String bad : new String[] {"krum", "krum:-1", "krum:x", "multikrum:2", "multikrum:2:0", "geomed:3",
            "cc", "cc:0", "cc:nan", "bulyan:-2"}) {
            var e = assertThrows(IllegalArgumentException.class, () -> StrategyFactory.create(bad), bad);
            assertFalse(e.getMessage().contains("\n"), e.getMessage());
        }
    }
}
