package dev.simdgrad.nn.data;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A NumPy {@code .npy} array (format versions 1.0, 2.0 and 3.0), as {@code numpy.save} and {@code torch}'s users
 * write them in one line: {@code np.save("train_x.npy", x)}. Read as floats ({@link #floats()}) or integers
 * ({@link #ints()}).
 *
 * <p><b>Accepted</b>: C-order arrays of {@code float32}, {@code float64} (rounded to float), {@code uint8},
 * {@code int8}, {@code int16}, {@code uint16}, {@code int32} and {@code int64}, either byte order, of any shape
 * (a 0-d array is one element). <b>Refused</b>, with a message naming the file: Fortran-order arrays, other dtypes
 * (object, bool, complex, strings, structured), a header that is not a NumPy header dictionary, and a file whose
 * length does not match the header's shape and dtype, which is checked before the payload is allocated (so a
 * truncated or hostile file fails fast instead of running out of memory).
 *
 * @param name  the file, for messages
 * @param dtype the NumPy type string, e.g. {@code "<f4"}
 * @param shape the dimensions
 * @param data  the payload in the file's byte order
 */
public record Npy(String name, String dtype, long[] shape, ByteBuffer data) {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    /** Number of elements: the product of the shape (1 for a 0-d array). */
    public long count() {
        long n = 1;
        for (long s : shape) {
            n *= s;
        }
        return n;
    }

    /**
     * Reads a file.
     *
     * @throws IdxFormatException (an {@link IOException}) naming the file for anything this reader refuses
     */
    public static Npy read(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            return read(ch, ch.size(), file.toString());
        }
    }

    /** Reads an array from a stream (for resources); {@code name} is used in messages. */
    public static Npy read(InputStream in, String name) throws IOException {
        byte[] all = in.readAllBytes();
        return read(Channels.newChannel(new ByteArrayInputStream(all)), all.length, name);
    }

    private static Npy read(ReadableByteChannel ch, long size, String name) throws IOException {
        Header h = header(ch, name);
        long payload = size - h.headerBytes();
        long want = h.count() * h.itemSize();
        if (payload != want) {
            throw new IdxFormatException(name + ": the header declares shape " + Arrays.toString(h.shape()) + " of "
                    + h.dtype() + " (" + want + " bytes) but " + payload + " bytes follow it");
        }
        if (want > Integer.MAX_VALUE - 8) {
            throw new IdxFormatException(name + ": " + want + " bytes of data, more than one Java array holds");
        }
        ByteBuffer data = ByteBuffer.allocate((int) want);
        readFully(ch, data, name, "the data");
        data.flip();
        return new Npy(name, h.dtype(), h.shape(), data.order(h.order()));
    }

    /** The elements as floats (float64 rounded; integers converted; uint8 as 0..255, not scaled). */
    public float[] floats() throws IdxFormatException {
        int n = checkedCount();
        float[] out = new float[n];
        ByteBuffer b = data.duplicate().order(data.order());
        char kind = dtype.charAt(1);
        int size = dtype.charAt(2) - '0';
        for (int i = 0; i < n; i++) {
            out[i] = switch (kind) {
                case 'f' -> size == 4 ? b.getFloat() : (float) b.getDouble();
                default -> (float) integer(b, kind, size);
            };
        }
        return out;
    }

    /**
     * The elements as ints; refused for floating-point arrays and for values outside the int range.
     *
     * @throws IdxFormatException naming the file
     */
    public int[] ints() throws IdxFormatException {
        int n = checkedCount();
        char kind = dtype.charAt(1);
        if (kind == 'f') {
            throw new IdxFormatException(name + ": holds " + dtype + " values where integers (labels) are expected");
        }
        int size = dtype.charAt(2) - '0';
        int[] out = new int[n];
        ByteBuffer b = data.duplicate().order(data.order());
        for (int i = 0; i < n; i++) {
            long v = integer(b, kind, size);
            if (v != (int) v) {
                throw new IdxFormatException(name + ": value " + v + " at " + i + " does not fit an int");
            }
            out[i] = (int) v;
        }
        return out;
    }

    /** Whether the elements are unsigned bytes (images stored as 0..255). */
    public boolean isUnsignedByte() {
        return dtype.charAt(1) == 'u' && dtype.charAt(2) == '1';
    }

    private int checkedCount() throws IdxFormatException {
        long n = count();
        if (n > Integer.MAX_VALUE - 8) {
            throw new IdxFormatException(name + ": " + n + " elements, more than one Java array holds");
        }
        return (int) n;
    }

    private static long integer(ByteBuffer b, char kind, int size) {
        return switch (size) {
            case 1 -> kind == 'u' ? Byte.toUnsignedLong(b.get()) : b.get();
            case 2 -> kind == 'u' ? Short.toUnsignedLong(b.getShort()) : b.getShort();
            case 4 -> kind == 'u' ? Integer.toUnsignedLong(b.getInt()) : b.getInt();
            default -> b.getLong();
        };
    }

    private record Header(String dtype, long[] shape, ByteOrder order, int itemSize, long headerBytes) {
        long count() {
            long n = 1;
            for (long s : shape) {
                n = Math.multiplyExact(n, s);
            }
            return n;
        }
    }

    private static Header header(ReadableByteChannel ch, String name) throws IOException {
        ByteBuffer head = ByteBuffer.allocate(8);
        readFully(ch, head, name, "the magic and version");
        head.flip();
        for (byte m : MAGIC) {
            if (head.get() != m) {
                throw new IdxFormatException(name + ": not a NumPy .npy file (no \\x93NUMPY magic)");
            }
        }
        int major = head.get() & 0xff;
        int minor = head.get() & 0xff;
        if (major < 1 || major > 3) {
            throw new IdxFormatException(name + ": .npy format version " + major + "." + minor + " is not 1.0, 2.0 or"
                    + " 3.0");
        }
        // Version 1.0 stores the header length in 2 bytes, 2.0 and 3.0 in 4; little-endian either way.
        ByteBuffer len = ByteBuffer.allocate(major == 1 ? 2 : 4).order(ByteOrder.LITTLE_ENDIAN);
        readFully(ch, len, name, "the header length");
        long length = major == 1 ? len.getShort(0) & 0xffff : Integer.toUnsignedLong(len.getInt(0));
        if (length > 1 << 20) {
            throw new IdxFormatException(name + ": a header of " + length + " bytes is not a NumPy header");
        }
        ByteBuffer hb = ByteBuffer.allocate((int) length);
        readFully(ch, hb, name, "the header");
        String text = new String(hb.array(), major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        Matcher d = DESCR.matcher(text), f = FORTRAN.matcher(text), s = SHAPE.matcher(text);
        if (!d.find() || !f.find() || !s.find()) {
            throw new IdxFormatException(name + ": the header is not a NumPy header dictionary: " + text.strip());
        }
        if (f.group(1).equals("True")) {
            throw new IdxFormatException(name + ": a Fortran-order array; save it in C order (np.ascontiguousarray)");
        }
        String dtype = d.group(1);
        if (!dtype.matches("[<>|=](f[48]|[iu][124]|i8)")) {
            throw new IdxFormatException(name + ": dtype '" + dtype + "' is not one of float32, float64, uint8, int8,"
                    + " int16, uint16, int32, uint32, int64");
        }
        ByteOrder order = dtype.charAt(0) == '>' ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
        String dims = s.group(1).strip();
        long[] shape;
        try {
            shape = dims.isEmpty() ? new long[0] : Arrays.stream(dims.split(",")).map(String::strip)
                    .filter(x -> !x.isEmpty()).mapToLong(x -> Long.parseLong(x.endsWith("L")
                            ? x.substring(0, x.length() - 1) : x)).toArray();
        } catch (NumberFormatException e) {
            throw new IdxFormatException(name + ": bad shape (" + dims + ")");
        }
        for (long x : shape) {
            if (x < 0) {
                throw new IdxFormatException(name + ": bad shape (" + dims + ")");
            }
        }
        Header h = new Header(dtype, shape, order, dtype.charAt(2) - '0', 6 + 2 + len.capacity() + length);
        try {
            Math.multiplyExact(h.count(), (long) h.itemSize());
        } catch (ArithmeticException e) {
            throw new IdxFormatException(name + ": shape (" + dims + ") is too large");
        }
        return h;
    }

    private static void readFully(ReadableByteChannel ch, ByteBuffer b, String name, String what)
            throws IOException {
        while (b.hasRemaining()) {
            if (ch.read(b) < 0) {
                throw new IdxFormatException(name + ": ends inside " + what);
            }
        }
    }
}
