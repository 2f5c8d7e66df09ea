package dev.simdgrad.verify;

import dev.simdgrad.kernels.Simd;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The outer loops of the BLIS driver at their block edges, beyond the properties' 0..300: several depth blocks
 * (KC; k is split into equal blocks, so 2 KC + 1 gives three), two and three packed B blocks (MC columns, kept in
 * L2) and packed A blocks (NC rows, kept in L3), at this machine's sizes ({@link Simd#sgemmBlocking()}, the same at every width). The other two
 * dimensions stay small so the reference stays cheap; every transpose combination, a beta that reads C, padded and
 * offset storage. Also the edges of the rule that reads A and B in place: 512 rows and 513, and rows of A and B
 * stored 1024 floats apart (packed) and 1023 (read in place).
 */
class SgemmBlockEdgesTest {
    private static final int KC = Simd.sgemmBlocking().kc(), MC = Simd.sgemmBlocking().mc(),
            NC = Simd.sgemmBlocking().nc();
    /** m, n, k of each shape, and the loop edge it sits on. */
    private static final int[][] SHAPES = {
            {7, 9, 2 * KC - 1}, {7, 9, 2 * KC}, {7, 9, 2 * KC + 1},   // two and three depth blocks
            {5, 3, 3 * KC - 1}, {5, 3, 3 * KC}, {5, 3, 3 * KC + 1}, {3, 5, 4 * KC + 1},
            {5, 2 * MC - 1, 3}, {5, 2 * MC, 3}, {5, 2 * MC + 1, 3},   // two and three packed B blocks
            {2, 3 * MC + 1, 2},
            {NC - 1, 3, 5}, {NC, 3, 5}, {NC + 1, 3, 5},               // one and two packed A blocks
            {2 * NC + 1, 2, 3},                                       // three packed A blocks
            {NC + 3, 13, KC + 1},                                     // A and depth blocks together, ragged tiles
            {NC + 5, MC + 7, 9},                                      // A and B blocks together, ragged tiles
            {512, 45, 21}, {513, 45, 21}, {600, 20, 33},              // B and A in place up to 512 rows, or n < NR
    };
    /**
     * m, n, k of shapes whose A and B are stored with rows 4 KiB (1024 floats) apart, which the driver packs instead
     * of reading in place ({@code GemmDriver.spreadRows}), and 1023 floats apart, which it reads in place.
     */
    private static final int[][] WIDE_ROWS = {{40, 50, 1000}, {40, 1000, 70}, {30, 900, 900}};

    static List<SgemmCase> cases() {
        List<SgemmCase> cases = new ArrayList<>();
        long seed = 4096;
        for (int[] s : SHAPES) {
            for (int t = 0; t < 4; t++) {
                cases.add(SgemmCase.dense((t & 1) != 0, (t & 2) != 0, s[0], s[1], s[2], -0.75f, 1.5f, seed++)
                        .withLayout(2, 3, 1, 1, 5, 2, 1));
            }
        }
        for (int[] s : WIDE_ROWS) {
            for (int t = 0; t < 4; t++) {
                boolean ta = (t & 1) != 0, tb = (t & 2) != 0;
                for (int ld : new int[] {1023, 1024}) {
                    int aPad = ld - (ta ? s[0] : s[2]), bPad = ld - (tb ? s[2] : s[1]);
                    cases.add(SgemmCase.dense(ta, tb, s[0], s[1], s[2], 1f, 0.5f, seed++)
                            .withLayout(3, aPad, 2, bPad, 1, 4, 1));
                }
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
