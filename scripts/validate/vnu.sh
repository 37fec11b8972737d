#!/usr/bin/env bash
# Validate a built site with the Nu Html Checker (vnu.jar from npm vnu-jar).
#
#   scripts/validate/vnu.sh [--no-css] [--svg] DIR [-- EXTRA_VNU_ARGS...]
#
# Checks every *.html under DIR (and every *.css unless --no-css; every
# standalone *.svg with --svg) in ONE JVM run, errors only. Prints each error
# as `file:line:col: message` (file relative to DIR), then `vnu: N files, N errors`.
# Exit: 0 clean, 1 validation errors, 2 usage/setup problem.
# Env: VNU_JAVA_OPTS overrides the JVM flags (default: -Xss4m -XX:TieredStopAtLevel=1).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
css=1 svg=0
while [ $# -gt 0 ]; do
  case "$1" in
    --no-css) css=0; shift ;;
    --svg) svg=1; shift ;;
    -h|--help) sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    --) shift; break ;;
    -*) echo "vnu.sh: unknown option $1" >&2; exit 2 ;;
    *) break ;;
  esac
done
[ $# -ge 1 ] || { echo "usage: vnu.sh [--no-css] [--svg] DIR [-- EXTRA_VNU_ARGS...]" >&2; exit 2; }
dir="$1"; shift
[ "${1:-}" = "--" ] && shift
[ -d "$dir" ] || { echo "vnu.sh: not a directory: $dir" >&2; exit 2; }
dir="$(cd "$dir" && pwd)"

jar="$(cd "$here" && node -e 'process.stdout.write(String(require("vnu-jar")))' 2>/dev/null)" || jar=""
if [ -z "$jar" ] || [ ! -f "$jar" ]; then
  echo "vnu.sh: vnu-jar not installed; run scripts/install-validators.sh" >&2; exit 2
fi
command -v java >/dev/null || { echo "vnu.sh: java not found" >&2; exit 2; }

# Collect files (relative to DIR, sorted, NUL-safe).
names=(-name '*.html')
[ "$css" = 1 ] && names+=(-o -name '*.css')
[ "$svg" = 1 ] && names+=(-o -name '*.svg')
mapfile -d '' files < <(cd "$dir" && find . -type f \( "${names[@]}" \) -print0 | sort -z)
nfiles=${#files[@]}
if [ "$nfiles" -eq 0 ]; then
  echo "vnu.sh: no *.html files under $dir" >&2
  echo "vnu: 0 files, 0 errors"
  exit 2
fi

vnu_args=(--format json --stdout --errors-only --no-langdetect --skip-non-html)
[ "$css" = 1 ] && vnu_args+=(--also-check-css)
[ "$svg" = 1 ] && vnu_args+=(--also-check-svg)

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
# C1-only JIT roughly halves wall time for vnu's short runs; C1 frames are
# bigger, so the stack must be raised or the schema validator overflows.
read -r -a java_opts <<<"${VNU_JAVA_OPTS:--Xss4m -XX:TieredStopAtLevel=1}"
set +e
(cd "$dir" && java "${java_opts[@]}" -jar "$jar" "${vnu_args[@]}" "$@" "${files[@]}") >"$tmp/out.json" 2>"$tmp/err"
jrc=$?
set -e

node - "$dir" "$nfiles" "$tmp/out.json" "$tmp/err" "$jrc" <<'JS'
const fs = require('fs');
const path = require('path');
const { fileURLToPath } = require('url');
const [dir, nfiles, outFile, errFile, jrc] = process.argv.slice(2);
let data;
try {
  data = JSON.parse(fs.readFileSync(outFile, 'utf8'));
} catch (e) {
  process.stderr.write(`vnu.sh: checker produced no JSON (java exit ${jrc})\n`);
  process.stderr.write(fs.readFileSync(errFile, 'utf8'));
  process.stderr.write(fs.readFileSync(outFile, 'utf8').slice(0, 4000));
  console.log(`vnu: ${nfiles} files, ? errors`);
  process.exit(2);
}
const rel = (url) => {
  if (!url) return '(vnu)';
  try { return path.relative(dir, fileURLToPath(new URL(url))) || url; } catch { return url; }
};
const oneLine = (s) => String(s ?? '').replace(/\s+/g, ' ').trim();
let errors = 0;
for (const m of data.messages ?? []) {
  const fatal = m.type === 'non-document-error';
  if (m.type !== 'error' && !fatal) continue;
  errors++;
  const line = m.firstLine ?? m.lastLine ?? 0;
  const col = m.firstColumn ?? m.lastColumn ?? 0;
  console.log(`${rel(m.url)}:${line}:${col}: ${fatal ? 'fatal: ' : ''}${oneLine(m.message)}`);
  if (m.extract) console.log(`    | ${oneLine(m.extract).slice(0, 160)}`);
}
const stderr = fs.readFileSync(errFile, 'utf8').trim();
if (stderr) process.stderr.write(stderr + '\n');
console.log(`vnu: ${nfiles} files, ${errors} errors`);
process.exit(errors > 0 ? 1 : (jrc === '0' ? 0 : 2));
JS
