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
import java.security.SecureRandom;
import java.util.function.BooleanSupplier;

/**
 * The driver's end of the rounds of one barrier job ({@link BarrierRounds}): a TCP server the W tasks connect to once,
 * through which each round's results come in and the next parameters go out, so a run of rounds costs one Spark job
 * instead of one job per round. Spark's own {@code BarrierTaskContext.allGather} would do the exchange, but it
 * answers about once a second (measured: 0.82-0.98 s per call in local mode, whatever the message size), which is
 * longer than a round.
 *
 * <p><b>Protocol</b> (big-endian, one connection per task attempt): the task sends HELLO (the fit's random token,
 * the stage attempt, the worker); then per round it sends RESULT (round, mean loss, compute nanoseconds, P floats) or
 * DIVERGED (round, message), and reads NEXT (round, P floats) or STOP. Results are read in worker order, so the
 * driver's aggregation sees the same matrix as a job per round would give it.
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

    /** One round's message from a worker: a result, or the reason its training diverged. */
    record Message(int worker, int round, double loss, long nanos, float[] trainable, String diverged) {
    }

    private final ServerSocket server;
    private final long token;
    private final int workers;
    private final Socket[] sockets;
    private final DataInputStream[] in;
    private final DataOutputStream[] out;
    private int attempt = -1;
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
        this.token = new SecureRandom().nextLong();
        try {
            server = new ServerSocket();
            server.bind(new InetSocketAddress(InetAddress.getByName(host), 0), workers);
            server.setSoTimeout(POLL_MILLIS);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen for the round channel on " + host, e);
        }
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
            try {
                magic = din.readInt();
                tok = din.readLong();
                att = din.readInt();
                worker = din.readInt();
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
            if (n != p) {
                throw new AttemptBroken("worker " + worker + " sent " + n + " parameters, expected " + p);
            }
            float[] v = rows[worker] == null || rows[worker].length != p ? rows[worker] = new float[p] : rows[worker];
            d.readFully(buffer(4 * p), 0, 4 * p);
            ByteBuffer.wrap(bytes, 0, 4 * p).asFloatBuffer().get(v);
            sockets[worker].setSoTimeout(POLL_MILLIS);
            return new Message(worker, r, loss, nanos, v, null);
        } catch (IOException e) {
            throw new AttemptBroken("worker " + worker + ": " + e);
        }
    }

    /** Sends every worker the next trainable parameters of {@code round}. */
    void sendNext(int round, float[] trainable) throws AttemptBroken {
        ByteBuffer.wrap(buffer(4 * trainable.length), 0, 4 * trainable.length).asFloatBuffer().put(trainable);
        for (int w = 0; w < workers; w++) {
            try {
                out[w].writeInt(NEXT);
                out[w].writeInt(round);
                out[w].write(bytes, 0, 4 * trainable.length);
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
        try {
            dropAll();
            server.close();
        } catch (IOException ignored) {
            // closing: nothing left to do
        }
    }
}
