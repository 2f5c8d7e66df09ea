package dev.simdgrad.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class GemmShapeTest {
    @Test
    void parsesAndPrintsBack() {
        for (String s : SgemmBenchmark.SHAPES) {
            assertEquals(s, GemmShape.parse(s).toString());
        }
        GemmShape tn = GemmShape.parse(" tn:784x256X512 ");
        assertEquals(new GemmShape(true, false, 784, 256, 512), tn);
        assertEquals(784, tn.lda());
        assertEquals(256, tn.ldb());
        assertEquals(2L * 784 * 256 * 512, tn.flops());
    }

    @Test
    void rejectsMalformedShapes() {
        for (String bad : new String[] {"", "NN", "NX:1x1x1", "NN:1x1", "NN:0x1x1", "NN:1x1x99999999999"}) {
            assertThrows(IllegalArgumentException.class, () -> GemmShape.parse(bad), bad);
        }
    }
}
