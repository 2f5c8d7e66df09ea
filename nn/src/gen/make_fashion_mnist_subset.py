#!/usr/bin/env python3
"""Builds the embedded Fashion-MNIST subset shipped in nn/src/main/resources/dev/simdgrad/nn/data/fashion-mnist-subset/.

The first 500 training and the first 100 test images of each class, in file order (idx_subset.py says how), as
gzip-compressed IDX files whose bytes are reproducible.

Usage: python3 nn/src/gen/make_fashion_mnist_subset.py [SOURCE_DIR] [OUT_DIR]
SOURCE_DIR defaults to /usr/share/datasets/fashion-mnist (Debian package dataset-fashion-mnist).
"""
import os
import sys

from idx_subset import make

TRAIN_PER_CLASS = 500
TEST_PER_CLASS = 100


def main():
    src = sys.argv[1] if len(sys.argv) > 1 else "/usr/share/datasets/fashion-mnist"
    here = os.path.dirname(os.path.abspath(__file__))
    out = sys.argv[2] if len(sys.argv) > 2 else os.path.join(
        here, "..", "main", "resources", "dev", "simdgrad", "nn", "data", "fashion-mnist-subset")
    make(src, out, TRAIN_PER_CLASS, TEST_PER_CLASS)


if __name__ == "__main__":
    main()
