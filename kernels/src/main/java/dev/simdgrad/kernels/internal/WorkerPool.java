package dev.simdgrad.kernels.internal;

import dev.simdgrad.kernels.Parallelism;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * The threads that run kernels in parallel: the calling thread is worker 0, and {@code threads - 1} daemon threads
 * are started lazily. A run hands one {@link Task} to a fixed number of workers and returns when all are done.
 *
 * <p>No allocation per run (a kernel's steady state stays at ~0 B/op). Only one run at a time owns the pool: a
 * second caller that finds it busy (another thread's run, or a nested call from inside a task) gets {@code false}
 * from {@link #tryAcquire()} and runs its work on its own thread. That is safe because every kernel's result is
 * independent of how many workers computed it.
 *
 * <p>Waiting (for work, at a barrier, for the end of a run) spins briefly and then parks; whoever completes the
 * condition unparks the waiters. Spinning alone is fastest on an idle machine but collapses when the cores are
 * oversubscribed (a spinning thread burns the time slice the thread it waits for needs); parking after a short
 * spin keeps the idle-machine latency and degrades gracefully on a loaded one.
 */
public final class WorkerPool {
    /** Work split among workers; {@code worker} is in {@code [0, workers)}. */
    public interface Task {
        void run(int worker, int workers);
    }

    /**
     * Spins before parking ({@link Parallelism#SPINS_PROPERTY}, default {@value #DEFAULT_SPINS}): PAUSE takes ~40-140
     * cycles, so ~20-50 us, longer than a balanced barrier wait and far shorter than a scheduler time slice. Between
     * the products of a training step a worker waits longer than that and parks; waking it costs tens of
     * microseconds, which is why a dedicated machine may want more (see the property's Javadoc for the measurement).
     */
    static final int DEFAULT_SPINS = 1_000;
    private static final int SPINS = spinsOrDefault(System.getProperty(Parallelism.SPINS_PROPERTY));

    /**
     * A test's stand-in for the scheduler: called by worker {@code index} right after it reads a new run's ticket,
     * the moment at which a preemption used to let a worker mix up two runs.
     */
    interface TicketHook {
        void afterRead(int index);
    }

    private static final AtomicBoolean BUSY = new AtomicBoolean();
    private static final AtomicInteger REMAINING = new AtomicInteger();
    private static final AtomicInteger ARRIVED = new AtomicInteger();
    /** Bits of {@link #ticket} that hold a run's worker count (at most 1024, see Parallelism). */
    private static final int WORKER_BITS = 11;
    private static final long WORKER_MASK = (1L << WORKER_BITS) - 1;
    private static volatile int phase;
    /**
     * The current run: its generation in the high bits and its worker count in the low {@link #WORKER_BITS}, in one
     * volatile so a worker reads both at once. (Read separately, a worker that was not in run g could see g's
     * generation but the next run's worker count, run the next run's task as if it were g's, and then run it a
     * second time on seeing the next generation: two copies of one worker breaking the barriers and C.)
     */
    private static volatile long ticket;
    private static volatile Task task;
    private static volatile Throwable failure;
    /** Null in production (one static read per wake-up of a worker); set only by this package's tests. */
    static volatile TicketHook ticketHook;
    private static volatile Thread owner;
    /** Worker threads 1..n-1 at index 0..n-2; guarded by BUSY (only the pool owner starts threads). */
    private static volatile Thread[] threads = new Thread[0];

    private WorkerPool() {
    }

    /**
     * Takes the pool for one run. Returns {@code false} if another run (another thread's, or an enclosing one on
     * this thread) holds it; the caller then computes on its own thread. Pair with {@link #release()}.
     */
    public static boolean tryAcquire() {
        return BUSY.compareAndSet(false, true);
    }

    /** Gives back the pool taken by {@link #tryAcquire()}. */
    public static void release() {
        BUSY.set(false);
    }

    /**
     * Runs {@code t} on {@code workers} threads, the caller being worker 0, and waits for all of them. The caller
     * must hold the pool ({@link #tryAcquire()}). A failure in any worker is rethrown here.
     */
    public static void run(Task t, int workers) {
        if (workers <= 1) {
            t.run(0, 1);
            return;
        }
        ensureThreads(workers - 1);
        Thread[] ths = threads;
        owner = Thread.currentThread();
        failure = null;
        task = t;
        ARRIVED.set(0);
        REMAINING.set(workers - 1);
        ticket = ((ticket >>> WORKER_BITS) + 1) << WORKER_BITS | workers;
        for (int i = 0; i < workers - 1; i++) {
            LockSupport.unpark(ths[i]);
        }
        Throwable own = null;
        try {
            t.run(0, workers);
        } catch (Throwable e) {
            own = e;
            failure = e;
            wakeAll(ths, workers); // workers waiting at a barrier must see the failure
        }
        for (int spins = 0; REMAINING.get() != 0; spins++) {
            if (spins < SPINS) {
                Thread.onSpinWait();
            } else {
                LockSupport.park(WorkerPool.class);
            }
        }
        task = null;
        owner = null;
        Throwable f = own != null ? own : failure;
        if (f instanceof RuntimeException re) {
            throw re;
        } else if (f instanceof Error er) {
            throw er;
        } else if (f != null) {
            throw new IllegalStateException(f);
        }
    }

    /**
     * Waits until all {@code workers} of the current run have arrived (a sense-reversing barrier); the last to
     * arrive wakes the others. A worker that failed releases the others with an exception rather than leaving them
     * waiting forever.
     */
    public static void barrier(int workers) {
        if (workers <= 1) {
            return;
        }
        int p = phase;
        if (ARRIVED.incrementAndGet() == workers) {
            ARRIVED.set(0);
            phase = p + 1;
            wakeAll(threads, workers);
            return;
        }
        for (int spins = 0; phase == p; spins++) {
            if (failure != null) {
                throw new IllegalStateException("another worker failed", failure);
            }
            if (spins < SPINS) {
                Thread.onSpinWait();
            } else {
                LockSupport.park(WorkerPool.class);
            }
        }
    }

    /** Unparks every participant of the run but the calling thread (unparking a running thread is harmless). */
    private static void wakeAll(Thread[] ths, int workers) {
        Thread self = Thread.currentThread();
        Thread o = owner;
        if (o != null && o != self) {
            LockSupport.unpark(o);
        }
        for (int i = 0; i < workers - 1 && i < ths.length; i++) {
            if (ths[i] != self) {
                LockSupport.unpark(ths[i]);
            }
        }
    }

    private static void ensureThreads(int n) {
        Thread[] old = threads;
        if (old.length >= n) {
            return;
        }
        Thread[] grown = java.util.Arrays.copyOf(old, n);
        long start = ticket; // read before this run bumps it, so a late-starting thread cannot miss the run
        for (int i = old.length; i < n; i++) {
            int index = i + 1;
            Thread th = new Thread(() -> workerLoop(index, start), "simdgrad-worker-" + index);
            th.setDaemon(true);
            grown[i] = th;
        }
        threads = grown;
        for (int i = old.length; i < n; i++) {
            grown[i].start();
        }
    }

    private static void workerLoop(int index, long start) {
        long seen = start;
        while (true) {
            long g;
            for (int spins = 0; (g = ticket) == seen; spins++) {
                if (spins < SPINS) {
                    Thread.onSpinWait();
                } else {
                    LockSupport.park(WorkerPool.class);
                }
            }
            seen = g;
            TicketHook hook = ticketHook;
            if (hook != null) {
                hook.afterRead(index);
            }
            int n = (int) (g & WORKER_MASK);
            if (index >= n) {
                continue; // not in this run
            }
            // In this run, which cannot end (nor the next one start and replace the task) before we count down.
            Task t = task;
            Thread o = owner;
            try {
                t.run(index, n);
            } catch (Throwable e) {
                failure = e;
                wakeAll(threads, n);
            } finally {
                if (REMAINING.decrementAndGet() == 0 && o != null) {
                    LockSupport.unpark(o);
                }
            }
        }
    }

    /** The spin count a value of {@link Parallelism#SPINS_PROPERTY} asks for; absent or blank: the default. */
    /**
     * {@link #spins} at class load: a bad value is ignored with a warning naming the property, as the kernels'
     * other properties are, rather than failing the class's initialization for the rest of the JVM's life.
     */
    private static int spinsOrDefault(String value) {
        try {
            return spins(value);
        } catch (IllegalArgumentException e) {
            System.getLogger("dev.simdgrad.kernels").log(System.Logger.Level.WARNING, "simdgrad: " + e.getMessage()
                    + "; using the default " + DEFAULT_SPINS);
            return DEFAULT_SPINS;
        }
    }

    static int spins(String value) {
        if (value == null || value.isBlank()) {
            return DEFAULT_SPINS;
        }
        try {
            int n = Integer.parseInt(value.trim());
            if (n >= 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below, with the property's name
        }
        throw new IllegalArgumentException(Parallelism.SPINS_PROPERTY + "=" + value + " is not an integer >= 0");
    }
}
