#!/usr/bin/env node
// Accessibility check of a built site: axe-core in Debian Chromium (playwright-core).
//
//   node scripts/validate/axe.mjs DIR PATH...      e.g. node axe.mjs public /en/ /de/formate/
//   node scripts/validate/axe.mjs DIR --all        every index.html under DIR
//
// Serves DIR on 127.0.0.1 (random port), opens each path at a desktop (1280x800)
// and a phone (390x844) viewport, runs axe with WCAG 2.0/2.1 A+AA rules, prints
// every violation, and ends with `axe: N pages, N serious/critical violations`.
// Exit: 0 clean (moderate/minor violations are printed but allowed),
//       1 serious/critical violations or a page that failed to load, 2 usage/setup.
// Env: CHROMIUM (default /usr/bin/chromium), AXE_JOBS (parallel pages, default 2).

import fs from 'node:fs';
import path from 'node:path';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { serveDirectory } from './serve.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);

const PAGE_TIMEOUT_MS = 20_000; // navigation (load event)
const AXE_TIMEOUT_MS = 30_000; // axe injection + axe.run
const LAUNCH_TIMEOUT_MS = 30_000;
const VIEWPORTS = [
  { name: 'desktop', viewport: { width: 1280, height: 800 }, isMobile: false, hasTouch: false, deviceScaleFactor: 1 },
  { name: 'phone', viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 3 },
];
const AXE_OPTIONS = {
  runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
  rules: {}, // best-practice rules are not in these tags, so they stay off
  resultTypes: ['violations'],
};
const FAILING = new Set(['serious', 'critical']);



function usage(msg) {
  if (msg) console.error(`axe.mjs: ${msg}`);
  console.error('usage: node axe.mjs DIR PATH...   |   node axe.mjs DIR --all');
  process.exit(2);
}

// ---------------------------------------------------------------- arguments
const argv = process.argv.slice(2);
if (argv.includes('-h') || argv.includes('--help')) {
  console.log(fs.readFileSync(fileURLToPath(import.meta.url), 'utf8').split('\n').slice(1, 13).map((l) => l.replace(/^\/\/ ?/, '')).join('\n'));
  process.exit(0);
}
const all = argv.includes('--all');
const positional = argv.filter((a) => a !== '--all');
for (const a of positional) if (a.startsWith('--')) usage(`unknown option ${a}`);
if (positional.length < 1) usage();
const root = path.resolve(positional[0]);
if (!fs.existsSync(root) || !fs.statSync(root).isDirectory()) usage(`not a directory: ${positional[0]}`);

function findIndexPages(dir) {
  const out = [];
  const walk = (d) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile() && e.name === 'index.html') {
        const rel = path.relative(dir, path.dirname(p)).split(path.sep).filter(Boolean);
        out.push('/' + rel.map(encodeURIComponent).join('/') + (rel.length ? '/' : ''));
      }
    }
  };
  walk(dir);
  return out.sort();
}

let pages = positional.slice(1).map((p) => (p.startsWith('/') ? p : '/' + p));
if (all) pages = [...new Set([...pages, ...findIndexPages(root)])];
if (pages.length === 0) usage(all ? `no index.html under ${root}` : 'no PATH given (or use --all)');

let axePath, chromium;
try {
  axePath = require.resolve('axe-core/axe.min.js');
  ({ chromium } = await import('playwright-core'));
} catch {
  console.error('axe.mjs: npm packages missing; run scripts/install-validators.sh');
  process.exit(2);
}
const executablePath = process.env.CHROMIUM || '/usr/bin/chromium';
if (!fs.existsSync(executablePath)) {
  console.error(`axe.mjs: ${executablePath} not found; run scripts/install-validators.sh`);
  process.exit(2);
}
const jobs = Math.max(1, Number.parseInt(process.env.AXE_JOBS || '2', 10) || 2);

// -------------------------------------------------------------- static server
const { server, origin } = await serveDirectory(root);

// ------------------------------------------------------------------- browser
let browser = null;
let userDataDir = null;
let closing = false;
async function cleanup() {
  if (closing) return;
  closing = true;
  if (browser) await Promise.race([browser.close().catch(() => {}), sleep(10_000)]);
  server.closeAllConnections?.();
  server.close();
  if (userDataDir) fs.rmSync(userDataDir, { recursive: true, force: true });
}
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.once(sig, async () => {
    console.error(`axe.mjs: ${sig}, closing browser`);
    await cleanup();
    process.exit(2);
  });
}
function sleep(ms) {
  return new Promise((r) => setTimeout(r, ms).unref());
}
function withTimeout(promise, ms, what) {
  let t;
  return Promise.race([
    promise,
    new Promise((_, reject) => {
      t = setTimeout(() => reject(new Error(`${what} timed out after ${ms / 1000}s`)), ms);
    }),
  ]).finally(() => clearTimeout(t));
}

const results = new Map(); // page -> { errors: [], notes: [], violations: Map(id -> {...}) }
for (const p of pages) results.set(p, { errors: [], notes: new Set(), violations: new Map() });

// One worker = one tab, reused for successive pages (a fresh tab costs ~0.2 s);
// the tab is replaced after a failure so a hung renderer cannot poison the next page.
async function worker(context, vp, queue) {
  let page = null;
  let current = null; // { path, r } of the page being checked
  const openTab = async () => {
    const p = await context.newPage();
    p.on('pageerror', (e) => current?.r.notes.add(`script error: ${String(e.message).split('\n')[0]}`));
    p.on('response', (resp) => {
      if (current && resp.status() >= 400 && resp.url() !== origin + current.path) {
        current.r.notes.add(`HTTP ${resp.status()} ${resp.url().replace(origin, '')}`);
      }
    });
    return p;
  };
  const closeTab = async () => {
    if (page) await Promise.race([page.close({ runBeforeUnload: false }).catch(() => {}), sleep(5_000)]);
    page = null;
  };
  while (queue.length) {
    const pagePath = queue.shift();
    const r = results.get(pagePath);
    current = { path: pagePath, r };
    try {
      page ??= await openTab();
      const tab = page;
      const work = async () => {
        const resp = await tab.goto(origin + pagePath, { waitUntil: 'load', timeout: PAGE_TIMEOUT_MS });
        if (!resp || resp.status() >= 400) throw new Error(`HTTP ${resp ? resp.status() : 'no response'} for ${pagePath}`);
        if (!(await tab.evaluate(() => typeof window.axe?.run === 'function'))) await tab.addScriptTag({ path: axePath });
        return tab.evaluate((opts) => window.axe.run(document, opts), AXE_OPTIONS);
      };
      // One deadline for load + axe, so a hung renderer cannot stall the run.
      const res = await withTimeout(work(), PAGE_TIMEOUT_MS + AXE_TIMEOUT_MS, 'page check');
      for (const v of res.violations) {
        let entry = r.violations.get(v.id);
        if (!entry) {
          entry = { id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl, nodes: new Map() };
          r.violations.set(v.id, entry);
        }
        for (const n of v.nodes) {
          const target = n.target.map((t) => (Array.isArray(t) ? t.join(' >>> ') : t)).join(' | ');
          let node = entry.nodes.get(target);
          if (!node) {
            const summary = (n.failureSummary || '').split('\n').map((x) => x.trim()).filter((x) => x && !/^Fix (any|all)/.test(x));
            node = { viewports: new Set(), summary: summary[0] || '', html: String(n.html || '').replace(/\s+/g, ' ') };
            entry.nodes.set(target, node);
          }
          node.viewports.add(vp.name);
        }
      }
    } catch (e) {
      r.errors.push(`${vp.name}: ${String(e.message).split('\n')[0]}`);
      await closeTab();
    }
  }
  current = null;
  await closeTab();
}

const t0 = Date.now();
const externalBlocked = new Set();
let exitCode = 0;
try {
  userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'drehbuch-axe-'));
  // launch() gives Chromium a fresh temporary profile of its own; HOME points
  // at a throwaway dir too, so nothing is read from or left in the real home.
  browser = await chromium.launch({
    executablePath,
    headless: true,
    timeout: LAUNCH_TIMEOUT_MS,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
    ],
    env: { ...process.env, HOME: userDataDir },
  });
  for (const vp of VIEWPORTS) {
    const context = await browser.newContext({
      viewport: vp.viewport,
      isMobile: vp.isMobile,
      hasTouch: vp.hasTouch,
      deviceScaleFactor: vp.deviceScaleFactor,
      reducedMotion: 'reduce',
      colorScheme: 'light',
      serviceWorkers: 'block',
    });
    // axe-core is put into every document before the page's own scripts run
    // (init scripts are not subject to the page's CSP); this is much cheaper
    // than a per-page addScriptTag of the 550 kB bundle. addScriptTag remains
    // as the fallback in worker() should a page have clobbered window.axe.
    await context.addInitScript({ path: axePath });
    // Only the local server is reachable; anything else is aborted at once
    // instead of hanging until the page timeout.
    await context.route(
      (url) => !url.href.startsWith(origin + '/') && !url.protocol.startsWith('data') && !url.protocol.startsWith('blob'),
      (route) => {
        externalBlocked.add(route.request().url().slice(0, 120));
        route.abort('blockedbyclient').catch(() => {});
      },
    );
    const queue = [...pages];
    await Promise.all(
      Array.from({ length: Math.min(jobs, queue.length) }, async () => {
        await worker(context, vp, queue);
      }),
    );
    await context.close().catch(() => {});
  }
} catch (e) {
  console.error(`axe.mjs: ${e.message}`);
  exitCode = 2;
} finally {
  await cleanup();
}

// ------------------------------------------------------------------- report
const order = { critical: 0, serious: 1, moderate: 2, minor: 3 };
let failing = 0;
let other = 0;
let pageErrors = 0;
for (const [pagePath, r] of results) {
  for (const err of r.errors) {
    console.log(`${pagePath}: ERROR ${err}`);
    pageErrors++;
  }
  const vs = [...r.violations.values()].sort((a, b) => (order[a.impact] ?? 9) - (order[b.impact] ?? 9) || a.id.localeCompare(b.id));
  for (const v of vs) {
    if (FAILING.has(v.impact)) failing++;
    else other++;
    console.log(`${pagePath}: [${v.impact ?? 'unknown'}] ${v.id}: ${v.help} (${v.nodes.size} element${v.nodes.size === 1 ? '' : 's'})`);
    console.log(`    ${v.helpUrl}`);
    for (const [target, n] of v.nodes) {
      const where = n.viewports.size === VIEWPORTS.length ? 'all viewports' : [...n.viewports].join(', ');
      console.log(`    - ${target}  [${where}]`);
      if (n.html) console.log(`      ${n.html.length > 140 ? n.html.slice(0, 137) + '...' : n.html}`);
      if (n.summary) console.log(`      ${n.summary}`);
    }
  }
  for (const note of r.notes) console.log(`${pagePath}: note: ${note}`);
}
if (externalBlocked.size) {
  console.log(`note: blocked ${externalBlocked.size} request(s) to other hosts, e.g. ${[...externalBlocked][0]}`);
}
const secs = ((Date.now() - t0) / 1000).toFixed(1);
console.log(`axe: ${other} moderate/minor violations (not failing), ${pageErrors} page errors; ${VIEWPORTS.map((v) => `${v.name} ${v.viewport.width}x${v.viewport.height}`).join(' + ')}; ${secs}s`);
console.log(`axe: ${pages.length} pages, ${failing} serious/critical violations`);
if (exitCode === 0 && (failing > 0 || pageErrors > 0)) exitCode = 1;
process.exit(exitCode);
