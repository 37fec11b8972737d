#!/usr/bin/env node
// What a reader on a phone sees, measured in Debian Chromium (playwright-core).
//
//   node scripts/validate/reader.mjs DIR [--lang de] [--all] [--cards]
//
// DIR is a site built with `--base-url http://localhost/` (the example site,
// or one made by `drehbuch init`). Checks, at 390x844 unless noted:
// - the header takes at most 20 % of the screen height (168 px) on every page;
// - the first content item (home: the first section tile; a card overview
//   or directory: the first card tile; search: the first result) starts
//   within the first screen (< 844 px from the top of the page);
// - the main navigation opens with one tap on the menu button, without
//   JavaScript too; search is one tap away; the language switcher is
//   reachable; at 1280x900 the navigation is shown without a tap;
// - nothing overflows sideways at 360 px;
// - layout shift is 0 (PerformanceObserver, `layout-shift`, buffered), on
//   every page with --all, else on the pages above;
// - after a search from the header field, focus is on the results heading,
//   the count is announced in words ("6 Ergebnisse für „Keller“") and the
//   page title names the query.
// Exit 0 when all hold, 1 when one fails, 2 on setup problems.
// Env: CHROMIUM (default /usr/bin/chromium).

import fs from 'node:fs';
import path from 'node:path';
import { serveDirectory } from './serve.mjs';

const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 };
const NARROW = { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 };
const DESKTOP = { viewport: { width: 1280, height: 900 } };

const argv = process.argv.slice(2);
const all = argv.includes('--all');
const langAt = argv.indexOf('--lang');
const lang = langAt >= 0 ? argv[langAt + 1] : null;
const positional = argv.filter((a, i) => !a.startsWith('--') && (langAt < 0 || i !== langAt + 1));
const known = ['--all', '--lang', '--cards'];
for (const a of argv) if (a.startsWith('--') && !known.includes(a)) { console.error(`reader.mjs: unknown option ${a}`); process.exit(2); }
if (positional.length !== 1) {
  console.error('usage: node reader.mjs DIR [--lang CODE] [--all] [--cards]');
  process.exit(2);
}
const root = path.resolve(positional[0]);
if (!fs.existsSync(path.join(root, 'index.html'))) {
  console.error(`reader.mjs: no index.html in ${root}`);
  process.exit(2);
}
let chromium;
try {
  ({ chromium } = await import('playwright-core'));
} catch {
  console.error('reader.mjs: npm packages missing; run scripts/install-validators.sh');
  process.exit(2);
}

/** Every index.html under DIR as a URL path. */
function indexPages(dir) {
  const out = [];
  const walk = (d) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory() && e.name !== 'pagefind') walk(p);
      else if (e.isFile() && e.name === 'index.html') {
        const rel = path.relative(dir, path.dirname(p)).split(path.sep).filter(Boolean);
        out.push('/' + rel.map(encodeURIComponent).join('/') + (rel.length ? '/' : ''));
      }
    }
  };
  walk(dir);
  return out.sort();
}

// The language's pages: home, its search page (from the header form), and
// its card overviews (sections whose listing has card tiles).
const code = lang || fs.readdirSync(root).find((d) => fs.existsSync(path.join(root, d, 'index.html')) && /^[a-z]{2,3}(-[A-Za-z0-9]+)*$/.test(d));
const home = fs.existsSync(path.join(root, code ?? '', 'index.html')) && code ? `/${code}/` : '/';
const pages = indexPages(root);
const overviews = pages.filter((p) => {
  if (!p.startsWith(home) || p.split('/').length !== home.split('/').length + 1) return false;
  const html = fs.readFileSync(path.join(root, decodeURIComponent(p), 'index.html'), 'utf8');
  return html.includes('class="card-tile');
});

let failures = 0;
function check(ok, what) {
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}`);
  if (!ok) failures += 1;
}

const { server, origin } = await serveDirectory(root);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
});

/** Sum of layout shifts (without recent input) after load and a pause. */
async function layoutShift(tab) {
  await tab.waitForTimeout(700);
  return tab.evaluate(() => new Promise((resolve) => {
    let sum = 0;
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) if (!e.hadRecentInput) sum += e.value;
    }).observe({ type: 'layout-shift', buffered: true });
    setTimeout(() => resolve(sum), 100);
  }));
}

/** Top of the first element matching `selector`, from the top of the page. */
function topOf(tab, selector) {
  return tab.evaluate((s) => {
    const e = document.querySelector(s);
    return e ? e.getBoundingClientRect().top + window.scrollY : null;
  }, selector);
}

try {
  const phone = await browser.newContext(PHONE);
  // Scripts arrive late, as on a slow phone network, so that whatever they
  // move after the first paint counts as a layout shift.
  await phone.route('**/*.js', (route) => setTimeout(() => route.continue().catch(() => {}), 300));
  const tab = await phone.newPage();
  tab.setDefaultTimeout(5_000);
  const errors = [];
  tab.on('pageerror', (e) => errors.push(String(e.message)));

  // The search page of this language: where the header form goes.
  await tab.goto(origin + home, { waitUntil: 'load' });
  const searchPath = await tab.evaluate(() => {
    const f = document.querySelector('.site-header form[role=search]');
    return f ? new URL(f.action).pathname : null;
  });
  check(searchPath !== null, `the header of ${home} has a search form (${searchPath})`);

  const firsts = [[home, '.home-sections .tile, .listing > li']];
  for (const o of overviews) firsts.push([o, '.card-tile']);
  if (searchPath) firsts.push([`${searchPath}?q=${encodeURIComponent(process.env.READER_QUERY || 'Keller')}`, '.search-results > li']);
  if (argv.includes('--cards')) check(overviews.length > 0, `card overviews of ${home} found (${overviews.join(', ')})`);

  for (const [p, selector] of firsts) {
    await tab.goto(origin + p, { waitUntil: 'load' });
    if (selector.startsWith('.search-results')) {
      await tab.waitForSelector(selector, { timeout: 20_000 }).catch(() => {});
    }
    const header = await tab.evaluate(() => document.querySelector('.site-header')?.getBoundingClientRect().height ?? 0);
    check(header > 0 && header <= 844 * 0.2, `${p}: header ${Math.round(header)} px of 844 (at most 168)`);
    const top = await topOf(tab, selector);
    check(top !== null && top < 844, `${p}: first content item (${selector}) at ${top === null ? 'none' : Math.round(top)} px (< 844)`);
    const shift = await layoutShift(tab);
    check(shift === 0, `${p}: layout shift ${shift.toFixed(4)} (0)`);
  }

  // One colour per value: a group's tiles wear the colour the charts on
  // the page give the same value (legend swatch beside its label).
  for (const o of overviews) {
    await tab.goto(origin + o, { waitUntil: 'load' });
    const pairs = await tab.evaluate(() => {
      const rgb = (c) => { const e = document.createElement('i'); e.style.color = c; document.body.append(e); const v = getComputedStyle(e).color; e.remove(); return v; };
      const out = [];
      for (const h of document.querySelectorAll('.card-group > h2')) {
        const tile = h.parentElement.querySelector('.card-tile');
        const label = h.textContent.trim();
        for (const t of document.querySelectorAll('figure svg text')) {
          const swatch = t.previousElementSibling;
          if (t.textContent.trim() === label && swatch?.tagName === 'rect') {
            out.push({ label, chart: rgb(getComputedStyle(swatch).fill), tile: getComputedStyle(tile).borderTopColor });
          }
        }
      }
      return out;
    });
    if (pairs.length) {
      const differ = pairs.filter((p) => p.chart !== p.tile);
      check(differ.length === 0, `${o}: each value has the chart's colour on its tiles (${differ.map((p) => `${p.label}: chart ${p.chart}, tiles ${p.tile}`).join('; ')})`);
    }
  }

  // The menu: one tap opens the navigation; the language switcher is in
  // reach; search is one tap away.
  for (const js of [true, false]) {
    const context = js ? phone : await browser.newContext({ ...PHONE, javaScriptEnabled: false });
    const t = js ? tab : await context.newPage();
    t.setDefaultTimeout(5_000);
    await t.goto(origin + home, { waitUntil: 'load' });
    const navLinks = '.site-header .main-nav a';
    const hiddenBefore = !(await t.locator(navLinks).first().isVisible());
    await t.locator('.site-header .menu-button').first().click();
    const shownAfter = await t.locator(navLinks).first().isVisible();
    check(hiddenBefore && shownAfter, `phone${js ? '' : ' without JavaScript'}: the menu button opens the navigation`);
    const switcher = await t.locator('.site-header .language-switcher a').count();
    const switcherVisible = switcher === 0 || (await t.locator('.site-header .language-switcher a').first().isVisible());
    check(switcherVisible, `phone${js ? '' : ' without JavaScript'}: the language switcher is reachable with the menu open`);
    await t.goto(origin + home, { waitUntil: 'load' });
    const searchTap = t.locator('.site-header .search-link');
    const direct = (await searchTap.count()) > 0 && (await searchTap.first().isVisible());
    check(direct, `phone${js ? '' : ' without JavaScript'}: search is one tap away in the header`);
    if (!js) await context.close();
  }

  // Desktop: the full header, navigation shown.
  const desk = await browser.newContext(DESKTOP);
  const d = await desk.newPage();
  await d.goto(origin + home, { waitUntil: 'load' });
  check(await d.locator('.site-header .main-nav a').first().isVisible(), 'desktop: the navigation is shown without a tap');
  check(await d.locator('.site-header input[type=search]').first().isVisible(), 'desktop: the search field is in the header');
  const deskShift = await layoutShift(d);
  check(deskShift === 0, `desktop ${home}: layout shift ${deskShift.toFixed(4)} (0)`);

  // A search from the header: focus on the results heading, the count in words, the title.
  if (searchPath) {
    await d.fill('.site-header input[type=search]', process.env.READER_QUERY || 'Keller');
    await d.keyboard.press('Enter');
    await d.waitForSelector('.search-results > li', { timeout: 20_000 }).catch(() => {});
    await d.waitForTimeout(300);
    const focus = await d.evaluate(() => {
      const a = document.activeElement;
      return { tag: a?.tagName, id: a?.id, text: a?.textContent?.trim().slice(0, 60) };
    });
    check(/^H[1-3]$/.test(focus.tag ?? '') && focus.id === 'search-results-title', `after a search, focus is on the results heading (${focus.tag}#${focus.id}: ${focus.text})`);
    const count = await d.locator('.search-results > li').count();
    const status = (await d.locator('[data-search-status]').textContent())?.trim() ?? '';
    // The count in digits (Latin or Arabic-Indic), or spelled out as the
    // language's one/two forms are ("نتيجة واحدة لـ «…»"): then it is the
    // sample count of the page's form that reads the same.
    const query = process.env.READER_QUERY || 'Keller';
    const digits = status.replace(/[\u0660-\u0669]/g, (c) => String(c.charCodeAt(0) - 0x660)).match(/\d+/);
    const forms = (await d.$eval('[data-search-ui]', (ui) => ui.dataset.found ?? '')).split('|').map((entry) => {
      const at = entry.indexOf('=');
      return { n: Number(entry.slice(0, at)), text: entry.slice(at + 1).replace('{query}', query) };
    });
    const spelled = forms.find((f) => f.text === status && !/\d/.test(f.text));
    const total = digits ? Number(digits[0]) : spelled ? spelled.n : NaN;
    check(count > 0 && total >= count && status.includes(process.env.READER_QUERY || 'Keller') && !/\d+\s*\/\s*\d+/.test(status), `the count is announced in words with the query ("${status}", ${count} results shown)`);
    const title = await d.title();
    check(title.includes(process.env.READER_QUERY || 'Keller'), `the page title names the query ("${title}")`);
    const titles = await d.$$eval('.search-results > li', (items) => items.map((li) => {
      const h = li.querySelector('h2, h3')?.textContent?.trim() ?? '';
      const p = li.querySelector('p')?.textContent?.trim() ?? '';
      return { h, repeated: h.length > 8 && p.startsWith(h) };
    }));
    check(titles.every((t) => !t.repeated), `no excerpt repeats its result's title (${titles.filter((t) => t.repeated).map((t) => t.h).join('; ')})`);
  }
  await desk.close();

  // Sideways overflow at 360 px and layout shift on every page (--all), or
  // the measured ones.
  const narrow = await browser.newContext(NARROW);
  await narrow.route('**/*.js', (route) => setTimeout(() => route.continue().catch(() => {}), 300));
  const n = await narrow.newPage();
  const list = all ? pages : firsts.map(([p]) => p);
  let wide = [];
  let shifting = [];
  for (const p of list) {
    await n.goto(origin + p, { waitUntil: 'load' });
    const width = await n.evaluate(() => document.documentElement.scrollWidth);
    if (width > 360) wide.push(`${p} (${width} px)`);
    if (all) {
      const shift = await layoutShift(n);
      if (shift > 0) shifting.push(`${p} (${shift.toFixed(4)})`);
    }
  }
  check(wide.length === 0, `no sideways overflow at 360 px on ${list.length} pages (${wide.slice(0, 5).join(', ')})`);
  if (all) check(shifting.length === 0, `layout shift 0 at 360 px on ${list.length} pages (${shifting.slice(0, 5).join(', ')})`);
  check(errors.length === 0, `no script errors (${errors.slice(0, 3).join('; ')})`);
} catch (e) {
  console.error(`reader.mjs: ${e.stack}`);
  failures += 1;
} finally {
  await browser.close().catch(() => {});
  server.closeAllConnections?.();
  server.close();
}
console.log(`reader: ${failures} failure(s)`);
process.exit(failures ? 1 : 0);
