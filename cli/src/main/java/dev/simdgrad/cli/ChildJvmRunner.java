package dev.simdgrad.cli;

import dev.simdgrad.kernels.Parallelism;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code verify-worker} in a child JVM per width: the same java binary and class path as this JVM, the
 * vector module, and {@code -Dsimdgrad.vector.bits=W} (a width is read once, when the kernels load, so each width
 * needs its own JVM). The child's stdout carries the {@link WorkerProtocol} lines; its stderr (the provider's log
 * line, a stack trace) is kept and shown only when the child fails.
 */
final class ChildJvmRunner implements WidthRunner {
    /** A worker that takes longer than this is stuck: the default run takes seconds per width. */
    private static final long TIMEOUT_MINUTES = 30;

    /** Lines of a failed child's stderr quoted in the report. */
    private static final int STDERR_TAIL = 8;

    @Override
    public WidthReport run(int requestedBits, int cases, long seed) throws InterruptedException {
        List<String> command = command(requestedBits, cases, seed);
        Process p;
        try {
            p = new ProcessBuilder(command).start();
        } catch (IOException e) {
            return WidthReport.failed(requestedBits, "could not start " + command.getFirst() + ": " + e.getMessage());
        }
        try {
            p.getOutputStream().close(); // the worker reads nothing
        } catch (IOException ignored) {
            // a child that already exited has no stdin to close
        }
        List<String> err = new ArrayList<>();
        Thread errReader = Thread.ofVirtual().start(() -> readLines(p.getErrorStream(), err));
        List<String> out = new ArrayList<>();
        readLines(p.getInputStream(), out);
        if (!p.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            return WidthReport.failed(requestedBits, "the worker JVM did not finish in " + TIMEOUT_MINUTES
                    + " minutes");
        }
        errReader.join();
        WidthReport r = WorkerProtocol.parse(requestedBits, out);
        if (p.exitValue() != 0 || r.error() != null) {
            String why = r.error() != null ? r.error() : "";
            List<String> tail;
            synchronized (err) {
                tail = err.subList(Math.max(0, err.size() - STDERR_TAIL), err.size());
                why += (why.isEmpty() ? "" : "; ") + "worker JVM exited with " + p.exitValue()
                        + (tail.isEmpty() ? "" : ", stderr: " + String.join(" | ", tail));
            }
            return new WidthReport(requestedBits, r.vectorBits(), r.simd(), r.results(), why);
        }
        return r;
    }

    /** The child's command line: this JVM's java, class path and thread budget, plus the width. */
    static List<String> command(int requestedBits, int cases, long seed) {
        String java = ProcessHandle.current().info().command().orElse(
                System.getProperty("java.home") + "/bin/java");
        List<String> cmd = new ArrayList<>(List.of(java, "--add-modules", "jdk.incubator.vector", "-Xss8m",
                "-Dsimdgrad.vector.bits=" + requestedBits,
                // The parent's budget, which may have been set by a property or by default: same in every child.
                "-D" + Parallelism.THREADS_PROPERTY + "=" + Parallelism.threads(),
                "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "verify-worker", "--cases", Integer.toString(cases),
                "--seed", Long.toString(seed)));
        return cmd;
    }

    private static void readLines(InputStream in, List<String> sink) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                synchronized (sink) {
                    sink.add(line);
                }
            }
        } catch (IOException e) {
            synchronized (sink) {
                sink.add("(reading the worker's output failed: " + e.getMessage() + ")");
            }
        }
    }
}
