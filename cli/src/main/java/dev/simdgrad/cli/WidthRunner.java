package dev.simdgrad.cli;

/** Runs the kernel checks at one requested vector width and reports what happened. */
@FunctionalInterface
interface WidthRunner {
    /**
     * @param requestedBits 0, 128, 256 or 512
     * @param cases         random cases per check
     * @param seed          seed of the random cases
     * @return the report; a worker that failed gives a report with an error rather than an exception
     * @throws InterruptedException if interrupted while waiting for a worker
     */
    WidthReport run(int requestedBits, int cases, long seed) throws InterruptedException;
}
