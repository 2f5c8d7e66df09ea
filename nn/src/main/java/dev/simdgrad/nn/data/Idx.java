package dev.simdgrad.nn.data;

import java.io.ByteArrayInputStream;
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
 * @param dimensions the sizes, outermost first (e.g. {60000, 28, 28})
 * @param data       the payload, product(dimensions) bytes
 */
public record Idx(int[] dimensions, byte[] data) {

    /** Type code of unsigned bytes. */
    public static final int UNSIGNED_BYTE = 0x08;

    /**
     * Reads and validates an IDX file, raw or gzip.
     *
     * @throws IdxFormatException for a bad magic or type, a zero or negative dimension, a payload shorter or longer
     *                            than the dimensions say, or a corrupt or truncated gzip stream; the message names
     *                            the file
     * @throws IOException        if the file cannot be read
     */
    public static Idx read(Path file) throws IOException {
        return parse(Files.readAllBytes(file), file.toString());
    }

    /** As {@link #read(Path)}, from a stream (read to its end, not closed); {@code name} appears in errors. */
    public static Idx read(InputStream in, String name) throws IOException {
        return parse(in.readAllBytes(), name);
    }

    static Idx parse(byte[] bytes, String name) throws IOException {
        if (bytes.length >= 2 && (bytes[0] & 0xff) == 0x1f && (bytes[1] & 0xff) == 0x8b) {
            try (InputStream gz = new GZIPInputStream(new ByteArrayInputStream(bytes))) {
                bytes = gz.readAllBytes();
            } catch (java.io.EOFException e) {
                throw new IdxFormatException(name + ": truncated gzip stream (" + e.getMessage() + ")", e);
            } catch (ZipException e) {
                throw new IdxFormatException(name + ": corrupt gzip stream (" + e.getMessage() + ")", e);
            }
        }
        if (bytes.length < 4) {
            throw new IdxFormatException(name + ": " + bytes.length + " bytes, too short for an IDX header (4 bytes)");
        }
        if (bytes[0] != 0 || bytes[1] != 0) {
            throw new IdxFormatException(String.format("%s: bad magic %02x %02x (an IDX file starts with 00 00)",
                    name, bytes[0] & 0xff, bytes[1] & 0xff));
        }
        int type = bytes[2] & 0xff, ndim = bytes[3] & 0xff;
        if (type != UNSIGNED_BYTE) {
            throw new IdxFormatException(String.format("%s: element type 0x%02x is not supported (only 0x08, "
                    + "unsigned byte)", name, type));
        }
        if (ndim < 1) {
            throw new IdxFormatException(name + ": zero dimensions");
        }
        int header = 4 + 4 * ndim;
        if (bytes.length < header) {
            throw new IdxFormatException(name + ": truncated header: " + ndim + " dimensions need " + header
                    + " bytes, file has " + bytes.length);
        }
        int[] dims = new int[ndim];
        long count = 1;
        for (int i = 0; i < ndim; i++) {
            int o = 4 + 4 * i;
            long dim = ((bytes[o] & 0xffL) << 24) | ((bytes[o + 1] & 0xff) << 16) | ((bytes[o + 2] & 0xff) << 8)
                    | (bytes[o + 3] & 0xff);
            if (dim < 1 || dim > Integer.MAX_VALUE) {
                throw new IdxFormatException(name + ": dimension " + i + " is " + dim + " (must be 1.." + Integer.MAX_VALUE
                        + ")");
            }
            dims[i] = (int) dim;
            count *= dim;
            if (count > Integer.MAX_VALUE - 16) {
                throw new IdxFormatException(name + ": dimensions " + Arrays.toString(Arrays.copyOf(dims, i + 1))
                        + "... exceed 2^31 bytes");
            }
        }
        long payload = bytes.length - header;
        if (payload < count) {
            throw new IdxFormatException(name + ": truncated: dimensions " + Arrays.toString(dims) + " need " + count
                    + " bytes of data, file has " + payload);
        }
        if (payload > count) {
            throw new IdxFormatException(name + ": " + (payload - count) + " unexpected trailing bytes after the "
                    + Arrays.toString(dims) + " data");
        }
        return new Idx(dims, Arrays.copyOfRange(bytes, header, bytes.length));
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
