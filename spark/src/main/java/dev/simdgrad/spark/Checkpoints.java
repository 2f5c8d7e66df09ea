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
 * model file {@code round-NNNNNNNNN-FINGERPRINT.sgnn} in the checkpoint directory, atomically ({@link ModelFile#save}: a reader
 * sees the old file or the new one), and older checkpoints are then deleted. Training state is exactly (parameters,
 * rounds finished): batch orders, Byzantine workers and attack noise are functions of the seed and the step or round,
 * and no aggregator keeps state between rounds, so a fit resumed from a checkpoint ends with the same bits as one
 * that was never interrupted. The directory is on the driver's file system.
 */
final class Checkpoints {
    private final Pattern name;

    /**
     * A checkpoint found on disk.
     *
     * @param rounds the rounds finished when it was written
     * @param net    the network then
     */
    record Found(int rounds, DenseNetwork net) {
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
    void save(int rounds, DenseNetwork net) {
        Path file = dir.resolve(String.format("round-%09d-%s.sgnn", rounds, fingerprint));
        try {
            Files.createDirectories(dir);
            ModelFile.save(net, file);
            for (Path old : list()) {
                if (!old.equals(file) && rounds(old) < rounds) {
                    Files.deleteIfExists(old);
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
    Found latest(Architecture expected) {
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
        return new Found(rounds(best), net);
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
