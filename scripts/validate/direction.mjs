#!/usr/bin/env node
// Writing direction in a built site: for every page of a right-to-left
// language (LANG, default `ar`), `<html>` carries `lang="LANG" dir="rtl"`,
// and every element inside marked with a left-to-right language (`lang="en"`
// and the like: the English stand-in text, language names) carries
// `dir="ltr"`; on every other page, each element marked with LANG carries
// `dir="rtl"`. Reads the HTML as text; no browser needed.
//
//   node scripts/validate/direction.mjs DIR [--lang ar]
//
// Exit 0 when all hold, 1 when one fails, 2 on setup problems.

import fs from 'node:fs';
import path from 'node:path';

const argv = process.argv.slice(2);
const langAt = argv.indexOf('--lang');
const rtl = langAt >= 0 ? argv[langAt + 1] : 'ar';
const positional = argv.filter((a, i) => !a.startsWith('--') && (langAt < 0 || i !== langAt + 1));
if (positional.length !== 1 || !fs.existsSync(positional[0])) {
  console.error('usage: node direction.mjs DIR [--lang ar]');
  process.exit(2);
}
const root = path.resolve(positional[0]);
// Right-to-left languages (CLDR scripts Arab, Hebr, Thaa, Syrc, Nkoo, Adlm).
const RTL = new Set(['ar', 'he', 'fa', 'ur', 'ps', 'sd', 'ug', 'yi', 'dv', 'ckb', 'syr']);
const isRtl = (lang) => RTL.has(lang.toLowerCase().split('-')[0]);

function* pages(dir) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* pages(p);
    else if (entry.name.endsWith('.html')) yield p;
  }
}

/** The attributes of a start tag's text, by name. */
function attributes(tag) {
  const out = {};
  for (const m of tag.matchAll(/([a-zA-Z:-]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+)))?/g)) {
    out[m[1].toLowerCase()] = m[2] ?? m[3] ?? m[4] ?? '';
  }
  return out;
}

let failures = 0;
let checked = 0;
let ownPages = 0;
function fail(what) {
  console.log(`FAIL ${what}`);
  failures += 1;
}

for (const file of pages(root)) {
  const rel = path.relative(root, file);
  const html = fs.readFileSync(file, 'utf8');
  const htmlTag = html.match(/<html\b([^>]*)>/i);
  if (!htmlTag) continue;
  const page = attributes(htmlTag[1]);
  const pageLang = page.lang ?? '';
  if (pageLang === rtl) {
    ownPages += 1;
    if (page.dir !== 'rtl') fail(`${rel}: <html lang="${rtl}"> has dir="${page.dir ?? ''}", not dir="rtl"`);
  }
  const body = html.slice(html.search(/<body\b/i));
  for (const m of body.matchAll(/<([a-zA-Z][a-zA-Z0-9-]*)\b([^>]*\blang\s*=[^>]*)>/g)) {
    const a = attributes(m[2]);
    if (!a.lang || a.lang === pageLang) continue;
    checked += 1;
    const want = isRtl(a.lang) ? 'rtl' : 'ltr';
    const pageDir = isRtl(pageLang) ? 'rtl' : 'ltr';
    if (want !== pageDir && a.dir !== want) {
      fail(`${rel}: <${m[1]} lang="${a.lang}"> in a ${pageDir} page has dir="${a.dir ?? ''}", not dir="${want}"`);
    }
  }
}
if (ownPages === 0) fail(`no page has <html lang="${rtl}">`);
if (checked === 0) fail('no element carries a lang of its own: nothing in another language was checked');
console.log(`direction: ${ownPages} ${rtl} page(s), ${checked} element(s) in another language, ${failures} failure(s)`);
process.exit(failures ? 1 : 0);
