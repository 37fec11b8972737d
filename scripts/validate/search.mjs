#!/usr/bin/env node
// Search in a real browser: runs the Pagefind index that `drehbuch build`
// wrote, through the theme's search page, in Debian Chromium (playwright-core).
//
//   node scripts/validate/search.mjs DIR [RELATIVE_DIR]
//
// DIR is the example site built with `--base-url http://localhost/`;
// RELATIVE_DIR, if given, the same site built with `--relative`. Checks:
// `Keller` on the German search page finds the basement card; `basement`
// on the English one finds the English card; a Romanian query without
// diacritics finds Romanian pages only; German compounds and hyphenated
// words are found by their first part; a category filter narrows results;
// the filters sit in a collapsed panel and offer only values the results
// hold; the header field leads to the search page; on a site whose index is
// split into shards, every German shard is loaded; without JavaScript, and
// opened from file:// (RELATIVE_DIR), a note replaces the field. Exit 0 when all hold, 1 when
// one fails, 2 on setup problems.
// Env: CHROMIUM (default /usr/bin/chromium).

import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { serveDirectory } from './serve.mjs';

const require = createRequire(import.meta.url);

const argv = process.argv.slice(2);
if (argv.length < 1 || argv.length > 2) {
  console.error('usage: node search.mjs DIR [RELATIVE_DIR]');
  process.exit(2);
}
const root = path.resolve(argv[0]);
const relativeRoot = argv[1] ? path.resolve(argv[1]) : null;
let chromium;
try {
  ({ chromium } = await import('playwright-core'));
} catch {
  console.error('search.mjs: npm packages missing; run scripts/install-validators.sh');
  process.exit(2);
}
const executablePath = process.env.CHROMIUM || '/usr/bin/chromium';
const { server, origin } = await serveDirectory(root);
const browser = await chromium.launch({
  executablePath,
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
});
const context = await browser.newContext();
const page = await context.newPage();
const outside = [];
const requested = [];
page.on('request', (request) => {
  const url = request.url();
  requested.push(url);
  if (!url.startsWith(origin) && !url.startsWith('data:') && !url.startsWith('file:')) outside.push(url);
});
const scriptErrors = [];
page.on('pageerror', (e) => scriptErrors.push(String(e.message)));

let failures = 0;
function check(ok, what) {
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}`);
  if (!ok) failures += 1;
}

/** The result links after the status line has settled. */
async function results() {
  await page.waitForFunction(() => {
    const ui = document.querySelector('[data-search-ui]');
    const status = document.querySelector('[data-search-status]')?.textContent ?? '';
    const error = document.querySelector('[data-search-error]');
    return (error && !error.hidden) || (status !== '' && status !== ui.dataset.loading);
  }, null, { timeout: 20_000 });
  await page.waitForTimeout(100);
  return page.$$eval('[data-search-results] a', (links) => links.map((a) => new URL(a.href).pathname));
}

async function search(searchPage, query) {
  await page.goto(`${origin}${searchPage}?q=${encodeURIComponent(query)}`, { waitUntil: 'load' });
  return results();
}

try {
  const de = await search('/de/suche/', 'Keller');
  check(de.includes('/de/formate/keller-reformieren/'), `Keller on /de/ finds the basement card (${de.slice(0, 3).join(', ')})`);
  check(de.every((u) => u.startsWith('/de/')), 'German results are German pages');
  // A language split into shards: the search page merges all of them.
  const manifest = JSON.parse(fs.readFileSync(path.join(root, 'pagefind/shards.json'), 'utf8'));
  const deShards = manifest.languages.de.shards.length;
  if (deShards > 1) {
    const merged = new Set(
      requested.map((u) => (u.match(/\/pagefind\/de\/(\d+)\/pagefind\.de_[^/]*\.pf_meta/) || [])[1]).filter(Boolean),
    );
    check(merged.size === deShards, `all ${deShards} German shards are searched (${merged.size} loaded)`);
  }

  const en = await search('/en/search/', 'basement');
  check(en.includes('/en/cards/reform-your-basement/'), `basement on /en/ finds the English card (${en.slice(0, 3).join(', ')})`);
  check(en.every((u) => u.startsWith('/en/')), 'English results are English pages');

  const ro = await search('/ro/cautare/', 'caldura');
  check(ro.length > 0 && ro.every((u) => u.startsWith('/ro/')), `caldura (no diacritics) on /ro/ finds Romanian pages only (${ro.length}: ${ro.slice(0, 3).join(', ')})`);

  const compound = await search('/de/suche/', 'Starkregen');
  check(compound.includes('/de/formate/aktionstag-starkregen/'), 'Starkregen finds the heavy-rain card (and compounds that start with it)');
  const hyphen = await search('/de/suche/', 'Hitze');
  check(hyphen.includes('/de/formate/hitze-check-schule/'), 'Hitze finds the Hitze-Check card');

  // Chapter results are titled by the chapter's title, not "Kapitel 11 Buchkapitel 11 – …".
  await search('/de/suche/', 'Buchkapitel');
  const chapterTitles = await page.$$eval('[data-search-results] li', (items) => items.map((li) => li.querySelector('h2, h3').textContent.trim()));
  check(chapterTitles.length > 0 && chapterTitles.every((t) => !/^Kapitel \d+/.test(t)), `chapter results are titled without their number label (${chapterTitles.slice(0, 2).join(' | ')})`);

  // A category filter narrows a broad search.
  const broad = await search('/en/search/', 'water');
  const boxes = await page.$$eval('[data-search-filters] input', (inputs) => inputs.map((i) => `${i.name}=${i.value}`));
  check(boxes.some((b) => b.startsWith('Category=')), `the Category filter is offered (${boxes.length} values)`);
  const rain = boxes.find((b) => b.startsWith('Category=') && /rain/i.test(b));
  if (rain) {
    const [, value] = rain.split('=');
    check(!(await page.locator('[data-search-filter-panel]').evaluate((d) => d.open)), 'the filter panel starts collapsed, results first');
    const counts = await page.$$eval('[data-search-filters] label', (labels) => labels.map((l) => Number((l.textContent.match(/\((\d+)\)$/) || [])[1])));
    check(counts.length > 0 && counts.every((n) => n > 0), `only values the results hold are offered, with their counts (${counts.join(' ')})`);
    await page.click('[data-search-filter-panel] > summary');
    await page.check(`[data-search-filters] input[name="Category"][value="${value}"]`);
    const narrowed = await results();
    check(narrowed.length > 0 && narrowed.length < broad.length, `the ${value} filter narrows ${broad.length} results to ${narrowed.length}`);
    check(page.url().includes('f%3ACategory='), 'the filter is kept in the address');
  } else {
    check(false, 'a Category value about rain exists');
  }

  // axe on the search page with results and filters shown.
  await page.addScriptTag({ path: require.resolve('axe-core/axe.min.js') });
  const violations = await page.evaluate(async () => {
    const r = await window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
    return r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id);
  });
  check(violations.length === 0, `axe: no serious or critical findings with results shown (${violations.join(', ')})`);

  // The header field leads to the search page with the query.
  await page.goto(`${origin}/en/cards/`, { waitUntil: 'load' });
  await page.fill('#site-search-q', 'basement');
  await page.keyboard.press('Enter');
  await page.waitForURL(/\/en\/search\/\?q=basement/, { timeout: 10_000 });
  const viaHeader = await results();
  check(viaHeader.includes('/en/cards/reform-your-basement/'), 'the header search field leads to results');

  // Without JavaScript the field is replaced by a note.
  const noScript = await browser.newContext({ javaScriptEnabled: false });
  const plain = await noScript.newPage();
  await plain.goto(`${origin}/en/cards/`, { waitUntil: 'load' });
  check(await plain.isHidden('#site-search-q'), 'without JavaScript no search field is shown');
  check(await plain.locator('.site-header .search-note', { hasText: 'Search needs JavaScript' }).isVisible(), 'without JavaScript a note in the header says why');
  await plain.goto(`${origin}/en/search/`, { waitUntil: 'load' });
  check(await plain.locator('.search-page .notice', { hasText: 'Search needs JavaScript' }).isVisible(), 'without JavaScript the search page says why');
  await noScript.close();

  if (relativeRoot) {
    const file = `file://${path.join(relativeRoot, 'en/search/index.html')}`;
    await page.goto(file, { waitUntil: 'load' });
    check(await page.isHidden('[data-search-page-form]'), 'from file:// the search form stays hidden');
    check(await page.isVisible('.search-page [data-search-file]'), 'from file:// a note says the search needs a web server');
    await page.goto(`file://${path.join(relativeRoot, 'en/index.html')}`, { waitUntil: 'load' });
    check(await page.isHidden('#site-search-q'), 'from file:// the header field is hidden');
    check(await page.isVisible('.site-header [data-search-file]'), 'from file:// the header shows the note instead');
  }

  check(outside.length === 0, `no request leaves the site (${outside.slice(0, 3).join(', ')})`);
  check(scriptErrors.length === 0, `no script errors (${scriptErrors.slice(0, 3).join('; ')})`);
} catch (e) {
  console.error(`search.mjs: ${e.message}`);
  failures += 1;
} finally {
  await browser.close().catch(() => {});
  server.closeAllConnections?.();
  server.close();
}
console.log(`search: ${failures} failure(s)`);
process.exit(failures ? 1 : 0);
