package dev.simdgrad.spark;

/**
 * Seeds derived from the training seed, so every random choice is a pure function of (seed, what it is for) and a
 * retried task or a resumed run draws the same numbers.
 */
final class Seeds {
    /** The golden-ratio increment of SplittableRandom: consecutive workers get well-separated seeds. */
    static final long GOLDEN = 0x9E3779B97F4A7C15L;

    private Seeds() {
    }

    /**
     * The seed of worker w's batch order: {@code seed + w * GOLDEN}, so worker 0 uses the training seed itself and a
     * run with one worker shuffles exactly as nn's {@code Trainer} with that seed.
     */
    static long worker(long seed, int w) {
        return seed + w * GOLDEN;
    }

    /** A seed for (seed, round, worker), mixed by SplitMix64's finalizer. */
    static long mix(long seed, int round, int worker) {
        long z = seed + GOLDEN * (1 + round) + 0xBF58476D1CE4E5B9L * (1 + worker);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
