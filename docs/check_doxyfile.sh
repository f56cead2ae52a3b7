#!/usr/bin/env bash
# ctest docs_doxyfile: the configured Doxyfile is valid and produces the API reference. Runs
# doxygen into a temporary directory; fails on any configuration warning or a missing page;
# exit 77 (SKIP) when doxygen is not installed.
set -euo pipefail
doxyfile=$1
if ! command -v doxygen >/dev/null; then
  echo "SKIP: doxygen is not installed (apt-get install doxygen)"
  exit 77
fi
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
{ cat "$doxyfile"; echo "OUTPUT_DIRECTORY = $out"; echo "WARN_LOGFILE = $out/warnings.log"; } |
  doxygen - 2>"$out/stderr.log"
if grep -i "warning\|error" "$out/stderr.log"; then
  echo "FAIL: doxygen reported configuration problems (above)"
  exit 1
fi
for page in index.html classcascade_1_1Graph.html tutorial.html; do
  test -s "$out/html/$page" || { echo "FAIL: $page missing from the reference"; ls "$out/html" | head; exit 1; }
done
echo "ok: $(ls "$out/html" | wc -l) files in the API reference"
