package dev.simdgrad.kernels.internal.gram;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.Comparator;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@link RobustRules#sortByKey}'s two algorithms, the radix sort (from {@link RobustRules#RADIX_FROM} keys) and the
 * merge sort (below), against a reference stable sort by (Double.compare, index): the same permutation for keys
 * with ties, NaN, infinities, -0.0 and 0.0, negative values, subnormals, at sizes around the switch and at
 * offsets into the index and key arrays.
 */
class RobustRulesSortTest {
    private static final int[] SIZES = {0, 1, 2, 3, 7, 31, 32, 33, 64, 127, 128, 255, 300};

    @Test
    void bothAlgorithmsGiveTheReferencePermutation() {
        SplittableRandom r = new SplittableRandom(12);
        int checked = 0;
        for (int c : SIZES) {
            for (int kind = 0; kind < 5; kind++) {
                for (int rep = 0; rep < 20; rep++) {
                    int o = r.nextInt(5), ko = r.nextInt(5), n = c + 3;
                    double[] key = new double[ko + n];
                    for (int j = 0; j < n; j++) {
                        key[ko + j] = value(r, kind);
                    }
                    // the indices to sort: c distinct rows of n, in increasing order (as the rules pass them)
                    int[] start = new int[o + c + 2];
                    Arrays.fill(start, -7);
                    for (int q = 0, j = 0; q < c; q++, j++) {
                        if (n - j > c - q && r.nextBoolean()) {
                            j++;
                        }
                        start[o + q] = j;
                    }
                    int[] expected = reference(start, o, c, key, ko);
                    int[] radix = start.clone(), merge = start.clone(), auto = start.clone();
                    RobustRules.radixSortByKey(radix, o, c, key, ko);
                    RobustRules.mergeSortByKey(merge, o, c, key, ko, new int[c + 1]);
                    RobustRules.sortByKey(auto, o, c, key, ko, new int[c + 1]);
                    String what = "c=" + c + " kind=" + kind + " rep=" + rep;
                    assertArrayEquals(expected, radix, "radix " + what);
                    assertArrayEquals(expected, merge, "merge " + what);
                    assertArrayEquals(expected, auto, "sortByKey " + what);
                    checked++;
                }
            }
        }
        assertEquals(SIZES.length * 5 * 20, checked);
    }

    /** Keys of a kind: 0 distinct, 1 many ties, 2 specials mixed in, 3 all equal, 4 any sign and scale. */
    private static double value(SplittableRandom r, int kind) {
        return switch (kind) {
            case 0 -> r.nextDouble() * 100;
            case 1 -> r.nextInt(4);
            case 2 -> switch (r.nextInt(9)) {
                case 0 -> Double.NaN;
                case 1 -> Double.POSITIVE_INFINITY;
                case 2 -> Double.NEGATIVE_INFINITY;
                case 3 -> -0.0;
                case 4 -> 0.0;
                case 5 -> Double.MIN_VALUE;
                case 6 -> Double.longBitsToDouble(0xfff8000000000001L); // a NaN with the sign bit set
                default -> r.nextDouble();
            };
            case 3 -> 2.5;
            default -> (r.nextBoolean() ? -1 : 1) * Math.scalb(r.nextDouble(), r.nextInt(-1074, 1000));
        };
    }

    /** The reference: a stable sort of the indices by Double.compare of their keys. */
    private static int[] reference(int[] idx, int o, int c, double[] key, int ko) {
        Integer[] box = new Integer[c];
        for (int q = 0; q < c; q++) {
            box[q] = idx[o + q];
        }
        Arrays.sort(box, Comparator.comparingDouble((Integer j) -> key[ko + j])); // stable; Double.compare order
        int[] out = idx.clone();
        for (int q = 0; q < c; q++) {
            out[o + q] = box[q];
        }
        return out;
    }
}
