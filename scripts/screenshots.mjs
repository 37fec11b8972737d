#!/usr/bin/env node
// Screenshots of a built drehbuch site for the docs (playwright-core + Debian Chromium).
//
//   node scripts/screenshots.mjs SITE_DIR OUT_DIR
//
// SITE_DIR must be built for serving from / (e.g. `drehbuch build --base-url
// http://localhost/ --output /tmp/shots-site`). Serves SITE_DIR on 127.0.0.1
// (random port), opens each page in SHOTS below at desktop (1280x800, full page
// clipped to 2400 px) and phone (390x844, full page clipped to 1800 px) size and
// writes OUT_DIR/<name>-<viewport>.png. A shot with `from` starts at the first
// element matching it instead of the top of the page; with `to` it ends at the
// last element matching that (both still clipped to the maximum height); with
// `click` a visible control is pressed first, with `wait` an element waited for. A PNG over 400 KB is shot again 100 px shorter
// (not below 800 px). Prints each file with its size and any warnings (failed
// requests, script errors, horizontal overflow, PNG still > 400 KB).
// Exit: 0 all written, 1 a page failed to load or shoot, 2 usage/setup.
// Env: CHROMIUM (default /usr/bin/chromium).

import fs from 'node:fs';
import path from 'node:path';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { serveDirectory } from './validate/serve.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
// playwright-core is installed for the validators (scripts/install-validators.sh).
const requireValidate = createRequire(path.join(HERE, 'validate', 'package.json'));

const SHOTS = [
  { name: 'home-de', path: '/de/' },
  { name: 'home-en', path: '/en/' },
  { name: 'cards-de', path: '/de/formate/' },
  { name: 'card-en', path: '/en/cards/heat-check-school/' },
  // The charts sit far down the card: this shot spans the first to the last chart.
  { name: 'charts-de', path: '/de/formate/temperatur-sensoren/', from: 'figure.drehbuch-chart', to: 'figure.drehbuch-chart' },
  { name: 'publication-en', path: '/en/publication/project-summary/' },
  { name: 'actors-de', path: '/de/akteure/' },
  { name: 'search-de', path: '/de/suche/?q=Keller', wait: '.search-results > li' },
  // The phone's menu, opened (on the desktop the header shows it anyway).
  { name: 'menu-de', path: '/de/formate/', click: '.menu-button', only: 'phone' },
];
const VIEWPORTS = [
  { name: 'desktop', viewport: { width: 1280, height: 800 }, maxHeight: 2400, isMobile: false, hasTouch: false },
  { name: 'phone', viewport: { width: 390, height: 844 }, maxHeight: 1800, isMobile: true, hasTouch: true },
];
const MAX_BYTES = 400 * 1024;
const MIN_HEIGHT = 800; // never shrink a shot below this to meet MAX_BYTES
const PAGE_TIMEOUT_MS = 20_000;



function usage(msg) {
  if (msg) console.error(`screenshots.mjs: ${msg}`);
  console.error('usage: node scripts/screenshots.mjs SITE_DIR OUT_DIR');
  process.exit(2);
}

const argv = process.argv.slice(2);
if (argv.length !== 2 || argv.some((a) => a.startsWith('-'))) usage();
const root = path.resolve(argv[0]);
const outDir = path.resolve(argv[1]);
if (!fs.existsSync(root) || !fs.statSync(root).isDirectory()) usage(`not a directory: ${argv[0]}`);

let chromium;
try {
  ({ chromium } = requireValidate('playwright-core'));
} catch {
  usage('playwright-core missing; run scripts/install-validators.sh');
}
const executablePath = process.env.CHROMIUM || '/usr/bin/chromium';
if (!fs.existsSync(executablePath)) usage(`${executablePath} not found; run scripts/install-validators.sh`);
fs.mkdirSync(outDir, { recursive: true });

// -------------------------------------------------------------- static server
const { server, origin } = await serveDirectory(root);

// ------------------------------------------------------------------- browser
let browser = null;
let userDataDir = null;
async function cleanup() {
  if (browser) await Promise.race([browser.close().catch(() => {}), new Promise((r) => setTimeout(r, 10_000).unref())]);
  browser = null;
  server.closeAllConnections?.();
  server.close();
  if (userDataDir) fs.rmSync(userDataDir, { recursive: true, force: true });
  userDataDir = null;
}
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.once(sig, async () => {
    await cleanup();
    process.exit(2);
  });
}

let failures = 0;
let warnings = 0;
try {
  userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'drehbuch-shots-'));
  browser = await chromium.launch({
    executablePath,
    headless: true,
    timeout: 30_000,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--hide-scrollbars',
    ],
    env: { ...process.env, HOME: userDataDir },
  });
  for (const vp of VIEWPORTS) {
    const context = await browser.newContext({
      viewport: vp.viewport,
      isMobile: vp.isMobile,
      hasTouch: vp.hasTouch,
      deviceScaleFactor: 1, // keeps the PNGs small; 390 px is readable as is
      reducedMotion: 'reduce',
      colorScheme: 'light',
      locale: 'de-DE',
      serviceWorkers: 'block',
    });
    // Only the local server is reachable (the site must not need the network).
    await context.route(
      (url) => !url.href.startsWith(origin + '/') && !url.protocol.startsWith('data') && !url.protocol.startsWith('blob'),
      (route) => route.abort('blockedbyclient').catch(() => {}),
    );
    const page = await context.newPage();
    for (const shot of SHOTS) {
      if (shot.only && shot.only !== vp.name) continue;
      const file = path.join(outDir, `${shot.name}-${vp.name}.png`);
      const notes = [];
      const onError = (e) => notes.push(`script error: ${String(e.message).split('\n')[0]}`);
      const onResponse = (r) => {
        if (r.status() >= 400) notes.push(`HTTP ${r.status()} ${r.url().replace(origin, '')}`);
      };
      const onFailed = (r) => notes.push(`request failed: ${r.url().replace(origin, '').slice(0, 120)}`);
      page.on('pageerror', onError);
      page.on('response', onResponse);
      page.on('requestfailed', onFailed);
      try {
        const resp = await page.goto(origin + shot.path, { waitUntil: 'load', timeout: PAGE_TIMEOUT_MS });
        if (!resp || resp.status() >= 400) throw new Error(`HTTP ${resp ? resp.status() : 'no response'}`);
        await page.evaluate(() => document.fonts.ready);
        // `click`: a control to press first (only where it is visible, e.g.
        // the phone's menu button); `wait`: an element to wait for (search results).
        if (shot.click && (await page.locator(shot.click).first().isVisible())) await page.locator(shot.click).first().click();
        if (shot.wait) await page.waitForSelector(shot.wait, { timeout: PAGE_TIMEOUT_MS });
        const m = await page.evaluate(([from, to]) => {
          const height = Math.ceil(document.documentElement.scrollHeight);
          const first = from ? document.querySelector(from) : null;
          const all = to ? document.querySelectorAll(to) : [];
          const last = all.length ? all[all.length - 1] : null;
          const y = (el, edge) => el.getBoundingClientRect()[edge] + window.scrollY;
          return {
            height,
            scrollWidth: document.documentElement.scrollWidth,
            innerWidth: window.innerWidth,
            top: first ? Math.max(0, Math.floor(y(first, 'top') - 16)) : from ? -1 : 0,
            bottom: last ? Math.min(height, Math.ceil(y(last, 'bottom') + 16)) : to ? -1 : height,
          };
        }, [shot.from ?? null, shot.to ?? null]);
        if (m.top < 0) throw new Error(`element ${shot.from} not found`);
        if (m.bottom < 0) throw new Error(`element ${shot.to} not found`);
        if (m.scrollWidth > m.innerWidth) notes.push(`horizontal overflow: page is ${m.scrollWidth}px wide in a ${m.innerWidth}px viewport`);
        let height = Math.min(m.bottom - m.top, vp.maxHeight);
        let size;
        for (;;) {
          await page.screenshot({
            path: file,
            fullPage: true,
            clip: { x: 0, y: m.top, width: vp.viewport.width, height },
            animations: 'disabled',
            caret: 'hide',
          });
          size = fs.statSync(file).size;
          if (size <= MAX_BYTES || height <= MIN_HEIGHT) break;
          height = Math.max(MIN_HEIGHT, height - 100);
        }
        if (size > MAX_BYTES) notes.push(`PNG is ${(size / 1024).toFixed(0)} KB (> ${MAX_BYTES / 1024} KB)`);
        const range = `y ${m.top}-${m.top + height} of ${m.height}px`;
        console.log(`${path.relative(process.cwd(), file)}  ${shot.path}${shot.from ? ` ${shot.from}` : ''}  ${vp.viewport.width}x${height} (${range})  ${(size / 1024).toFixed(0)} KB`);
      } catch (e) {
        failures++;
        console.log(`${path.relative(process.cwd(), file)}  ${shot.path}  ERROR ${String(e.message).split('\n')[0]}`);
      } finally {
        page.off('pageerror', onError);
        page.off('response', onResponse);
        page.off('requestfailed', onFailed);
      }
      for (const n of new Set(notes)) {
        warnings++;
        console.log(`    warning: ${n}`);
      }
    }
    await context.close().catch(() => {});
  }
} catch (e) {
  console.error(`screenshots.mjs: ${e.message}`);
  await cleanup();
  process.exit(2);
}
await cleanup();
console.log(`screenshots: ${SHOTS.length * VIEWPORTS.length - failures} written to ${path.relative(process.cwd(), outDir) || '.'}, ${failures} failed, ${warnings} warnings`);
process.exit(failures ? 1 : 0);
