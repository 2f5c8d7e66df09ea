"""Shared by the subset generators: read and write IDX files and pick a class-balanced subset.

Selection (deterministic, class-balanced): in file order, the first PER_CLASS images of each of the 10 classes, kept
in their original relative order. Output: the four IDX files of the original distribution, gzip-compressed with
mtime 0 and no file name so that the same input gives the same bytes.
"""
import gzip
import os
import struct

CLASSES = 10


def read_idx(path):
    """Reads a uint8 IDX file, raw or gzip-compressed (by the name's .gz)."""
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        data = f.read()
    zero, dtype, ndim = struct.unpack(">HBB", data[:4])
    assert zero == 0 and dtype == 0x08, path
    dims = struct.unpack(">" + "I" * ndim, data[4:4 + 4 * ndim])
    return dims, data[4 + 4 * ndim:]


def find(src, base):
    """The path of base or base.gz in src."""
    for name in (base + ".gz", base):
        p = os.path.join(src, name)
        if os.path.isfile(p):
            return p
    raise FileNotFoundError(f"neither {base}.gz nor {base} in {src}")


def write_idx(path, dims, payload):
    header = struct.pack(">HBB", 0, 0x08, len(dims)) + struct.pack(">" + "I" * len(dims), *dims)
    with open(path, "wb") as raw:
        # mtime=0 and no file name in the gzip header: same input, same bytes.
        with gzip.GzipFile(filename="", mode="wb", compresslevel=9, fileobj=raw, mtime=0) as f:
            f.write(header + payload)


def subset(src, out, prefix, per_class):
    (n, rows, cols), pixels = read_idx(find(src, prefix + "-images-idx3-ubyte"))
    (nl,), labels = read_idx(find(src, prefix + "-labels-idx1-ubyte"))
    assert n == nl
    counts = [0] * CLASSES
    chosen = []
    for i in range(n):
        c = labels[i]
        if counts[c] < per_class:
            counts[c] += 1
            chosen.append(i)
    assert all(c == per_class for c in counts), counts
    size = rows * cols
    images = b"".join(pixels[i * size:(i + 1) * size] for i in chosen)
    write_idx(os.path.join(out, prefix + "-images-idx3-ubyte.gz"), (len(chosen), rows, cols), images)
    write_idx(os.path.join(out, prefix + "-labels-idx1-ubyte.gz"), (len(chosen),), bytes(labels[i] for i in chosen))
    return len(chosen)


def make(src, out, train_per_class, test_per_class):
    os.makedirs(out, exist_ok=True)
    train = subset(src, out, "train", train_per_class)
    test = subset(src, out, "t10k", test_per_class)
    print(f"wrote {train} train and {test} test examples to {out}")
