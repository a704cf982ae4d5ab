# Writes the R datasets of data/ from Debian's packages, unchanged (R's write.csv: factors as their labels,
# NA for missing, no row names). Run from the repository root:
#   sudo apt-get install -y r-base-core r-cran-modeldata r-cran-mlmrev
#   Rscript data/export.R
exports <- list(
  c("modeldata", "hpc_data"),
  c("modeldata", "stackoverflow"),
  c("modeldata", "attrition"),
  c("modeldata", "ames"),
  c("modeldata", "lending_club"),
  c("mlmRev", "Chem97"),
  c("mlmRev", "ScotsSec")
)
for (e in exports) {
  env <- new.env()
  data(list = e[2], package = e[1], envir = env)
  x <- get(e[2], envir = env)
  file <- file.path("data", paste0(e[2], ".csv"))
  write.csv(x, file, row.names = FALSE)
  cat(sprintf("%s: %s::%s %s, %d rows\n", file, e[1], e[2], packageVersion(e[1]), nrow(x)))
}
