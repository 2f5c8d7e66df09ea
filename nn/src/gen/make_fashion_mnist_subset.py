#!/usr/bin/env python3
"""Builds the embedded Fashion-MNIST subset shipped in nn/src/main/resources/dev/simdgrad/nn/data/fashion-mnist-subset/.

Selection (deterministic, class-balanced): in file order, the first TRAIN_PER_CLASS training images of each of the
10 classes and the first TEST_PER_CLASS test images of each class, kept in their original relative order. Output:
the same four IDX files as the original distribution, gzip-compressed with mtime 0 so the bytes are reproducible.

Usage: python3 nn/src/gen/make_fashion_mnist_subset.py [SOURCE_DIR] [OUT_DIR]
SOURCE_DIR defaults to /usr/share/datasets/fashion-mnist (Debian package dataset-fashion-mnist).
"""
import gzip
import os
import struct
import sys

TRAIN_PER_CLASS = 500
TEST_PER_CLASS = 100
CLASSES = 10


def read_idx(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    zero, dtype, ndim = struct.unpack(">HBB", data[:4])
    assert zero == 0 and dtype == 0x08, path
    dims = struct.unpack(">" + "I" * ndim, data[4:4 + 4 * ndim])
    return dims, data[4 + 4 * ndim:]


def write_idx(path, dims, payload):
    header = struct.pack(">HBB", 0, 0x08, len(dims)) + struct.pack(">" + "I" * len(dims), *dims)
    with open(path, "wb") as raw:
        # mtime=0 and no file name in the gzip header: same input, same bytes.
        with gzip.GzipFile(filename="", mode="wb", compresslevel=9, fileobj=raw, mtime=0) as f:
            f.write(header + payload)


def subset(src, out, prefix, per_class):
    (n, rows, cols), pixels = read_idx(os.path.join(src, prefix + "-images-idx3-ubyte.gz"))
    (nl,), labels = read_idx(os.path.join(src, prefix + "-labels-idx1-ubyte.gz"))
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


def main():
    src = sys.argv[1] if len(sys.argv) > 1 else "/usr/share/datasets/fashion-mnist"
    here = os.path.dirname(os.path.abspath(__file__))
    out = sys.argv[2] if len(sys.argv) > 2 else os.path.join(
        here, "..", "main", "resources", "dev", "simdgrad", "nn", "data", "fashion-mnist-subset")
    os.makedirs(out, exist_ok=True)
    train = subset(src, out, "train", TRAIN_PER_CLASS)
    test = subset(src, out, "t10k", TEST_PER_CLASS)
    print(f"wrote {train} train and {test} test examples to {out}")


if __name__ == "__main__":
    main()
