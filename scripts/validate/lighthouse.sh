#!/usr/bin/env bash
# Lighthouse (mobile preset) on the pages issue 22 names: the language
# chooser, a home, a card, a chapter, the actor directory and search.
# Not part of CI (Lighthouse is a large npm install); run it by hand:
#   bash scripts/validate/lighthouse.sh [SITE_ROOT]
# It builds SITE_ROOT (default: the repository's example site) for
# http://127.0.0.1:8765/, serves it and prints each page's four scores,
# its layout shift and largest contentful paint.
set -euo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
root="${1:-$repo}"
work="$(mktemp -d)"
trap 'kill "${server:-0}" 2>/dev/null || true; rm -rf "$work"' EXIT
(cd "$work" && npm init -y >/dev/null && npm install --no-audit --no-fund lighthouse@12 >/dev/null)
bin="${CARGO_TARGET_DIR:-$repo/target}/debug/drehbuch"
[ -x "$bin" ] || (cd "$repo" && cargo build)
"$bin" build --root "$root" --base-url http://127.0.0.1:8765/ --output "$work/site"
python3 -m http.server 8765 --bind 127.0.0.1 --directory "$work/site" >/dev/null 2>&1 &
server=$!
sleep 1
pages=(/ /de/ /de/formate/hitze-check-schule/ /de/publikation/beitrag-reallabore-stadt-der-zukunft/ /de/akteure/ /de/suche/)
[ "$root" = "$repo" ] || pages=(/)
for p in "${pages[@]}"; do
  CHROME_PATH="${CHROMIUM:-/usr/bin/chromium}" "$work/node_modules/.bin/lighthouse" "http://127.0.0.1:8765$p" \
    --quiet --chrome-flags="--headless=new --no-sandbox" \
    --only-categories=performance,accessibility,best-practices,seo \
    --output=json --output-path="$work/report.json" >/dev/null 2>&1
  python3 - "$p" "$work/report.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[2]))
scores = " ".join(f"{k} {round(v['score'] * 100)}" for k, v in r["categories"].items())
a = r["audits"]
print(f"{sys.argv[1]}: {scores}; CLS {a['cumulative-layout-shift']['displayValue']}; LCP {a['largest-contentful-paint']['displayValue']}")
PY
done
