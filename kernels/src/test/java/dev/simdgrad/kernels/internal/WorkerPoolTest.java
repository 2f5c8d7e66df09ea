package dev.simdgrad.kernels.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Regression test of a race in {@link WorkerPool}: a worker left out of one run (fewer workers than threads)
 * could read that run's generation, be preempted, and then read the next run's worker count; it joined the next
 * run from the wrong generation and, on noticing the newer generation, ran it a second time: one worker's part of a
 * GEMM done twice (C := alpha AB + beta C applied twice where beta != 0), the barrier and the count of
 * remaining workers thrown off, and sometimes the caller spinning forever. The preemption is played by
 * {@link WorkerPool#ticketHook}, and every wait below is on an event, so the schedule is the same on every run.
 */
class WorkerPoolTest {
    private static final int A = 0, B = 1, C = 2, WORKERS = 4;

    @Test
    void theSpinPropertyIsANonNegativeIntegerOrAbsent() {
        assertEquals(WorkerPool.DEFAULT_SPINS, WorkerPool.spins(null));
        assertEquals(WorkerPool.DEFAULT_SPINS, WorkerPool.spins(" "));
        assertEquals(0, WorkerPool.spins("0"));
        assertEquals(300_000, WorkerPool.spins(" 300000 "));
        for (String bad : new String[] {"-1", "lots", "1e5", "99999999999"}) {
            IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(
                    IllegalArgumentException.class, () -> WorkerPool.spins(bad));
            assertEquals("simdgrad.pool.spins=" + bad + " is not an integer >= 0", e.getMessage());
        }
    }

    // A pool that regresses hangs (its caller waits for a count that skipped zero) rather than failing; the
    // timeout turns that into a failure. It bounds a deadlock, it does not measure speed.
    @Test
    @Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void aWorkerLeftOutOfOneRunJoinsTheNextRunExactlyOnce() {
        AtomicIntegerArray calls = new AtomicIntegerArray(3 * WORKERS); // [run][worker]
        AtomicInteger phase = new AtomicInteger(A);
        AtomicBoolean preempted = new AtomicBoolean();
        AtomicBoolean nextRunStarted = new AtomicBoolean();
        Thread[] worker3 = new Thread[1];
        WorkerPool.Task task = (w, n) -> {
            int run = phase.get();
            calls.incrementAndGet(run * WORKERS + w);
            if (run == B && w == 0) {
                // Worker 3 is not in run B. Wake it (it may have parked) and keep B open until it has read B's
                // ticket and been "preempted" right after.
                java.util.concurrent.locks.LockSupport.unpark(worker3[0]);
                while (!preempted.get()) {
                    Thread.onSpinWait();
                }
            }
            if (run == C && w == 0) {
                nextRunStarted.set(true); // ends worker 3's preemption
            }
            if (run == C && w != 3) {
                // Keep C open until worker 3 has either run C twice (the bug) or gone back to sleep after once.
                while (calls.get(C * WORKERS + 3) < 2
                        && !(calls.get(C * WORKERS + 3) == 1 && worker3[0].getState() == Thread.State.WAITING)) {
                    Thread.onSpinWait();
                }
            }
        };
        try {
            assertEquals(true, WorkerPool.tryAcquire());
            WorkerPool.run(task, WORKERS); // run A starts the three pool threads
            worker3[0] = Thread.getAllStackTraces().keySet().stream()
                    .filter(t -> t.getName().equals("simdgrad-worker-3")).findFirst().orElseThrow();
            WorkerPool.ticketHook = index -> {
                if (index == 3 && phase.get() == B && !preempted.get()) {
                    preempted.set(true);
                    while (!nextRunStarted.get()) {
                        Thread.onSpinWait();
                    }
                }
            };
            phase.set(B);
            WorkerPool.run(task, 2);
            phase.set(C);
            WorkerPool.run(task, WORKERS);
        } finally {
            WorkerPool.ticketHook = null;
            WorkerPool.release();
        }
        int[][] expected = {{1, 1, 1, 1}, {1, 1, 0, 0}, {1, 1, 1, 1}};
        for (int run = A; run <= C; run++) {
            for (int w = 0; w < WORKERS; w++) {
                assertEquals(expected[run][w], calls.get(run * WORKERS + w),
                        "calls of worker " + w + " in run " + "ABC".charAt(run));
            }
        }
    }
}
