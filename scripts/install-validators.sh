#!/usr/bin/env bash
# Install the site validators: Debian Chromium (for axe.mjs) and the npm
# packages in scripts/validate (vnu-jar, playwright-core, axe-core).
# Idempotent: each step is skipped when its result is already present.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
vdir="$here/validate"

log() { printf 'install-validators: %s\n' "$*"; }

# --- Chromium (Debian package) -------------------------------------------
if [ -x /usr/bin/chromium ]; then
  log "chromium present ($(/usr/bin/chromium --version 2>/dev/null || echo unknown version))"
else
  log "installing chromium via apt-get"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q
  apt-get install -y -q --no-install-recommends chromium
fi

# --- Java (vnu.jar needs Java 11+; Java 17 is expected on the machine) ---
if ! command -v java >/dev/null 2>&1; then
  log "java missing: installing default-jre-headless via apt-get"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q
  apt-get install -y -q --no-install-recommends default-jre-headless
fi

# --- npm packages -----------------------------------------------------------
# Complete = every pinned dependency has its package.json and the key files
# the scripts use exist, at the version pinned in package.json.
npm_complete() {
  node --input-type=module - "$vdir" <<'JS'
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
const dir = process.argv[2];
try {
  const deps = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).dependencies ?? {};
  for (const [name, want] of Object.entries(deps)) {
    const p = join(dir, 'node_modules', name, 'package.json');
    if (!existsSync(p)) process.exit(1);
    if (JSON.parse(readFileSync(p, 'utf8')).version !== want) process.exit(1);
  }
  for (const f of ['axe-core/axe.min.js', 'vnu-jar/build/dist/vnu.jar', 'playwright-core/index.mjs']) {
    if (!existsSync(join(dir, 'node_modules', f))) process.exit(1);
  }
  process.exit(0);
} catch { process.exit(1); }
JS
}

if npm_complete; then
  log "node_modules complete in $vdir"
else
  log "installing npm packages in $vdir"
  # --ignore-scripts: vnu-jar's postinstall tries to download Java and
  # playwright's would download a browser; neither works (or is needed) here.
  npm_flags=(--ignore-scripts --no-audit --no-fund --loglevel=error)
  if [ -f "$vdir/package-lock.json" ]; then
    (cd "$vdir" && npm ci "${npm_flags[@]}")
  else
    (cd "$vdir" && npm install "${npm_flags[@]}")
  fi
  npm_complete || { log "npm install finished but node_modules is incomplete"; exit 1; }
fi

log "ok"
