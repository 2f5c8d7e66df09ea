package dev.simdgrad.verify;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The outer loops of the BLIS driver at their block edges, beyond the properties' 0..300: several depth blocks
 * (KC = 256; k is split into equal blocks, so 513 gives three of 171), two and three packed A blocks (MC = 240 at
 * every width) and packed B blocks (NC = 4096 columns). The other two dimensions stay small so the reference stays
 * cheap; every transpose combination, a beta that reads C, padded and offset storage.
 */
class SgemmBlockEdgesTest {
    /** m, n, k of each shape, and the loop edge it sits on. */
    private static final int[][] SHAPES = {
            {7, 9, 511}, {7, 9, 512}, {7, 9, 513},        // two and three depth blocks
            {5, 3, 767}, {5, 3, 768}, {5, 3, 769}, {3, 5, 1025},
            {479, 5, 3}, {480, 5, 3}, {481, 5, 3},        // two and three packed A blocks
            {721, 2, 2},
            {3, 4095, 5}, {3, 4096, 5}, {3, 4097, 5},     // one and two packed B blocks
            {2, 8193, 3},                                 // three packed B blocks
            {13, 4099, 257},                              // B and depth blocks together, ragged tiles
    };

    static List<SgemmCase> cases() {
        List<SgemmCase> cases = new ArrayList<>();
        long seed = 4096;
        for (int[] s : SHAPES) {
            for (int t = 0; t < 4; t++) {
                cases.add(SgemmCase.dense((t & 1) != 0, (t & 2) != 0, s[0], s[1], s[2], -0.75f, 1.5f, seed++)
                        .withLayout(2, 3, 1, 1, 5, 2, 1));
            }
        }
        return cases;
    }

    @ParameterizedTest
    @MethodSource("cases")
    void withinTheBoundAtBlockEdges(SgemmCase sc) {
        float[] a = sc.a(), b = sc.b(), before = sc.c();
        float[] c = before.clone();
        sc.runSgemm(a, b, c);
        SgemmOracle.check(sc, a, b, before, c);
    }
}
