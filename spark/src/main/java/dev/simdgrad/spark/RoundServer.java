package dev.simdgrad.spark;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.SecureRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.BooleanSupplier;

/**
 * The driver's end of the rounds of one barrier job ({@link BarrierRounds}): a TCP server the W tasks connect to once,
 * through which each round's results come in and the next parameters go out, so a run of rounds costs one Spark job
 * instead of one job per round. Spark's own {@code BarrierTaskContext.allGather} would do the exchange, but it
 * answers about once a second (measured: 0.82-0.98 s per call in local mode, whatever the message size), which is
 * longer than a round.
 *
 * <p><b>Protocol</b> (one connection per task attempt; ints big-endian, parameters little-endian floats, which x86
 * and ARM copy without swapping bytes): the task sends HELLO (the fit's random token, the stage attempt, the worker,
 * whether it runs in the driver's JVM); then per round it sends RESULT (round, mean loss, compute nanoseconds, n, n
 * floats) or DIVERGED (round, message), and reads NEXT (round, n, n floats) or STOP. Results are read in worker order,
 * so the driver's aggregation sees the same matrix as a job per round would give it.
 *
 * <p><b>In the driver's JVM</b> (local mode, where every task is a thread of the driver's process) the parameters do
 * not go through the socket: the task hands its result array to this server in memory and sends n =
 * {@link #IN_MEMORY} instead of the P floats, and reads the driver's aggregate the same way. The messages, and so the
 * rounds, the attempts and the failures, are those of the TCP path; only the copies are gone (measured in the MLlib
 * comparison's 10-epoch fits, the two paths alternating: the 400 rounds took 0.86 s with each worker's two 200 KB
 * vectors written, read and converted, 0.61 s handed over). On a cluster, executors are other processes and never
 * find the server here.
 *
 * <p><b>Attempts.</b> If a task of the barrier stage fails, Spark kills the others and runs the whole stage again. The
 * server notices a broken connection (end of stream, or a HELLO from a later stage attempt), closes every connection
 * of the old attempt (so its tasks stop waiting), and waits for the new attempt's W connections; the caller restarts
 * its rounds from the job's first. The token keeps strangers out (it is not encryption: on a cluster whose network
 * is not trusted, use {@code roundMode=job}, which goes through Spark's own RPC).
 */
final class RoundServer implements Closeable {
    static final int HELLO = 0x53474831;   // "SGH1"
    static final int RESULT = 1, DIVERGED = 2, NEXT = 3, STOP = 4;
    /** The length sent instead of P when the parameters were handed over in memory. */
    static final int IN_MEMORY = -1;
    /** The byte order of the parameters on the wire. */
    static final ByteOrder ORDER = ByteOrder.LITTLE_ENDIAN;
    /** The open servers of this JVM, by token: a task in the driver's JVM finds its server here. */
    private static final ConcurrentHashMap<Long, RoundServer> IN_THIS_JVM = new ConcurrentHashMap<>();
    /** Test hook: false makes tasks in the driver's JVM send their parameters over TCP too. */
    static volatile boolean handOverInMemory = true;
    /** Results handed over in memory since the JVM started (what a test checks to see that path taken). */
    static final java.util.concurrent.atomic.LongAdder HANDED_OVER = new java.util.concurrent.atomic.LongAdder();
    /** How long a blocking accept or read waits before checking whether the job is still running. */
    private static final int POLL_MILLIS = 200;
    /** How long the rest of a message may take once its first byte came. */
    private static final int MESSAGE_MILLIS = 60_000;

    /** Thrown when the current attempt's connections broke: the caller restarts the job's rounds. */
    static final class AttemptBroken extends Exception {
        AttemptBroken(String why) {
            super(why, null, false, false);
        }
    }

    /** Parameters handed over in memory, with the stage attempt and round they belong to. */
    private record Handover(int attempt, int round, float[] values) {
    }

    /** One round's message from a worker: a result, or the reason its training diverged. */
    record Message(int worker, int round, double loss, long nanos, float[] trainable, String diverged) {
    }

    private final ServerSocket server;
    private final long token;
    private final int workers;
    private final Socket[] sockets;
    private final DataInputStream[] in;
    private final DataOutputStream[] out;
    private volatile int attempt = -1;
    /** Per worker, whether its task runs in this JVM (hands its parameters over in memory). */
    private final boolean[] inMemory;
    /** Per worker, the result its task handed over last. */
    private final AtomicReferenceArray<Handover> results;
    /** The aggregate the driver published last, for the tasks in this JVM. */
    private volatile Handover published;
    private byte[] bytes = new byte[0];
    /** Per worker, the array its results are read into (reused: a round's rows are copied out before the next). */
    private final float[][] rows;

    /**
     * Listens on {@code host} (the driver's address as the executors see it), on a free port.
     *
     * @throws UncheckedIOException if the socket cannot be opened
     */
    RoundServer(String host, int workers) {
        this.workers = workers;
        this.sockets = new Socket[workers];
        this.in = new DataInputStream[workers];
        this.out = new DataOutputStream[workers];
        this.rows = new float[workers][];
        this.inMemory = new boolean[workers];
        this.results = new AtomicReferenceArray<>(workers);
        long t;
        do {
            t = new SecureRandom().nextLong();
        } while (IN_THIS_JVM.putIfAbsent(t, this) != null);
        this.token = t;
        try {
            server = new ServerSocket();
            server.bind(new InetSocketAddress(InetAddress.getByName(host), 0), workers);
            server.setSoTimeout(POLL_MILLIS);
        } catch (IOException e) {
            IN_THIS_JVM.remove(token);
            throw new UncheckedIOException("cannot listen for the round channel on " + host, e);
        }
    }

    /** The server of {@code token} if it runs in this JVM (the task is a thread of the driver), else null. */
    static RoundServer inThisJvm(long token) {
        return handOverInMemory ? IN_THIS_JVM.get(token) : null;
    }

    /**
     * A task in this JVM hands over its result for {@code round} (before it sends the RESULT message); the array is
     * the driver's to read until the task receives the next message.
     */
    void handOver(int attempt, int worker, int round, float[] values) {
        results.set(worker, new Handover(attempt, round, values));
        HANDED_OVER.increment();
    }

    /**
     * For a task in this JVM that received NEXT for {@code round}: the aggregate, which it must copy before it sends
     * its next result (the driver reuses the array for the round after).
     *
     * @throws IllegalStateException if the driver published none for that attempt and round
     */
    float[] published(int attempt, int round) {
        Handover h = published;
        if (h == null || h.attempt() != attempt || h.round() != round) {
            throw new IllegalStateException("round channel: no parameters in memory for attempt " + attempt
                    + ", round " + round);
        }
        return h.values();
    }

    /** The port the tasks connect to. */
    int port() {
        return server.getLocalPort();
    }

    /** The token the tasks present. */
    long token() {
        return token;
    }

    /**
     * Waits until all W tasks of one stage attempt have connected (a later attempt replaces an earlier one).
     *
     * @param jobDone true once the job has ended (then waiting is pointless)
     * @return false if the job ended first
     */
    boolean awaitWorkers(BooleanSupplier jobDone) throws IOException {
        int connected = 0;
        for (Socket s : sockets) {
            connected += s != null ? 1 : 0;
        }
        while (connected < workers) {
            if (jobDone.getAsBoolean()) {
                return false;
            }
            Socket s;
            try {
                s = server.accept();
            } catch (SocketTimeoutException e) {
                continue;
            }
            s.setTcpNoDelay(true);
            DataInputStream din = new DataInputStream(new BufferedInputStream(s.getInputStream(), 1 << 16));
            s.setSoTimeout(POLL_MILLIS * 10);
            int magic, att, worker;
            long tok;
            boolean local;
            try {
                magic = din.readInt();
                tok = din.readLong();
                att = din.readInt();
                worker = din.readInt();
                local = din.readBoolean();
            } catch (IOException e) {
                s.close();
                continue;
            }
            if (magic != HELLO || tok != token || worker < 0 || worker >= workers || att < attempt) {
                s.close();   // a stranger, or a task of an attempt already abandoned
                continue;
            }
            if (att > attempt) {
                dropAll();
                attempt = att;
                connected = 0;
            }
            if (sockets[worker] != null) {
                sockets[worker].close();
                connected--;
            }
            s.setSoTimeout(POLL_MILLIS);
            sockets[worker] = s;
            inMemory[worker] = local;
            in[worker] = din;
            out[worker] = new DataOutputStream(new BufferedOutputStream(s.getOutputStream(), 1 << 16));
            connected++;
        }
        return true;
    }

    /**
     * Reads worker {@code worker}'s message for {@code round}. Its parameters are in an array this server reuses for
     * the worker's next message (no allocation per round): use them before the next receive from that worker.
     *
     * @throws AttemptBroken if its connection broke or the job ended
     */
    Message receive(int worker, int round, int p, BooleanSupplier jobDone) throws AttemptBroken {
        DataInputStream d = in[worker];
        try {
            int kind = readKind(worker, jobDone);
            int r = d.readInt();
            if (r != round) {
                throw new AttemptBroken("worker " + worker + " sent round " + r + ", expected " + round);
            }
            if (kind == DIVERGED) {
                String why = d.readUTF();
                sockets[worker].setSoTimeout(POLL_MILLIS);
                return new Message(worker, r, Double.NaN, 0, null, why);
            }
            if (kind != RESULT) {
                throw new AttemptBroken("worker " + worker + " sent message kind " + kind);
            }
            double loss = d.readDouble();
            long nanos = d.readLong();
            int n = d.readInt();
            float[] v;
            if (n == IN_MEMORY && inMemory[worker]) {
                Handover h = results.get(worker);
                if (h == null || h.attempt() != attempt || h.round() != round || h.values().length != p) {
                    throw new AttemptBroken("worker " + worker + " handed over no parameters for round " + round);
                }
                v = h.values();
            } else if (n == p) {
                v = rows[worker] == null || rows[worker].length != p ? rows[worker] = new float[p] : rows[worker];
                d.readFully(buffer(4 * p), 0, 4 * p);
                ByteBuffer.wrap(bytes, 0, 4 * p).order(ORDER).asFloatBuffer().get(v);
            } else {
                throw new AttemptBroken("worker " + worker + " sent " + n + " parameters, expected " + p);
            }
            sockets[worker].setSoTimeout(POLL_MILLIS);
            return new Message(worker, r, loss, nanos, v, null);
        } catch (IOException e) {
            throw new AttemptBroken("worker " + worker + ": " + e);
        }
    }

    /**
     * Sends every worker the next trainable parameters of {@code round}; the tasks in this JVM read {@code trainable}
     * itself, so the caller must not change it before every worker's next result came in.
     */
    void sendNext(int round, float[] trainable) throws AttemptBroken {
        int n = trainable.length;
        boolean encoded = false;
        published = new Handover(attempt, round, trainable);
        for (int w = 0; w < workers; w++) {
            try {
                out[w].writeInt(NEXT);
                out[w].writeInt(round);
                if (inMemory[w]) {
                    out[w].writeInt(IN_MEMORY);
                } else {
                    if (!encoded) {
                        ByteBuffer.wrap(buffer(4 * n), 0, 4 * n).order(ORDER).asFloatBuffer().put(trainable);
                        encoded = true;
                    }
                    out[w].writeInt(n);
                    out[w].write(bytes, 0, 4 * n);
                }
                out[w].flush();
            } catch (IOException e) {
                throw new AttemptBroken("worker " + w + ": " + e);
            }
        }
    }

    /** Tells every connected worker to end its task without a result (best effort). */
    void sendStop() {
        for (int w = 0; w < workers; w++) {
            if (out[w] != null) {
                try {
                    out[w].writeInt(STOP);
                    out[w].flush();
                } catch (IOException ignored) {
                    // the task is gone already
                }
            }
        }
    }

    /** Closes the current attempt's connections, so its tasks stop waiting. */
    void dropAll() throws IOException {
        for (int w = 0; w < workers; w++) {
            if (sockets[w] != null) {
                sockets[w].close();
            }
            sockets[w] = null;
            in[w] = null;
            out[w] = null;
        }
    }

    /**
     * The first int of a message. Its first byte is awaited in slices of {@link #POLL_MILLIS}, so a job that ended (its
     * tasks gone) is noticed; a timed-out read consumes nothing. The rest of the message follows at once from the
     * task, so it is read with a long timeout (a task that dies closes its socket: end of stream).
     */
    private int readKind(int worker, BooleanSupplier jobDone) throws IOException, AttemptBroken {
        DataInputStream d = in[worker];
        int b0;
        while (true) {
            try {
                b0 = d.read();
                break;
            } catch (SocketTimeoutException e) {
                if (jobDone.getAsBoolean()) {
                    throw new AttemptBroken("the job ended");
                }
            }
        }
        if (b0 < 0) {
            throw new AttemptBroken("worker " + worker + " closed its connection");
        }
        sockets[worker].setSoTimeout(MESSAGE_MILLIS);
        return b0 << 24 | d.readUnsignedByte() << 16 | d.readUnsignedByte() << 8 | d.readUnsignedByte();
    }

    private byte[] buffer(int n) {
        if (bytes.length < n) {
            bytes = new byte[n];
        }
        return bytes;
    }

    @Override
    public void close() {
        IN_THIS_JVM.remove(token);
        try {
            dropAll();
            server.close();
        } catch (IOException ignored) {
            // closing: nothing left to do
        }
    }
}
