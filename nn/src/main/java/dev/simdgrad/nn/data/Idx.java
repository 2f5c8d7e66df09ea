package dev.simdgrad.nn.data;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * An IDX file (the format of MNIST and Fashion-MNIST, LeCun et al.) of unsigned bytes: a big-endian header
 * {@code 0x00 0x00 type ndim}, then ndim 32-bit dimensions, then the product of the dimensions in bytes, row-major.
 * Only type 0x08 (unsigned byte) is supported, the type of every MNIST-family file. Raw or gzip (detected from the
 * gzip magic 1f 8b, not from the file name).
 *
 * <p>Reading checks the header before it allocates the payload, so a hostile or broken file costs at most its
 * declared size, never more: a raw file's declared size must equal its length on disk; a gzip file's declared size
 * must fit what its compressed length can hold ({@value #MAX_DEFLATE_RATIO}:1, deflate's maximum ratio), and its
 * stream is read only up to the declared size, then must end (a stream that expands further is rejected after
 * reading one byte more, however large it would grow).
 *
 * @param dimensions the sizes, outermost first (e.g. {60000, 28, 28})
 * @param data       the payload, product(dimensions) bytes
 */
public record Idx(int[] dimensions, byte[] data) {

    /** Type code of unsigned bytes. */
    public static final int UNSIGNED_BYTE = 0x08;

    /**
     * The most a deflate stream can expand: 1032 output bytes per input byte (zlib's technical notes; one
     * 258-byte match per 2 bits at best). A gzip file declaring more than this times its length is corrupt.
     */
    static final int MAX_DEFLATE_RATIO = 1032;

    /** Largest payload an IDX file may declare: a Java array's practical limit. */
    private static final long MAX_PAYLOAD = Integer.MAX_VALUE - 16;

    /**
     * Reads and validates an IDX file, raw or gzip.
     *
     * @throws IdxFormatException for a bad magic or type, a zero or negative dimension, a payload shorter or longer
     *                            than the dimensions say (checked against the file's length before the payload is
     *                            allocated), or a corrupt or truncated gzip stream; the message names the file
     * @throws IOException        if the file cannot be read
     */
    public static Idx read(Path file) throws IOException {
        long size = Files.size(file);
        try (InputStream in = Files.newInputStream(file)) {
            return read(in, file.toString(), size);
        }
    }

    /**
     * As {@link #read(Path)}, from a stream (read up to the declared payload and one byte more, not closed);
     * {@code name} appears in errors. The stream's length is unknown, so a raw payload is read in chunks and
     * memory grows only with the bytes actually present.
     */
    public static Idx read(InputStream in, String name) throws IOException {
        return read(in, name, -1);
    }

    /** {@code size} is the stream's length in bytes, or -1 when unknown. */
    private static Idx read(InputStream raw, String name, long size) throws IOException {
        InputStream in = raw.markSupported() ? raw : new BufferedInputStream(raw);
        in.mark(2);
        int b0 = in.read(), b1 = in.read();
        in.reset();
        if (b0 != 0x1f || b1 != 0x8b) {
            return parse(in, name, size, false);
        }
        try {
            return parse(new GZIPInputStream(in), name, size, true);
        } catch (EOFException e) {
            throw new IdxFormatException(name + ": truncated gzip stream (" + e.getMessage() + ")", e);
        } catch (ZipException e) {
            throw new IdxFormatException(name + ": corrupt gzip stream (" + e.getMessage() + ")", e);
        }
    }

    /**
     * Parses the header, checks the declared payload against {@code size} (the raw length for a raw stream, the
     * compressed length for gzip; -1 when unknown), then reads exactly the payload and checks the stream ends.
     */
    private static Idx parse(InputStream in, String name, long size, boolean gzip) throws IOException {
        byte[] head = in.readNBytes(4);
        if (head.length < 4) {
            throw new IdxFormatException(name + ": " + head.length + " bytes, too short for an IDX header (4 bytes)");
        }
        if (head[0] != 0 || head[1] != 0) {
            throw new IdxFormatException(String.format("%s: bad magic %02x %02x (an IDX file starts with 00 00)",
                    name, head[0] & 0xff, head[1] & 0xff));
        }
        int type = head[2] & 0xff, ndim = head[3] & 0xff;
        if (type != UNSIGNED_BYTE) {
            throw new IdxFormatException(String.format("%s: element type 0x%02x is not supported (only 0x08, "
                    + "unsigned byte)", name, type));
        }
        if (ndim < 1) {
            throw new IdxFormatException(name + ": zero dimensions");
        }
        int header = 4 + 4 * ndim;
        byte[] dimBytes = in.readNBytes(4 * ndim);
        if (dimBytes.length < 4 * ndim) {
            throw new IdxFormatException(name + ": truncated header: " + ndim + " dimensions need " + header
                    + " bytes, file has " + (4 + dimBytes.length));
        }
        int[] dims = new int[ndim];
        long count = 1;
        for (int i = 0; i < ndim; i++) {
            int o = 4 * i;
            long dim = ((dimBytes[o] & 0xffL) << 24) | ((dimBytes[o + 1] & 0xff) << 16)
                    | ((dimBytes[o + 2] & 0xff) << 8) | (dimBytes[o + 3] & 0xff);
            if (dim < 1 || dim > Integer.MAX_VALUE) {
                throw new IdxFormatException(name + ": dimension " + i + " is " + dim + " (must be 1.."
                        + Integer.MAX_VALUE + ")");
            }
            dims[i] = (int) dim;
            count *= dim;
            if (count > MAX_PAYLOAD) {
                throw new IdxFormatException(name + ": dimensions " + Arrays.toString(Arrays.copyOf(dims, i + 1))
                        + "... exceed 2^31 bytes");
            }
        }
        if (size >= 0 && !gzip) {
            long payload = size - header;
            if (payload < count) {
                throw new IdxFormatException(name + ": truncated: dimensions " + Arrays.toString(dims) + " need "
                        + count + " bytes of data, file has " + payload);
            }
            if (payload > count) {
                throw new IdxFormatException(name + ": " + (payload - count) + " unexpected trailing bytes after the "
                        + Arrays.toString(dims) + " data");
            }
        }
        if (size >= 0 && gzip && header + count > MAX_DEFLATE_RATIO * size) {
            throw new IdxFormatException(name + ": dimensions " + Arrays.toString(dims) + " declare " + count
                    + " bytes of data, more than a " + size + "-byte gzip file can hold (at most "
                    + MAX_DEFLATE_RATIO + " times its length): the file is corrupt");
        }
        // readNBytes grows its buffer with the bytes actually read, so a short stream never costs the declared size.
        byte[] data = in.readNBytes((int) count);
        if (data.length < count) {
            throw new IdxFormatException(name + ": truncated: dimensions " + Arrays.toString(dims) + " need " + count
                    + " bytes of data, " + (gzip ? "the stream holds " : "file has ") + data.length);
        }
        if (in.read() >= 0) {
            throw new IdxFormatException(name + ": unexpected trailing bytes after the " + Arrays.toString(dims)
                    + " data (" + (gzip ? "the gzip stream expands beyond" : "the file is longer than")
                    + " the " + (header + count) + " bytes its header declares)");
        }
        return new Idx(dims, data);
    }

    /** Number of items (the first dimension). */
    public int items() {
        return dimensions[0];
    }

    /** Bytes per item (the product of the other dimensions). */
    public int itemSize() {
        int s = 1;
        for (int i = 1; i < dimensions.length; i++) {
            s *= dimensions[i];
        }
        return s;
    }
}
