#!/bin/bash
# The runs behind docs/soft-labels.md (issue 10, item 6). Run from the repository root after
# `dotnet build -c Release`; CLI may point at a copy of the built program.
set -e
CLI=${CLI:-src/EarthMover.Cli/bin/Release/net10.0/EarthMover.Cli}
SEEDS=${SEEDS:-1,2,3}
OUT=${OUT:-docs/soft-labels}
COMMON="--data data/fashion-mnist-sample --epochs 8 --seeds $SEEDS --threads 1 --force"
# Rotated Fashion-MNIST (9 ordered angle bins): class labels, then Gaussian label distributions (sigma 1 class).
nice $CLI compare $COMMON --task rotation --losses ce,emd2 -o $OUT/rotation-hard
nice $CLI compare $COMMON --task rotation --losses ce,emd2,emd,sinkhorn --soft-labels gaussian:1 -o $OUT/rotation-gaussian1
# Orderless Fashion-MNIST (10 classes): learned XEMD against the exact EMD on a learned average-linkage tree.
nice $CLI compare $COMMON --losses ce,xemd2,tree -o $OUT/orderless-tree
# The exact EMD with |i-j| on class labels (the same loss as gd-emd), beside its soft-label run above.
nice $CLI compare $COMMON --task rotation --losses emd -o $OUT/rotation-hard-emd
