#!/usr/bin/env bash
# Trains the shipped model (models/default) from ../shared/data and writes
# its evaluation. Deterministic for a given machine: every step is seeded.
# Takes about 15 minutes on 2 cores.
set -euo pipefail
cd "$(dirname "$0")/.."
data=${DATA:-../shared/data}
work=.cache/splits
cli="node dist/cli/main.js"

npm run build --silent
mkdir -p "$work"

# Hold out a tenth of Quora dev for early stopping and the threshold.
$cli split --pairs "$data/quora/dev.tsv" --share 0.1 --seed 1 \
  --train "$work/quora-dev-train.tsv" --val "$work/quora-dev-val.tsv"

$cli train \
  --pairs "$work/quora-dev-train.tsv" \
  --pairs "$data/stsb/train.tsv" \
  --pairs "$data/sick/train.tsv" \
  --val "$work/quora-dev-val.tsv" \
  --normalize --epochs 30 --patience 6 --seed 1 \
  --out models/default

$cli report --model models/default --update-model --out EVALUATION.md
