#!/usr/bin/env bash
# Runs the benchmark suite and renders its report: builds the bench/ executables and the CLI
# (Release, build-bench/), runs every case per scale and thread count, then writes
# OUT/results.md (tables, targets) and OUT/scaling.png (time vs graph size, speed-up vs threads).
#
#   bash tools/bench.sh [--scale 20..22] [--threads 1,2] [--out out/bench] [--smoke]
#                       [--only bench_ic,...] [--no-cli]
#
# --scale takes one scale, LO..HI or a list (2^scale vertices; 2^24 needs about 8 GB);
# --smoke is the tiny run CI uses (scales 10..11, minimal repetitions). Takes about 15 minutes
# on 2 cores at the default scales.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
bash tools/setup.sh

build=build-bench
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DCASCADE_BUILD_TESTS=OFF \
  -DCASCADE_BUILD_PYTHON=OFF -DCASCADE_BUILD_BENCH=ON -DCASCADE_BUILD_TOOLS=ON >/dev/null
targets=(cascade_cli)
for f in bench/bench_*.cpp; do targets+=("$(basename "${f%.cpp}")"); done
cmake --build "$build" -j "$(nproc)" --target "${targets[@]}"
exec /usr/bin/python3 tools/bench.py --bin "$build" "$@"
