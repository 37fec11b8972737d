#!/usr/bin/env node
// Charts on phones and in dark mode, measured in headless Chromium (playwright-core).
//
//   node scripts/validate/charts.mjs DIR PATH...   e.g. node charts.mjs public /de/formate/temperatur-sensoren/
//
// Serves DIR on 127.0.0.1 and opens each path at 360x800 (a small phone), light
// and dark (`prefers-color-scheme`). Every page must hold a chart. Checks:
// - no page scrolls sideways, every chart figure fits the viewport, and a
//   bar chart of field values (`drehbuch-chart-counts`) fits without scrolling;
// - every chart's text renders at 8.5 px or more (the drawing is scaled);
// - a chart wider than its column scrolls in a focusable region
//   (tabindex=0) with an accessible name and a visible cue (the edge shadow,
//   a background gradient);
// - a series of years (`drehbuch-chart-by-year`) shows its last year on load;
// - the caption of every chart's data table is not clipped;
// - dark mode: no white panel (a rect filled white over a quarter of the
//   drawing), and every chart text has 4.5:1 contrast to the page background.
// Prints each failure and ends with `charts: N pages, N charts, N failures`.
// Exit: 0 clean, 1 failures or a page without charts, 2 usage/setup.
// Env: CHROMIUM (default /usr/bin/chromium).

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { serveDirectory } from './serve.mjs';

function usage(msg) {
  if (msg) console.error(`charts.mjs: ${msg}`);
  console.error('usage: node charts.mjs DIR PATH...');
  process.exit(2);
}

const argv = process.argv.slice(2);
if (argv.includes('-h') || argv.includes('--help')) {
  console.log(fs.readFileSync(fileURLToPath(import.meta.url), 'utf8').split('\n').slice(1, 18).map((l) => l.replace(/^\/\/ ?/, '')).join('\n'));
  process.exit(0);
}
if (argv.length < 2) usage();
const root = path.resolve(argv[0]);
if (!fs.existsSync(root) || !fs.statSync(root).isDirectory()) usage(`not a directory: ${argv[0]}`);
const pages = argv.slice(1);

let chromium;
try {
  ({ chromium } = await import('playwright-core'));
} catch {
  console.error('charts.mjs: playwright-core is not installed; run scripts/install-validators.sh');
  process.exit(2);
}

/** Runs in the page: every problem of its charts, as strings. */
function measure(dark) {
  const problems = [];
  const rgb = (s) => (s.match(/[\d.]+/g) || []).map(Number);
  const lum = ([r, g, b]) => {
    const c = [r, g, b].map((v) => {
      v /= 255;
      return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
  };
  const contrast = (a, b) => {
    const [l1, l2] = [lum(a), lum(b)].sort((x, y) => y - x);
    return (l1 + 0.05) / (l2 + 0.05);
  };
  // The colour behind an element: the first ancestor with an opaque background.
  const backdrop = (el) => {
    for (let e = el; e; e = e.parentElement) {
      const c = rgb(getComputedStyle(e).backgroundColor);
      if (c.length >= 3 && (c.length < 4 || c[3] > 0.5)) return c.slice(0, 3);
    }
    return [255, 255, 255];
  };
  const doc = document.documentElement;
  if (doc.scrollWidth > window.innerWidth + 1) {
    problems.push(`the page scrolls sideways: ${doc.scrollWidth} px in a ${window.innerWidth} px viewport`);
  }
  const figures = [...document.querySelectorAll('figure.drehbuch-chart')];
  for (const fig of figures) {
    const name = fig.id || fig.className;
    const box = fig.getBoundingClientRect();
    if (box.right > window.innerWidth + 1) problems.push(`${name}: the figure ends at ${Math.round(box.right)} px, past the viewport`);
    const svg = fig.querySelector('svg');
    const region = fig.querySelector('.chart-scroll');
    if (!svg || !region) {
      problems.push(`${name}: no drawing in a scroll region`);
      continue;
    }
    const view = svg.viewBox.baseVal;
    const scale = svg.getBoundingClientRect().width / view.width;
    const smallest = Math.min(...[...svg.querySelectorAll('text')].map((t) => parseFloat(getComputedStyle(t).fontSize) * scale));
    if (smallest < 8.5) problems.push(`${name}: text renders at ${smallest.toFixed(1)} px (drawing scaled by ${scale.toFixed(2)})`);
    // A bar chart of field values has a compact drawing that fits a phone.
    if (fig.classList.contains('drehbuch-chart-counts') && region.scrollWidth > region.clientWidth + 1) {
      problems.push(`${name}: a bar chart of field values scrolls (${region.scrollWidth} px in ${region.clientWidth} px)`);
    }
    if (region.scrollWidth > region.clientWidth + 1) {
      if (region.getAttribute('tabindex') !== '0') problems.push(`${name}: scrolls, but its region is not focusable`);
      const label = (region.getAttribute('aria-labelledby') || '')
        .split(/\s+/)
        .map((id) => document.getElementById(id)?.textContent || '')
        .join(' ')
        .trim();
      if (!label) problems.push(`${name}: scrolls, but its region has no accessible name`);
      if (!getComputedStyle(region).backgroundImage.includes('gradient')) problems.push(`${name}: scrolls without a visible cue`);
    }
    // The data table: its caption is read whole, however wide the table.
    const details = fig.querySelector('details');
    if (details) details.open = true;
    const table = fig.querySelector('table');
    const caption = table?.querySelector('caption');
    if (caption) {
      const shown = table.getBoundingClientRect();
      const right = Math.min(shown.right, window.innerWidth);
      const words = caption.getBoundingClientRect();
      if (words.right > right + 1 || words.left < shown.left - 1) {
        problems.push(`${name}: the table's caption is clipped (${Math.round(words.left)}–${Math.round(words.right)} px, shown ${Math.round(shown.left)}–${Math.round(right)} px)`);
      }
    }
    if (details) details.open = false;
    if (fig.classList.contains('drehbuch-chart-by-year')) {
      const years = [...svg.querySelectorAll('text')].filter((t) => /^\d{4}$/.test(t.textContent.trim()));
      const last = years.sort((a, b) => Number(a.textContent) - Number(b.textContent)).pop();
      const shown = region.getBoundingClientRect();
      const at = last?.getBoundingClientRect();
      if (!at || at.right > shown.right + 1 || at.left < shown.left - 1) {
        problems.push(`${name}: its last year (${last?.textContent}) is not in view on load`);
      }
    }
    if (dark) {
      const area = view.width * view.height;
      for (const r of svg.querySelectorAll('rect')) {
        const fill = rgb(getComputedStyle(r).fill);
        const w = r.width.baseVal.value || view.width;
        const h = r.height.baseVal.value || view.height;
        if (fill.length >= 3 && fill.slice(0, 3).every((v) => v > 240) && w * h > area / 4) {
          problems.push(`${name}: a white panel in dark mode`);
        }
      }
      const behind = backdrop(svg);
      for (const t of svg.querySelectorAll('text')) {
        const style = getComputedStyle(t);
        const c = rgb(style.fill);
        if (c.length < 3) continue;
        const alpha = parseFloat(style.fillOpacity) * parseFloat(style.opacity) * (c.length > 3 ? c[3] : 1);
        const seen = c.slice(0, 3).map((v, i) => v * alpha + behind[i] * (1 - alpha));
        const ratio = contrast(seen, behind);
        if (ratio < 4.5) {
          problems.push(`${name}: "${t.textContent.slice(0, 30)}" has ${ratio.toFixed(1)}:1 contrast in dark mode`);
          break;
        }
      }
    }
  }
  return { charts: figures.length, problems };
}

const { server, origin } = await serveDirectory(root);
const home = fs.mkdtempSync(path.join(os.tmpdir(), 'drehbuch-charts-'));
let browser;
let failures = 0;
let charts = 0;
try {
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-dev-shm-usage'],
    env: { ...process.env, HOME: home },
  });
  for (const scheme of ['light', 'dark']) {
    const context = await browser.newContext({
      viewport: { width: 360, height: 800 },
      isMobile: true,
      hasTouch: true,
      colorScheme: scheme,
    });
    const tab = await context.newPage();
    for (const p of pages) {
      const resp = await tab.goto(origin + p, { waitUntil: 'load', timeout: 20_000 });
      if (!resp || !resp.ok()) {
        console.log(`${p} (${scheme}): failed to load (${resp?.status()})`);
        failures++;
        continue;
      }
      const result = await tab.evaluate(measure, scheme === 'dark');
      if (result.charts === 0) {
        console.log(`${p} (${scheme}): no chart on the page`);
        failures++;
      }
      if (scheme === 'light') charts += result.charts;
      for (const problem of result.problems) {
        console.log(`${p} (${scheme}): ${problem}`);
        failures++;
      }
    }
    await context.close();
  }
} finally {
  await browser?.close();
  server.close();
  fs.rmSync(home, { recursive: true, force: true });
}
console.log(`charts: ${pages.length} pages, ${charts} charts, ${failures} failures`);
process.exit(failures ? 1 : 0);
