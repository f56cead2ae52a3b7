#!/usr/bin/env bash
# Builds the libFuzzer targets with clang (ASan + UBSan + fuzzer) in build-fuzz/ and runs each
# for SECONDS (default 60) from its seed corpus in data/fuzz/<target>/. New inputs go to a
# scratch corpus (the seed corpus is not modified); a crash leaves crash-* in build-fuzz/findings
# and a non-zero exit. Usage: bash tools/fuzz.sh [SECONDS] [TARGET...]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
bash tools/setup.sh
seconds="${1:-60}"; shift || true
build=build-fuzz
# -O1 -g1, as the sanitizer suite (tools/test.sh --sanitize): half the build time of -O2 -g, and
# line tables are all a crash report needs.
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=clang++ \
  "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O1 -g1 -DNDEBUG" \
  -DCASCADE_BUILD_FUZZERS=ON -DCASCADE_BUILD_TESTS=OFF -DCASCADE_BUILD_BENCH=OFF \
  -DCASCADE_BUILD_TOOLS=OFF -DCASCADE_BUILD_PYTHON=OFF >/dev/null
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  for f in tests/fuzz/fuzz_*.cpp; do targets+=("$(basename "${f%.cpp}")"); done
fi
cmake --build "$build" -j "$(nproc)" --target "${targets[@]}"
mkdir -p "$build/findings"
status=0
for t in "${targets[@]}"; do
  scratch="$build/corpus/$t"; mkdir -p "$scratch"
  log="$build/findings/$t.log"
  # Scenario files reach 1 MiB inputs (deep nesting, huge values); the other formats are
  # parsed in blocks, so 64 KiB inputs cover them. The time per target is the same.
  max_len=65536; [ "$t" = fuzz_scenario ] && max_len=1048576
  if "$build/tests/fuzz/$t" -max_total_time="$seconds" -rss_limit_mb=4096 -max_len="$max_len" \
      -artifact_prefix="$build/findings/$t-" -print_final_stats=1 \
      "$scratch" "data/fuzz/$t" >"$log" 2>&1; then
    runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo "?")
    echo "fuzz: $t clean, $runs executions in ${seconds}s"
  else
    echo "fuzz: $t FAILED, see $log"; tail -n 30 "$log"; status=1
  fi
done
exit $status
