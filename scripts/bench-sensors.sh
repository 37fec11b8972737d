#!/usr/bin/env bash
# Benchmark `drehbuch sensors summarize` against DuckDB and pandas.
#
# Generates ~10 million readings as canonical CSV (~600 MB) and its .gz, then times
#   drehbuch (release build) on the CSV and on the .gz,
#   DuckDB and pandas (chunked) computing daily maxima and hot days on the CSV,
# and reports wall time, readings/second and peak RSS (/usr/bin/time -v), plus the machine.
# All tools must agree on the number of hot days (the data is clean, every day complete).
#
# Usage: scripts/bench-sensors.sh [WORKDIR]     (default WORKDIR: /tmp/drehbuch-bench)
# Env:   DREHBUCH_BIN   use this binary instead of building (must be a release build)
#        BENCH_SENSORS / BENCH_YEARS   size of the data (default 57 sensors x 10 years)
#        SKIP_PY=1      skip DuckDB and pandas
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
WORK="${1:-/tmp/drehbuch-bench}"
SENSORS="${BENCH_SENSORS:-57}"
YEARS="${BENCH_YEARS:-10}"
mkdir -p "$WORK"
CSV="$WORK/bench.csv"
GZ="$WORK/bench.csv.gz"

if [[ -z "${DREHBUCH_BIN:-}" ]]; then
  echo "== building drehbuch (release)"
  cargo build --release --quiet --manifest-path "$ROOT/Cargo.toml" --bin drehbuch
  DREHBUCH_BIN="$(cargo metadata --format-version 1 --no-deps --manifest-path "$ROOT/Cargo.toml" \
    | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')/release/drehbuch"
fi

if [[ ! -s "$CSV" ]]; then
  echo "== generating $CSV ($SENSORS sensors x $YEARS years, 30-minute interval)"
  python3 "$ROOT/benches/sensors/gen_bench_csv.py" "$CSV" "$SENSORS" "$YEARS"
fi
if [[ ! -s "$GZ" ]]; then
  echo "== compressing to $GZ"
  gzip -6 -c "$CSV" > "$GZ"
fi
ROWS=$(( $(wc -l < "$CSV") - 1 ))

if [[ -z "${SKIP_PY:-}" ]]; then
  VENV=/tmp/drehbuch-bench-venv
  if [[ ! -x "$VENV/bin/python" ]]; then
    echo "== installing duckdb and pandas into $VENV"
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install --quiet duckdb pandas
  fi
fi

RESULTS="$WORK/results.tsv"
printf 'tool\tinput\twall_s\tcpu_s\treadings_per_wall_s\treadings_per_cpu_s\tpeak_rss_mb\thot_days\n' > "$RESULTS"

run() { # name input command...
  local name="$1" input="$2"; shift 2
  local log="$WORK/$name.time" out="$WORK/$name.out"
  /usr/bin/time -v "$@" > "$out" 2> "$log"
  local wall rss secs user sys cpu
  wall=$(grep 'Elapsed (wall clock)' "$log" | awk '{print $NF}')
  rss=$(grep 'Maximum resident set size' "$log" | awk '{print $NF}')
  user=$(grep 'User time (seconds)' "$log" | awk '{print $NF}')
  sys=$(grep 'System time (seconds)' "$log" | awk '{print $NF}')
  secs=$(python3 -c "p='$wall'.split(':'); print(sum(float(x)*60**i for i,x in enumerate(reversed(p))))")
  cpu=$(python3 -c "print($user + $sys)")
  local hot
  hot=$(tail -n 1 "$out")
  printf '%s\t%s\t%.2f\t%.2f\t%.0f\t%.0f\t%.0f\t%s\n' "$name" "$input" "$secs" "$cpu" "$(python3 -c "print($ROWS/$secs)")" "$(python3 -c "print($ROWS/max($cpu, 0.001))")" "$(python3 -c "print($rss/1024)")" "$hot" >> "$RESULTS"
  echo "   $name on $input: ${secs}s wall, ${cpu}s CPU, peak RSS $((rss / 1024)) MB (load $(cut -d' ' -f1 /proc/loadavg))"
}

# drehbuch prints its tables to stdout only without --quiet; the hot-day total is read from the
# summary after the timed run, then patched into the results line.
fix_hot() { local h; h=$(tail -n 1 "$WORK/$1.out"); python3 - "$RESULTS" "$1" "$h" <<'PY'
import sys
path, name, hot = sys.argv[1:]
lines = open(path).read().splitlines()
lines = [("\t".join(l.split("\t")[:-1] + [hot]) if l.startswith(name + "\t") else l) for l in lines]
open(path, "w").write("\n".join(lines) + "\n")
PY
}

hot_from_summary() { python3 -c "import json,sys; s=json.load(open(sys.argv[1])); print(sum(y['hot_days'] for x in s['sensors'] for y in x['years']))" "$1"; }

echo "== drehbuch"
run drehbuch-csv csv "$DREHBUCH_BIN" sensors summarize "$CSV" --out "$WORK/summary-csv.json" --quiet --progress never
hot_from_summary "$WORK/summary-csv.json" >> "$WORK/drehbuch-csv.out"; fix_hot drehbuch-csv
run drehbuch-gz gz "$DREHBUCH_BIN" sensors summarize "$GZ" --out "$WORK/summary-gz.json" --quiet --progress never
hot_from_summary "$WORK/summary-gz.json" >> "$WORK/drehbuch-gz.out"; fix_hot drehbuch-gz

if [[ -z "${SKIP_PY:-}" ]]; then
  echo "== duckdb"
  run duckdb csv "$VENV/bin/python" "$ROOT/benches/sensors/duckdb_hot_days.py" "$CSV"
  echo "== pandas"
  run pandas csv "$VENV/bin/python" "$ROOT/benches/sensors/pandas_hot_days.py" "$CSV"
fi

echo
echo "== machine"
echo "date:    $(date -u +%Y-%m-%d)"
echo "nproc:   $(nproc)"
echo "cpu:     $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //')"
echo "memory:  $(free -g | awk '/Mem:/ {print $2}') GiB"
echo "load:    $(cut -d' ' -f1-3 /proc/loadavg) (1/5/15 min; the machine may be shared, so compare CPU seconds too)"
echo "input:   $ROWS readings, CSV $(( $(stat -c %s "$CSV") / 1000000 )) MB, gzip $(( $(stat -c %s "$GZ") / 1000000 )) MB"
[[ -z "${SKIP_PY:-}" ]] && echo "versions: duckdb $("$VENV/bin/python" -c 'import duckdb; print(duckdb.__version__)'), pandas $("$VENV/bin/python" -c 'import pandas; print(pandas.__version__)')"
echo
column -t -s $'\t' "$RESULTS"
echo
echo "(the DuckDB and pandas scripts compute only daily maxima and hot days; drehbuch also"
echo " classifies every reading, computes coverage, means, minima and the SHA-256 of the input;"
echo " drehbuch's hot-day total is read from its summary after the timed run)"
