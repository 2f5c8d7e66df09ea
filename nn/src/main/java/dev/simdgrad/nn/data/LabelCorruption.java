package dev.simdgrad.nn.data;

import java.util.SplittableRandom;

/**
 * Label noise as in Chatterjee (2020) and Zhang et al. (2017): a fraction p of the examples (⌊p·n⌉ of them) is
 * selected uniformly at random with a seed, and their labels are permuted among themselves by a uniformly random
 * permutation. The label histogram is unchanged; a selected example may keep its label by chance (the permutation
 * can have fixed points, and two selected examples may share a label), so the mask records <i>selection</i>, and
 * {@link #changed(Dataset)} what actually differs.
 *
 * @param data      the dataset with corrupted labels
 * @param corrupted {@code corrupted[i]} is true when example i was selected
 */
public record LabelCorruption(Dataset data, boolean[] corrupted) {

    /**
     * Corrupts a fraction of the labels.
     *
     * @param fraction p in [0, 1]
     * @throws IllegalArgumentException if p is outside [0, 1] or the dataset has no labels
     */
    public static LabelCorruption apply(Dataset clean, double fraction, long seed) {
        if (!(fraction >= 0 && fraction <= 1)) {
            throw new IllegalArgumentException("fraction=" + fraction + " must be in [0, 1]");
        }
        if (!clean.hasLabels()) {
            throw new IllegalArgumentException("label corruption needs labels");
        }
        int n = clean.size();
        int count = (int) Math.round(fraction * n);
        SplittableRandom rnd = new SplittableRandom(seed);
        // A partial Fisher-Yates shuffle of 0..n-1: its first `count` entries are a uniform random subset.
        int[] idx = new int[n];
        for (int i = 0; i < n; i++) {
            idx[i] = i;
        }
        for (int i = 0; i < count; i++) {
            int j = i + rnd.nextInt(n - i);
            int t = idx[i];
            idx[i] = idx[j];
            idx[j] = t;
        }
        int[] labels = clean.labels();
        int[] selected = new int[count];
        for (int i = 0; i < count; i++) {
            selected[i] = labels[idx[i]];
        }
        for (int i = count - 1; i > 0; i--) {   // uniform permutation of the selected labels
            int j = rnd.nextInt(i + 1);
            int t = selected[i];
            selected[i] = selected[j];
            selected[j] = t;
        }
        boolean[] mask = new boolean[n];
        for (int i = 0; i < count; i++) {
            labels[idx[i]] = selected[i];
            mask[idx[i]] = true;
        }
        return new LabelCorruption(clean.withLabels(labels), mask);
    }

    /** The mask of examples whose label differs from {@code clean}'s. */
    public boolean[] changed(Dataset clean) {
        boolean[] c = new boolean[data.size()];
        for (int i = 0; i < c.length; i++) {
            c[i] = data.label(i) != clean.label(i);
        }
        return c;
    }

    /** The complement of {@link #corrupted()}: the examples that kept their labels by construction. */
    public boolean[] clean() {
        boolean[] c = new boolean[corrupted.length];
        for (int i = 0; i < c.length; i++) {
            c[i] = !corrupted[i];
        }
        return c;
    }

    /** Number of selected examples. */
    public int corruptedCount() {
        int c = 0;
        for (boolean b : corrupted) {
            c += b ? 1 : 0;
        }
        return c;
    }
}
