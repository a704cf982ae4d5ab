#!/usr/bin/python3
"""Draws the Fashion-MNIST sample in data/fashion-mnist-sample/ from Debian's dataset-fashion-mnist package.

2,000 training images (200 per class) from train-*, 1,000 test images (100 per class) from t10k-*, drawn
without replacement per class with numpy's default_rng(12), kept in their original order, written as gzipped
IDX files in the MNIST layout (gzip header time 0, so a rerun gives the same bytes).

    sudo apt-get install -y dataset-fashion-mnist
    /usr/bin/python3 data/make_fashion_sample.py
"""
import gzip
import pathlib
import sys

import numpy as np

SOURCE = pathlib.Path("/usr/share/datasets/fashion-mnist")
TARGET = pathlib.Path(__file__).resolve().parent / "fashion-mnist-sample"
SEED = 12
PER_CLASS = {"train": 200, "t10k": 100}


def read_idx(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    dims = data[3]
    shape = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(dims)]
    return data[:4 + 4 * dims], np.frombuffer(data, np.uint8, offset=4 + 4 * dims).reshape(shape)


def write_idx(path, magic, array):
    header = magic[:4] + b"".join(int(n).to_bytes(4, "big") for n in array.shape)
    with open(path, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0, filename="") as f:
        f.write(header + array.tobytes())


def main():
    if not SOURCE.is_dir():
        sys.exit(f"{SOURCE} is missing: apt-get install -y dataset-fashion-mnist")
    rng = np.random.default_rng(SEED)
    TARGET.mkdir(exist_ok=True)
    for prefix, per_class in PER_CLASS.items():
        image_magic, images = read_idx(SOURCE / f"{prefix}-images-idx3-ubyte.gz")
        label_magic, labels = read_idx(SOURCE / f"{prefix}-labels-idx1-ubyte.gz")
        chosen = np.sort(np.concatenate([rng.choice(np.flatnonzero(labels == k), per_class, replace=False) for k in range(10)]))
        write_idx(TARGET / f"{prefix}-images-idx3-ubyte.gz", image_magic, images[chosen])
        write_idx(TARGET / f"{prefix}-labels-idx1-ubyte.gz", label_magic, labels[chosen])
        print(f"{prefix}: {len(chosen)} of {len(labels)} images, {per_class} per class")


if __name__ == "__main__":
    main()
