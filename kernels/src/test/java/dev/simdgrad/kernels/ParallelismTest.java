package dev.simdgrad.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A thread's own cap lowers its kernel calls' thread count, never raises it, and leaves other threads alone. */
class ParallelismTest {
    @Test
    void aThreadsCapIsItsOwn() throws InterruptedException {
        int saved = Parallelism.threads();
        Parallelism.setThreads(4);
        try {
            assertEquals(1024, Parallelism.capThisThread(1), "no cap before");
            assertEquals(1, Parallelism.threads());
            AtomicInteger other = new AtomicInteger();
            Thread t = new Thread(() -> other.set(Parallelism.threads()));
            t.start();
            t.join();
            assertEquals(4, other.get(), "another thread keeps the global count");
            assertEquals(1, Parallelism.capThisThread(8));
            assertEquals(4, Parallelism.threads(), "a cap above the global count does not raise it");
            Parallelism.setThreads(2);
            assertEquals(2, Parallelism.threads());
            assertThrows(IllegalArgumentException.class, () -> Parallelism.capThisThread(0));
            assertThrows(IllegalArgumentException.class, () -> Parallelism.capThisThread(1025));
            assertEquals(8, Parallelism.capThisThread(1024), "a refused cap changes nothing");
        } finally {
            Parallelism.capThisThread(1024);
            Parallelism.setThreads(saved);
        }
    }
}
