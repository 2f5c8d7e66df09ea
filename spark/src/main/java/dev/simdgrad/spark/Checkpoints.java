package dev.simdgrad.spark;

import dev.simdgrad.nn.Architecture;
import dev.simdgrad.nn.DenseNetwork;
import dev.simdgrad.nn.io.ModelFile;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The driver's checkpoints: after round r (1-based count of finished rounds) the parameters are written as a simdgrad
 * model file {@code round-NNNNNNNNN-FINGERPRINT.sgnn} in the checkpoint directory, atomically
 * ({@link ModelFile#save}: a reader sees the old file or the new one), and older checkpoints are then deleted. Beside
 * it, when there is any, the {@link CarriedState} (the workers' velocities, the aggregator's previous step) goes to
 * {@code round-...-FINGERPRINT.state}, written first. Training state is exactly (parameters, carried state, rounds finished): batch orders, Byzantine
 * workers and attack noise are functions of the seed and the step or round, so a fit resumed from a checkpoint ends
 * with the same bits as one that was never interrupted. The directory is on the driver's file system.
 */
final class Checkpoints {
    private final Pattern name;

    /**
     * A checkpoint found on disk.
     *
     * @param rounds  the rounds finished when it was written
     * @param net     the network then
     * @param carried the workers' velocities and the aggregator's memory then
     */
    record Found(int rounds, DenseNetwork net, CarriedState carried) {
    }

    private final Path dir;
    private final String fingerprint;

    /**
     * @param fingerprint the training settings' {@link TrainingConfig#fingerprint()}: part of every file name, so a
     *                    fit never resumes from a checkpoint written with other settings
     */
    Checkpoints(Path dir, String fingerprint) {
        this.dir = dir;
        this.fingerprint = fingerprint;
        this.name = Pattern.compile("round-(\\d{9})-" + Pattern.quote(fingerprint) + "\\.sgnn");
    }

    /**
     * Writes the checkpoint after {@code rounds} rounds and deletes the older ones.
     *
     * @throws UncheckedIOException naming the file if it cannot be written
     */
    void save(int rounds, DenseNetwork net, CarriedState carried) {
        Path file = dir.resolve(String.format("round-%09d-%s.sgnn", rounds, fingerprint));
        try {
            Files.createDirectories(dir);
            if (!carried.isEmpty()) {   // first: a model file found later always has its state beside it
                writeState(stateFile(file), carried);
            }
            ModelFile.save(net, file);
            for (Path old : list()) {
                if (!old.equals(file) && rounds(old) < rounds) {
                    Files.deleteIfExists(old);
                    Files.deleteIfExists(stateFile(old));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write checkpoint " + file, e);
        }
    }

    /**
     * The newest checkpoint, or null if the directory holds none.
     *
     * @throws IllegalArgumentException if it was written for another architecture
     * @throws UncheckedIOException     if it cannot be read (naming the file)
     */
    Found latest(Architecture expected, int workers) {
        Path best = null;
        for (Path p : list()) {
            if (best == null || rounds(p) > rounds(best)) {
                best = p;
            }
        }
        if (best == null) {
            return null;
        }
        DenseNetwork net;
        try {
            net = ModelFile.loadNetwork(best);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read checkpoint " + best, e);
        }
        if (!net.architecture().equals(expected)) {
            throw new IllegalArgumentException("checkpoint " + best + " holds " + net.architecture()
                    + ", not the network being trained (" + expected + "); use another checkpointDir");
        }
        Path state = stateFile(best);
        CarriedState carried;
        try {
            carried = Files.exists(state) ? readState(state, workers, net.trainableCount())
                    : CarriedState.initial(workers);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read checkpoint state " + state, e);
        }
        return new Found(rounds(best), net, carried);
    }

    private static Path stateFile(Path model) {
        String n = model.getFileName().toString();
        return model.resolveSibling(n.substring(0, n.length() - ".sgnn".length()) + ".state");
    }

    private static final int STATE_MAGIC = 0x53475354;   // "SGST"

    /**
     * The carried state as its own small file (written to a temporary file and moved into place): magic, version 1,
     * W, P, then per worker a flag and its P velocity floats, then a flag and the previous step's P floats.
     */
    private static void writeState(Path file, CarriedState c) throws IOException {
        int p = -1;
        for (float[] v : c.velocities()) {
            p = v != null ? v.length : p;
        }
        p = c.previousStep() != null ? c.previousStep().length : p;
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try (java.io.DataOutputStream out = new java.io.DataOutputStream(new java.io.BufferedOutputStream(
                Files.newOutputStream(tmp)))) {
            out.writeInt(STATE_MAGIC);
            out.writeInt(1);
            out.writeInt(c.velocities().length);
            out.writeInt(p);
            for (float[] v : c.velocities()) {
                writeVector(out, v);
            }
            writeVector(out, c.previousStep());
        }
        Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    private static void writeVector(java.io.DataOutputStream out, float[] v) throws IOException {
        out.writeBoolean(v != null);
        if (v != null) {
            for (float x : v) {
                out.writeFloat(x);
            }
        }
    }

    private static CarriedState readState(Path file, int workers, int p) throws IOException {
        try (java.io.DataInputStream in = new java.io.DataInputStream(new java.io.BufferedInputStream(
                Files.newInputStream(file)))) {
            int magic = in.readInt(), version = in.readInt(), w = in.readInt(), n = in.readInt();
            if (magic != STATE_MAGIC || version != 1 || w != workers || (n != p && n != -1)) {
                throw new IOException("not a checkpoint state of " + workers + " workers and " + p
                        + " trainable parameters (magic " + Integer.toHexString(magic) + ", version " + version
                        + ", " + w + " workers, " + n + " parameters)");
            }
            float[][] v = new float[w][];
            for (int i = 0; i < w; i++) {
                v[i] = readVector(in, p);
            }
            return new CarriedState(v, readVector(in, p));
        }
    }

    private static float[] readVector(java.io.DataInputStream in, int p) throws IOException {
        if (!in.readBoolean()) {
            return null;
        }
        float[] v = new float[p];
        for (int j = 0; j < p; j++) {
            v[j] = in.readFloat();
        }
        return v;
    }

    private List<Path> list() {
        List<Path> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (Stream<Path> s = Files.list(dir)) {
            s.filter(p -> name.matcher(p.getFileName().toString()).matches()).forEach(out::add);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list checkpoint directory " + dir, e);
        }
        return out;
    }

    private int rounds(Path p) {
        Matcher m = name.matcher(p.getFileName().toString());
        if (!m.matches()) {
            throw new IllegalStateException(p.toString());
        }
        return Integer.parseInt(m.group(1));
    }
}
