#!/usr/bin/env node
// Paper: prints pages of a built site with Chromium (page.pdf, A4, the
// print stylesheet) and reads the PDFs with poppler-utils (pdfinfo, pdftotext).
//
//   node scripts/validate/print.mjs DIR
//
// DIR is the example site built with `--base-url http://localhost/`. Checks:
// - every card page prints on at most
//   4 A4 pages, without the site's header, navigation or footer;
// - links on a printed page are noted with absolute URLs, never "(/de/…)";
// - every print document (…/print/…) numbers its pages in its language
//   ("Seite 1 von 36", "Page 1 of 40"), has a running head, and at most one
//   nearly empty page (fewer than 3 lines).
// Exit 0 when all hold, 1 when one fails, 2 on setup problems.
// Env: CHROMIUM (default /usr/bin/chromium).

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { serveDirectory } from './serve.mjs';

const argv = process.argv.slice(2);
if (argv.length !== 1) {
  console.error('usage: node print.mjs DIR');
  process.exit(2);
}
const root = path.resolve(argv[0]);
for (const tool of ['pdfinfo', 'pdftotext']) {
  try {
    execFileSync(tool, ['-v'], { stdio: 'ignore' });
  } catch (e) {
    if (e.code === 'ENOENT') {
      console.error(`print.mjs: ${tool} missing; install poppler-utils`);
      process.exit(2);
    }
  }
}
let chromium;
try {
  ({ chromium } = await import('playwright-core'));
} catch {
  console.error('print.mjs: npm packages missing; run scripts/install-validators.sh');
  process.exit(2);
}

function pages(dir, keep) {
  const out = [];
  const walk = (d) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory() && e.name !== 'pagefind') walk(p);
      else if (e.isFile() && e.name === 'index.html' && keep(fs.readFileSync(p, 'utf8'))) {
        const rel = path.relative(dir, path.dirname(p)).split(path.sep).filter(Boolean);
        out.push('/' + rel.map(encodeURIComponent).join('/') + '/');
      }
    }
  };
  walk(dir);
  return out.sort();
}
const cards = pages(root, (html) => html.includes('<article class="page card'));
const editions = pages(root, (html) => html.includes('class="kind-print'));

let failures = 0;
function check(ok, what) {
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}`);
  if (!ok) failures += 1;
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'drehbuch-print-'));
const { server, origin } = await serveDirectory(root);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
});

/** Prints `p` to a PDF; returns { pages, text }. */
async function print(tab, p) {
  await tab.goto(origin + p, { waitUntil: 'load' });
  await tab.emulateMedia({ media: 'print' });
  const file = path.join(tmp, 'page.pdf');
  // No browser headers and footers: the page's own @page rules decide.
  await tab.pdf({ path: file, format: 'A4', preferCSSPageSize: true, displayHeaderFooter: false });
  const info = execFileSync('pdfinfo', [file], { encoding: 'utf8' });
  const count = Number((info.match(/^Pages:\s+(\d+)/m) || [])[1]);
  const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
  return { pages: count, text };
}

try {
  const tab = await (await browser.newContext()).newPage();
  check(cards.length > 0, `card pages found (${cards.length})`);
  const long = [];
  const chrome = [];
  const relative = [];
  for (const p of cards) {
    const { pages: n, text } = await print(tab, p);
    if (!(n >= 1 && n <= 4)) long.push(`${p} (${n})`);
    const nav = await tab.evaluate(() => [...document.querySelectorAll('.site-header, .site-footer, .breadcrumbs, .pager')]
      .map((e) => e.textContent.replace(/\s+/g, ' ').trim()).filter((t) => t.length > 12));
    if (nav.some((t) => text.replace(/\s+/g, ' ').includes(t.slice(0, 40)))) chrome.push(p);
    if (/\(\/[a-z]{2}\//.test(text)) relative.push(p);
  }
  check(long.length === 0, `every card prints on 1 to 4 A4 pages (${long.join(', ')})`);
  check(chrome.length === 0, `cards print without header, navigation and footer (${chrome.slice(0, 3).join(', ')})`);
  check(relative.length === 0, `printed links are absolute URLs, never "(/de/…)" (${relative.slice(0, 3).join(', ')})`);

  // A page with internal links prints them with the site's address.
  const withLinks = cards.find((p) => fs.readFileSync(path.join(root, decodeURIComponent(p), 'index.html'), 'utf8').match(/<div class="prose">[\s\S]*href="\/[a-z]/));
  if (withLinks) {
    const { text } = await print(tab, withLinks);
    const site = await tab.evaluate(() => new URL(document.querySelector('link[rel=canonical]').href).origin);
    check(text.includes(`(${site}/`), `${withLinks}: an internal link is noted with the site's address (${site}/…)`);
  }

  check(editions.length > 0, `print documents found (${editions.join(', ')})`);
  for (const p of editions) {
    const { pages: n, text } = await print(tab, p);
    const lang = await tab.evaluate(() => document.documentElement.lang);
    const numbers = { de: `Seite 1 von ${n}`, en: `Page 1 of ${n}`, ro: `Pagina 1 din ${n}` }[lang];
    check(!numbers || text.includes(numbers), `${p}: ${n} pages, numbered in ${lang} ("${numbers}")`);
    const title = await tab.evaluate(() => document.querySelector('[data-running-head]')?.getAttribute('data-running-head') ?? '');
    const heads = text.split('\f').filter((page) => title && page.includes(title.slice(0, 30))).length;
    check(title !== '' && heads >= n - 1, `${p}: a running head ("${title.slice(0, 40)}…") on ${heads} of ${n} pages`);
    // Nearly empty pages: fewer than 3 lines besides the running head and
    // the page number. One per document is tolerated (a card's last lines
    // can always spill); more mean the print stylesheet wastes paper.
    const sparse = text.split('\f').slice(0, n).map((page, i) => [i + 1, page.split('\n')
      .filter((l) => l.trim() && !l.includes(title.slice(0, 30)) && !/\d+\s+(von|of|din|\/)\s+\d+\s*$/.test(l.trim())).length])
      .filter(([, lines]) => lines < 3);
    check(sparse.length <= 1, `${p}: at most one nearly empty page (${sparse.map(([i, l]) => `p. ${i}: ${l} lines`).join(', ')})`);
  }
} catch (e) {
  console.error(`print.mjs: ${e.stack}`);
  failures += 1;
} finally {
  await browser.close().catch(() => {});
  server.closeAllConnections?.();
  server.close();
  fs.rmSync(tmp, { recursive: true, force: true });
}
console.log(`print: ${failures} failure(s)`);
process.exit(failures ? 1 : 0);
