package dev.simdgrad.verify;

import java.lang.management.ManagementFactory;

/**
 * Bytes a call allocates once warm, from the JVM's per-thread allocation counter (deterministic, not a timing).
 * C2 compiles in the background, and interpreted or C1 code boxes vectors, so the call is warmed up in rounds until
 * a measured round is under the limit; a call still over it after every round allocates for real.
 */
final class SteadyStateAllocation {
    private SteadyStateAllocation() {
    }

    /** Whether this JVM counts allocations per thread; the allocation tests return early where it does not. */
    static boolean supported() {
        return ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean mx
                && mx.isThreadAllocatedMemorySupported();
    }

    /**
     * Runs {@code call} in rounds of {@code warmCalls} unmeasured then {@code measuredCalls} measured calls, at most
     * {@code rounds} rounds, stopping at the first round under {@code limit} bytes per call.
     *
     * @return bytes per call in the last measured round
     */
    static long perCall(Runnable call, int warmCalls, int measuredCalls, int rounds, long limit) {
        var mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long id = Thread.currentThread().threadId();
        long perCall = Long.MAX_VALUE;
        for (int round = 0; round < rounds && perCall >= limit; round++) {
            for (int i = 0; i < warmCalls; i++) {
                call.run();
            }
            long before = mx.getThreadAllocatedBytes(id);
            for (int i = 0; i < measuredCalls; i++) {
                call.run();
            }
            perCall = (mx.getThreadAllocatedBytes(id) - before) / measuredCalls;
        }
        return perCall;
    }
}
