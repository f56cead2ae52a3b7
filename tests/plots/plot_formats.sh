#!/usr/bin/env bash
# ctest plot_formats: every figure in every --format (png, pdf, svg) is written and is a file of
# that format; the new figures (spread vs p, spread vs number of seeds) appear when simulate
# reports differ in p or in the seed count, and from one simulate --p LO:HI:STEP report;
# mobilize draws tree sizes and the time-to-all-targets CDF; mobilize --plot-format passes through.
# Exit 77 (SKIP) when no python3 can import matplotlib.
set -euo pipefail
cascade=$1
source_dir=$2
python=""
for py in "${CASCADE_PYTHON:-}" python3 /usr/bin/python3; do
  if [ -n "$py" ] && "$py" -c 'import matplotlib' 2>/dev/null; then python=$py; break; fi
done
if [ -z "$python" ]; then echo "SKIP: no python3 with matplotlib"; exit 77; fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
karate=$source_dir/data/karate.el
for p in 0.05 0.1 0.2; do "$cascade" simulate "$karate" --p "$p" --trials 200 --json "p$p.json" -q >/dev/null; done
"$cascade" simulate "$karate" --p 0.05:0.2:0.05 --trials 200 --json range.json -q >/dev/null
for k in 1 2 4; do "$cascade" simulate "$karate" --p 0.1 --seeds "$k" --trials 200 --json "k$k.json" -q >/dev/null; done
magic() {  # FILE FORMAT: the file starts as that format does
  case $2 in
    png) head -c 4 "$1" | grep -q "PNG" ;;
    pdf) head -c 5 "$1" | grep -q "%PDF" ;;
    svg) head -c 400 "$1" | grep -q "<svg\|<?xml" ;;
  esac
}
fail=0
check() {  # DIR NAME FORMAT
  local f=$1/$2.$3
  if [ ! -s "$f" ]; then echo "FAIL: $f missing or empty"; fail=1; return; fi
  magic "$f" "$3" || { echo "FAIL: $f is not $3"; fail=1; }
}
for fmt in png pdf svg; do
  "$python" "$source_dir/tools/plot.py" p0.05.json p0.1.json p0.2.json --out "p-$fmt" --format "$fmt" -q
  for name in cascade_sizes spread_curve spread_vs_p; do check "p-$fmt" "$name" "$fmt"; done
  test ! -e "p-$fmt/spread_vs_seeds.$fmt" || { echo "FAIL: spread_vs_seeds from a p sweep"; fail=1; }
  "$python" "$source_dir/tools/plot.py" k1.json k2.json k4.json --out "k-$fmt" --format "$fmt" -q
  check "k-$fmt" spread_vs_seeds "$fmt"
  "$python" "$source_dir/tools/plot.py" range.json --out "r-$fmt" --format "$fmt" -q
  check "r-$fmt" spread_vs_p "$fmt"
done
cat > tiny.json <<'JSON'
{"name": "tiny", "trials": 3, "horizon_hours": 12,
 "network": {"generator": "chung-lu", "vertices": 2000, "mean_degree": 6, "gamma": 2.5},
 "seeds": {"choice": "random", "count": 3},
 "targets": {"count": 1, "witnesses": 2000, "appear_hours": 0}}
JSON
CASCADE_PYTHON=$python "$cascade" mobilize tiny.json --plot mob --plot-format svg -q >/dev/null
check mob recruits_over_time svg
check mob payoffs svg
check mob tree_sizes svg
check mob time_to_all_targets svg  # every witness may find the one target: found in every trial
if "$cascade" mobilize tiny.json --plot mob --plot-format gif -q 2>err.txt; then
  echo "FAIL: --plot-format gif accepted"; fail=1
fi
[ "$fail" = 0 ] && echo "ok: every figure in png, pdf and svg"
exit "$fail"
