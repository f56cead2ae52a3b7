#!/usr/bin/env bash
# The main job: installs the Debian packages, configures and builds Release in build/, then runs
# the virality-vs-incentive comparison on the default million-node network
# (cascade mobilize data/scenarios/default.json) with its JSON, CSV and PNG figures in out/.
# Until that scenario exists it generates a million-vertex R-MAT graph and prints its statistics.
# Safe to run twice (outputs are replaced atomically). Extra arguments go to `cascade mobilize`,
# e.g. bash tools/run.sh --trials 4 --threads 2
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
bash tools/setup.sh

cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release \
  -DPython_EXECUTABLE=/usr/bin/python3 >/dev/null
# The program, and the Python module build/python/cascade when pybind11 was found.
targets=(cascade_cli)
# (grep reads all of it: with -q, an early exit could fail the pipeline under pipefail)
if cmake --build build --target help | grep '^cascade_python:' >/dev/null; then
  targets+=(cascade_python)
fi
cmake --build build -j "$(nproc)" --target "${targets[@]}"
cascade=build/tools/cascade
mkdir -p out

scenario=data/scenarios/default.json
if [ -f "$scenario" ]; then
  "$cascade" mobilize "$scenario" --json out/mobilize.json --csv out/mobilize.csv --plot out "$@"
  echo "run.sh: report in out/mobilize.json, curves in out/mobilize.csv, figures out/*.png" >&2
else
  "$cascade" generate rmat --scale 20 --edge-factor 16 --seed 1 -o out/rmat-20.csr
  "$cascade" info out/rmat-20.csr
fi
