#!/bin/sh
# Reproduces every file of data/ from Debian 12's packages (run from anywhere; writes into data/).
#   sudo apt-get install -y r-base-core r-cran-modeldata r-cran-mlmrev python3-statsmodels python3-pandas dataset-fashion-mnist
# The diamonds data the program embeds comes from r-cran-ggplot2 (src/EarthMover.Training/Data/Embedded/NOTICE.md).
set -eu
cd "$(dirname "$0")/.."
Rscript data/export.R
/usr/bin/python3 data/export_statsmodels.py
/usr/bin/python3 data/make_fashion_sample.py
