package dev.simdgrad.nn.io;

import dev.simdgrad.nn.Activation;
import dev.simdgrad.nn.Architecture;
import dev.simdgrad.nn.DenseNetwork;
import dev.simdgrad.nn.Init;
import dev.simdgrad.nn.LayerSpec;
import dev.simdgrad.nn.NetSpec;
import dev.simdgrad.nn.Parametrization;
import dev.simdgrad.nn.TwoLayerNet;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32;

/**
 * Saving and loading a {@link DenseNetwork} of any depth: a versioned binary format with a CRC-32, written
 * atomically. A {@link TwoLayerNet} is written in version 1, which every release reads; any other network in
 * version 2. {@link #loadNetwork} reads both; {@link #load} reads a two-layer network.
 *
 * <p>Format version 2 (any depth), big-endian:
 * <pre>
 *   magic      4 bytes  "SGNN"
 *   version    int32    2
 *   layers     int32    L, 1 .. {@value #MAX_LAYERS}
 *   parametrization int8 (ordinal of {@link Parametrization}); flags int8: bit 0 symmetric init, bits 1-7 are 0
 *   per layer  L x (inputs int32, outputs int32, activation int8, init int8, layer flags int8: bit 0 bias,
 *              bit 1 frozen, bits 2-7 are 0)
 *   count      int32    number of parameters P (must match the layers)
 *   parameters P x float32 (the layout of {@link DenseNetwork#parameters()})
 *   crc        int32    CRC-32 of every preceding byte
 * </pre>
 *
 * <p>Format version 1 (the two-layer network), big-endian:
 * <pre>
 *   magic      4 bytes  "SGNN"
 *   version    int32    1
 *   d, m, k    3 x int32
 *   activation, parametrization, init   3 x int8 (ordinals of {@link Activation}, {@link Parametrization}, {@link Init})
 *   flags      int8     bit 0 hidden bias, 1 output bias, 2 frozen output, 3 symmetric init; bits 4-7 are 0
 *   count      int32    number of parameters P (must match the spec)
 *   parameters P x float32 (IEEE bits, in the layout of {@link TwoLayerNet#parameters()})
 *   crc        int32    CRC-32 of every preceding byte
 * </pre>
 *
 * <p>Saving writes the temporary file {@code .NAME.tmp} beside the target {@code NAME}, forces it to disk, and
 * renames it over the target (atomically where the file system can), so a reader sees the old file or the new
 * one, never a partial one. The temporary name is derived from the target rather than random so that a save that
 * was killed half-way leaves at most that one file, which the next save to the same target overwrites and renames
 * away: no stray temporary files accumulate. The price: two <em>processes</em> saving to the same target at the
 * same moment contend for the one temporary file, and one of them may fail, or, rarely, leave a mix of both, which
 * loading rejects (length or checksum); saves from threads of one JVM are serialized. A leftover temporary file is
 * deleted, never opened, so a symbolic link planted under its name cannot redirect the write. The new file gets the permissions of a newly created
 * file (the umask applies), or those of the file it replaces. A target that is a symbolic link is resolved first:
 * the link keeps pointing where it did, and the file it points to is replaced. A failed save names the target
 * (not the temporary file) and leaves the target as it was.
 *
 * <p>Loading reads and checks the header first (magic, version, flags, the spec, and the parameter count against
 * the spec and against the file's length), so a file of the wrong size or shape is rejected before its parameters
 * are allocated; then it reads the parameters and validates the checksum before a network is built: a bad file
 * gives a {@link ModelFormatException} and never a half-loaded model.
 */
public final class ModelFile {
    /** The newest format version (any depth); two-layer networks are still written in version 1. */
    public static final int VERSION = 2;
    /** The two-layer format. */
    static final int VERSION_1 = 1;
    /** Most layers a version-2 file may declare (a bound checked before the layer table is read). */
    public static final int MAX_LAYERS = 1024;
    private static final int V2_FIXED = 4 + 4 + 4 + 1 + 1;
    private static final int V2_LAYER = 4 + 4 + 1 + 1 + 1;
    private static final int MAGIC = 0x53474E4E; // "SGNN"
    private static final int HEADER = 4 + 4 + 12 + 3 + 1 + 4;
    /** The flag bits version 1 defines (hidden bias, output bias, frozen output, symmetric init). */
    private static final int KNOWN_FLAGS = 0x0F;
    /** Symbolic links followed at most, as the kernel's own limit (ELOOP). */
    private static final int MAX_LINKS = 40;
    /** Bytes of parameters read at a time. */
    private static final int CHUNK = 1 << 16;
    /**
     * Locks striped by target path: threads of this JVM saving to the same target take turns on its temporary file
     * (two different targets may share a stripe and then wait for each other, which costs only time).
     */
    private static final Object[] SAVING = new Object[64];

    static {
        Arrays.setAll(SAVING, i -> new Object());
    }

    private ModelFile() {
    }

    /**
     * Writes the network (spec and all parameters) to {@code file}, atomically replacing any existing file (through
     * a symbolic link: the file it points to).
     *
     * @throws IOException naming {@code file} if its directory is missing or not writable, it is a directory, or the
     *                     write fails; the target is then left as it was and no temporary file remains
     */
    public static void save(DenseNetwork net, Path file) throws IOException {
        byte[] bytes = net instanceof TwoLayerNet two ? encode(two) : encode(net);
        Path target = resolveLinks(file.toAbsolutePath(), file);
        Path dir = target.getParent();
        if (Files.isDirectory(target)) {
            throw new IOException("cannot save the model to " + file + ": it is a directory");
        }
        if (dir == null || !Files.isDirectory(dir)) {
            throw new IOException("cannot save the model to " + file + ": directory " + dir + " does not exist");
        }
        Path tmp = dir.resolve("." + target.getFileName() + ".tmp");
        Object lock = SAVING[Math.floorMod(target.hashCode(), SAVING.length)];
        synchronized (lock) {
            try {
                write(bytes, tmp, target);
                try {
                    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
                }
            } catch (IOException e) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException suppressed) {
                    e.addSuppressed(suppressed);
                }
                throw new IOException("cannot save the model to " + file
                        + (target.equals(file.toAbsolutePath()) ? "" : " (" + target + ")") + ": " + reason(e), e);
            }
        }
    }

    /** Writes {@code bytes} to a new file {@code tmp} (a leftover is removed first) and forces them to disk. */
    private static void write(byte[] bytes, Path tmp, Path target) throws IOException {
        // A leftover of a killed save is deleted, not opened: if it were a symbolic link, opening it would write
        // wherever it points. CREATE_NEW then fails rather than follow a link that appeared in between.
        Files.deleteIfExists(tmp);
        // No file attributes: the file is created with the process's default mode (0666 less the umask), as any
        // new file; a file being replaced passes its own permissions on.
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ByteBuffer buf = ByteBuffer.wrap(bytes);
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            ch.force(true);
        }
        if (Files.exists(target) && Files.getFileStore(tmp).supportsFileAttributeView(PosixFileAttributeView.class)) {
            Files.setPosixFilePermissions(tmp, Files.getPosixFilePermissions(target));
        }
    }

    /** {@code path} with every symbolic link of its last component followed, relative links against their directory. */
    private static Path resolveLinks(Path path, Path shown) throws IOException {
        Path p = path;
        for (int i = 0; Files.isSymbolicLink(p); i++) {
            if (i == MAX_LINKS) {
                throw new IOException("cannot save the model to " + shown + ": more than " + MAX_LINKS
                        + " levels of symbolic links");
            }
            Path parent = p.getParent();
            p = parent == null ? Files.readSymbolicLink(p) : parent.resolve(Files.readSymbolicLink(p)).normalize();
        }
        return p;
    }

    /** The cause of a failed save in words, without the temporary file's name that file-system messages carry. */
    private static String reason(IOException e) {
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof NoSuchFileException) {
            return "no such file or directory";
        }
        if (e instanceof DirectoryNotEmptyException) {
            return "a directory stands where its temporary file goes";
        }
        if (e instanceof FileAlreadyExistsException) {
            return "another save to it is under way";
        }
        if (e instanceof FileSystemException f) {
            return f.getReason() != null ? f.getReason() : e.getClass().getSimpleName();
        }
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }

    /**
     * Reads a network.
     *
     * @throws ModelFormatException for a file that is too short, truncated, has a bad magic, an unknown version or
     *                              flag bits, a checksum mismatch, or an inconsistent spec or parameter count; the
     *                              header is checked against the file's length before the parameters are read
     */
    public static TwoLayerNet load(Path file) throws IOException {
        DenseNetwork net = loadNetwork(file);
        if (net instanceof TwoLayerNet two) {
            return two;
        }
        throw new ModelFormatException(file + ": holds a " + net.layerCount() + "-layer network ("
                + net.architecture() + "), not a two-layer one: read it with ModelFile.loadNetwork");
    }

    /**
     * Reads a network of any depth: a version-1 file as a {@link TwoLayerNet}, a version-2 file as a
     * {@link DenseNetwork}.
     *
     * @throws ModelFormatException as {@link #load}, and for a version-2 layer table that is out of bounds or
     *                              inconsistent, checked before the parameters are read
     */
    public static DenseNetwork loadNetwork(Path file) throws IOException {
        String name = file.toString();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size < 8) {
                throw new ModelFormatException(name + ": " + size + " bytes, too short for a model file (header "
                        + (HEADER + 4) + " bytes)");
            }
            ByteBuffer start = ByteBuffer.allocate(8).order(ByteOrder.BIG_ENDIAN);
            readFully(ch, start, name);
            if (start.getInt(0) != MAGIC) {
                throw new ModelFormatException(name + ": not a simdgrad model file (bad magic)");
            }
            int version = start.getInt(4);
            ch.position(0);
            return switch (version) {
                case VERSION_1 -> loadVersion1(ch, size, name);
                case VERSION -> loadVersion2(ch, size, name);
                default -> throw new ModelFormatException(name + ": format version " + version + " is not supported"
                        + " (this build reads 1 and 2)");
            };
        }
    }

    private static TwoLayerNet loadVersion1(FileChannel ch, long size, String name) throws IOException {
        if (size < HEADER + 4) {
            throw new ModelFormatException(name + ": " + size + " bytes, too short for a model file (header "
                    + (HEADER + 4) + " bytes)");
        }
        ByteBuffer header = ByteBuffer.allocate(HEADER).order(ByteOrder.BIG_ENDIAN);
        readFully(ch, header, name);
        NetSpec spec = header(header.flip(), size, name);
        int count = header.getInt(HEADER - 4);
        CRC32 crc = new CRC32();
        crc.update(header.array(), 0, HEADER);
        float[] theta = parameters(ch, count, crc, name);
        return TwoLayerNet.fromParameters(spec, theta);
    }

    private static DenseNetwork loadVersion2(FileChannel ch, long size, String name) throws IOException {
        if (size < V2_FIXED) {
            throw new ModelFormatException(name + ": " + size + " bytes, too short for a version-2 model file");
        }
        ByteBuffer fixed = ByteBuffer.allocate(V2_FIXED).order(ByteOrder.BIG_ENDIAN);
        readFully(ch, fixed, name);
        fixed.flip().position(8);
        int layers = fixed.getInt();
        int par = fixed.get(), flags = fixed.get() & 0xff;
        if (layers < 1 || layers > MAX_LAYERS) {
            throw new ModelFormatException(name + ": " + layers + " layers is not in 1.." + MAX_LAYERS);
        }
        long headerLength = V2_FIXED + (long) V2_LAYER * layers + 4;
        if (size < headerLength + 4) {
            throw new ModelFormatException(name + ": truncated: " + layers + " layers need a header of "
                    + headerLength + " bytes, file has " + size);
        }
        if ((flags & ~1) != 0) {
            throw new ModelFormatException(String.format("%s: unknown flag bits 0x%02x (version 2 defines bit 0)",
                    name, flags & ~1));
        }
        ByteBuffer table = ByteBuffer.allocate((int) headerLength - V2_FIXED).order(ByteOrder.BIG_ENDIAN);
        readFully(ch, table, name);
        table.flip();
        List<LayerSpec> specs = new ArrayList<>(layers);
        long p = 0;
        try {
            for (int l = 0; l < layers; l++) {
                int in = table.getInt(), out = table.getInt();
                int act = table.get(), init = table.get(), lf = table.get() & 0xff;
                if ((lf & ~3) != 0) {
                    throw new ModelFormatException(String.format("%s: layer %d: unknown flag bits 0x%02x (version 2"
                            + " defines bits 0-1)", name, l, lf & ~3));
                }
                LayerSpec s = new LayerSpec(in, out, enumAt(Activation.values(), act, "activation", name),
                        (lf & 1) != 0, (lf & 2) != 0, enumAt(Init.values(), init, "init", name));
                specs.add(s);
                p += s.parameterCount();
            }
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException(name + ": invalid layer: " + e.getMessage());
        }
        int count = table.getInt();
        long expectedLength = headerLength + 4L * Math.max(count, 0) + 4;
        if (count < 0 || p != count) {
            throw new ModelFormatException(name + ": the layers have " + p + " parameters but the file stores "
                    + count);
        }
        if (size != expectedLength) {
            throw new ModelFormatException(name + ": " + count + " parameters need " + expectedLength + " bytes, file"
                    + " has " + size);
        }
        Architecture architecture;
        try {
            architecture = new Architecture(specs, enumAt(Parametrization.values(), par, "parametrization", name),
                    (flags & 1) != 0);
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException(name + ": invalid network: " + e.getMessage());
        }
        CRC32 crc = new CRC32();
        crc.update(fixed.array(), 0, V2_FIXED);
        crc.update(table.array(), 0, table.limit());
        float[] theta = parameters(ch, count, crc, name);
        return DenseNetwork.fromParameters(architecture, theta);
    }

    /** Reads {@code count} parameters through a small buffer (no second copy of a large model), then the CRC. */
    private static float[] parameters(FileChannel ch, int count, CRC32 crc, String name) throws IOException {
        float[] theta = new float[count];
        ByteBuffer chunk = ByteBuffer.allocate(CHUNK).order(ByteOrder.BIG_ENDIAN);
        for (int done = 0; done < count; ) {
            int n = Math.min(CHUNK / 4, count - done);
            chunk.clear().limit(4 * n);
            readFully(ch, chunk, name);
            crc.update(chunk.array(), 0, 4 * n);
            chunk.flip().asFloatBuffer().get(theta, done, n);
            done += n;
        }
        chunk.clear().limit(4);
        readFully(ch, chunk, name);
        int stored = chunk.getInt(0);
        if (stored != (int) crc.getValue()) {
            throw new ModelFormatException(String.format("%s: checksum mismatch (stored %08x, computed %08x): the "
                    + "file is corrupt", name, stored, (int) crc.getValue()));
        }
        return theta;
    }

    private static void readFully(FileChannel ch, ByteBuffer buf, String name) throws IOException {
        while (buf.hasRemaining()) {
            if (ch.read(buf) < 0) {
                throw new ModelFormatException(name + ": truncated while reading (the file shrank)");
            }
        }
    }

    /**
     * Checks a header ({@link #HEADER} bytes) against the length of its file, before anything else is read:
     * magic, version, parameter count against the length, flag bits, the spec, and the count against the spec.
     * Returns the spec.
     */
    private static NetSpec header(ByteBuffer b, long size, String name) throws ModelFormatException {
        if (b.getInt() != MAGIC) {
            throw new ModelFormatException(name + ": not a simdgrad model file (bad magic)");
        }
        b.getInt();   // the version, 1: loadNetwork dispatched on it
        int d = b.getInt(), m = b.getInt(), k = b.getInt();
        int act = b.get(), par = b.get(), init = b.get(), flags = b.get() & 0xff;
        int count = b.getInt();
        long expectedLength = HEADER + 4L * Math.max(count, 0) + 4;
        if (count < 0 || size < expectedLength) {
            throw new ModelFormatException(name + ": truncated: " + count + " parameters need " + expectedLength
                    + " bytes, file has " + size);
        }
        if (size > expectedLength) {
            throw new ModelFormatException(name + ": " + (size - expectedLength) + " unexpected trailing bytes after "
                    + count + " parameters");
        }
        if ((flags & ~KNOWN_FLAGS) != 0) {
            throw new ModelFormatException(String.format("%s: unknown flag bits 0x%02x (version 1 defines bits 0-3)",
                    name, flags & ~KNOWN_FLAGS));
        }
        NetSpec spec;
        try {
            spec = new NetSpec(d, m, k, enumAt(Activation.values(), act, "activation", name),
                    enumAt(Parametrization.values(), par, "parametrization", name),
                    enumAt(Init.values(), init, "init", name),
                    (flags & 1) != 0, (flags & 2) != 0, (flags & 4) != 0, (flags & 8) != 0);
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException(name + ": invalid network shape: " + e.getMessage());
        }
        long p = parameters(spec);
        if (p != count) {
            throw new ModelFormatException(name + ": " + spec + " has " + p + " parameters but the file stores "
                    + count);
        }
        return spec;
    }

    /**
     * P of a spec, computed without building a network (which would allocate P floats before the count is
     * checked): the layout of {@link TwoLayerNet#parameters()}, W1 and b1 then W2 and b2. {@code fromParameters}
     * checks the same count again.
     */
    private static long parameters(NetSpec s) {
        long m = s.hidden();
        return m * s.inputs() + (s.hiddenBias() ? m : 0) + (long) s.outputs() * m + (s.outputBias() ? s.outputs() : 0);
    }

    /**
     * Reads a network and checks that it has the expected spec.
     *
     * @throws ModelFormatException also when the stored spec differs from {@code expected}
     */
    public static TwoLayerNet load(Path file, NetSpec expected) throws IOException {
        TwoLayerNet net = load(file);
        if (!net.spec().equals(expected)) {
            throw new ModelFormatException(file + ": holds " + net.spec() + ", expected " + expected);
        }
        return net;
    }

    static byte[] encode(TwoLayerNet net) {
        NetSpec s = net.spec();
        float[] p = net.parameters();
        ByteBuffer b = ByteBuffer.allocate(HEADER + 4 * p.length + 4).order(ByteOrder.BIG_ENDIAN);
        b.putInt(MAGIC).putInt(VERSION_1).putInt(s.inputs()).putInt(s.hidden()).putInt(s.outputs());
        b.put((byte) s.activation().ordinal()).put((byte) s.parametrization().ordinal()).put((byte) s.init().ordinal());
        b.put((byte) ((s.hiddenBias() ? 1 : 0) | (s.outputBias() ? 2 : 0) | (s.freezeOutput() ? 4 : 0)
                | (s.symmetric() ? 8 : 0)));
        return withParametersAndCrc(b, p);
    }

    /** Version 2: any network. */
    static byte[] encode(DenseNetwork net) {
        Architecture a = net.architecture();
        float[] p = net.parameters();
        int layers = a.layerCount();
        ByteBuffer b = ByteBuffer.allocate(V2_FIXED + V2_LAYER * layers + 4 + 4 * p.length + 4)
                .order(ByteOrder.BIG_ENDIAN);
        b.putInt(MAGIC).putInt(VERSION).putInt(layers);
        b.put((byte) a.parametrization().ordinal()).put((byte) (a.symmetric() ? 1 : 0));
        for (LayerSpec s : a.layers()) {
            b.putInt(s.inputs()).putInt(s.outputs()).put((byte) s.activation().ordinal()).put((byte) s.init().ordinal())
                    .put((byte) ((s.bias() ? 1 : 0) | (s.frozen() ? 2 : 0)));
        }
        return withParametersAndCrc(b, p);
    }

    /** Appends the count, the parameters and the CRC-32 of everything before it; returns the file's bytes. */
    private static byte[] withParametersAndCrc(ByteBuffer b, float[] p) {
        b.putInt(p.length);
        for (float v : p) {
            b.putInt(Float.floatToRawIntBits(v));
        }
        CRC32 crc = new CRC32();
        crc.update(b.array(), 0, b.position());
        b.putInt((int) crc.getValue());
        return b.array();
    }

    private static <E> E enumAt(E[] values, int ordinal, String what, String name) throws ModelFormatException {
        if (ordinal < 0 || ordinal >= values.length) {
            throw new ModelFormatException(name + ": unknown " + what + " code " + ordinal);
        }
        return values[ordinal];
    }
}
