#!/usr/bin/env bash
# The worked tutorial of docs/tutorial.md, end to end on small inputs (about half a minute on
# two cores). ctest runs it (test `tutorial`); run it yourself with
#   bash docs/tutorial.sh [path/to/cascade] [work directory]
# Every step checks what it claims; the script stops at the first failure (exit non-zero).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
cascade=${1:-$here/build/tools/cascade}
work=${2:-$(mktemp -d)}
mkdir -p "$work" && cd "$work"
data=$here/data
say() { printf '\n== %s\n' "$*"; }
# json FILE EXPR: prints a value of a JSON document (python3's json, no third-party module).
json() { python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print($2)" "$1"; }
check() { python3 -c "import json,sys; d=json.load(open(sys.argv[1])); assert $2, sys.argv[2]" "$1" "$2"; }

say "1. A graph: Chung-Lu power law, 5,000 vertices, mean degree 8, saved as binary CSR"
"$cascade" generate chunglu -n 5000 -d 8 --gamma 2.5 --seed 7 -o g.csr --json gen.json -q
check gen.json "d['schema']['name'] == 'cascade.generate' and d['vertices'] == 5000"

say "2. What is in it: sizes, degrees, power-law fit, components"
"$cascade" info g.csr
"$cascade" info g.csr --json info.json -q >/dev/null
check info.json "d['vertices'] == 5000 and d['symmetric'] and d['components']['largest'] > 4000"
echo "power-law tail exponent: $(json info.json "round(d['degree']['out'].get('power_law', {}).get('alpha', 0), 2)")"

say "3. Zachary's karate club, undirected, into Matrix Market and back"
"$cascade" convert "$data/karate.el" --symmetrize karate.mtx -q
"$cascade" convert karate.mtx karate.el -q
"$cascade" info karate.el --json -q > karate.json
check karate.json "d['vertices'] == 34 and d['arcs'] == 156"

say "4. Independent cascade on karate, p = 0.2, one random seed, 4,000 trials"
"$cascade" simulate karate.el --model ic --p 0.2 --trials 4000 --json sim.json -q
echo "mean spread $(json sim.json "round(d['mean'], 3)") \
(95% interval $(json sim.json "[round(x, 3) for x in d['ci95']]"))"
check sim.json "1 < d['mean'] < 34"

say "5. The spread grows with p (the phase transition of the cascade)"
for p in 0.05 0.1 0.2 0.3; do
  "$cascade" simulate karate.el --p "$p" --trials 2000 --json "p$p.json" -q >/dev/null
  printf 'p = %-4s mean spread %s\n' "$p" "$(json "p$p.json" "round(d['mean'], 2)")"
done
python3 - <<'PY'
import json
m = [json.load(open(f"p{p}.json"))["mean"] for p in ("0.05", "0.1", "0.2", "0.3")]
assert all(a < b for a, b in zip(m, m[1:])), m
PY

say "6. Two seeds chosen by influence maximization (IMM), validated by Monte Carlo"
"$cascade" maximize karate.el --k 2 --p 0.2 --validate-trials 2000 --json max.json -q
echo "seeds $(json max.json "d['seeds']")"
check max.json "d['schema']['name'] == 'cascade.maximize' and len(d['seeds']) == 2"

say "7. Virality vs incentive-weighted recruitment on a small network (2 trials per regime)"
"$cascade" mobilize "$data/scenarios/red-balloon-2009.json" --generator er -n 2000 -d 6 \
  --trials 2 --json mob.json -q >/dev/null
check mob.json "len(d['regimes']) >= 2"

say "8. Figures (when python3 has matplotlib)"
if python3 -c 'import matplotlib' 2>/dev/null || /usr/bin/python3 -c 'import matplotlib' 2>/dev/null
then
  "$cascade" mobilize "$data/scenarios/red-balloon-2009.json" --generator er -n 2000 -d 6 \
    --trials 2 --plot figs -q >/dev/null
  ls figs
  test -n "$(ls figs/*.png)"
else
  echo "skipped: python3 has no matplotlib"
fi

say "done: every step checked (work directory $work)"
