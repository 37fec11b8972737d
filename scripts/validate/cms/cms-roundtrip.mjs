// The CMS round trip: the CMS that `drehbuch cms init` configures must save
// a page it did not change byte for byte as it was, and a change made in it
// must reach the built site.
//
//   node scripts/validate/cms/cms-roundtrip.mjs DREHBUCH_BINARY SITE_DIR
//
// In a git copy of SITE_DIR it runs `cms init`, builds the site, serves the
// output (with the admin page) on 127.0.0.1 and runs decap-server (the CMS's
// local backend, npm) on 127.0.0.1 against the copy. Headless Chromium opens
// every entry of every collection, makes it dirty and reverts it, and
// publishes: `git diff` must stay empty. An entry that lacks a language is
// saved too: Decap CMS then writes a file for that language anyway, empty
// or with only the shared fields (decaporg/decap-cms#6932); the build must
// still succeed, warn at exactly those files, and stay byte for byte the
// same. Then it changes one title through the CMS and the rebuilt page must
// show it.
//
// Decap CMS is loaded from its npm package (fetched once with `npm pack`
// into .cache/), not the CDN; its dist/decap-cms.js must have the SRI hash
// drehbuch pins, which the admin page keeps, so the browser checks it too.
// Env: CHROMIUM (default /usr/bin/chromium), CMS_ENTRIES (at most this many
// entries per collection, default all), CMS_TIMEOUT (ms per step, default
// 30000), CMS_SCREENSHOT (a PNG of the page when something fails),
// CMS_EDITOR_SHOT (a PNG of the first entry's editor, for the docs).
// CMS_ALLOW_REFORMAT: a file the CMS rewrote in another YAML style (quotes,
// folded lines, block lists) passes if the built site is byte for byte
// the same (for sites written before the CMS, like examples/cluj).
// Exit 1 on a failed round trip, 2 on a setup problem.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import net from 'node:net';
import { fileURLToPath } from 'node:url';
import { serveDirectory } from '../serve.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const [binArg, siteArg] = process.argv.slice(2);
if (!binArg || !siteArg) {
  console.error('usage: node cms-roundtrip.mjs DREHBUCH_BINARY SITE_DIR');
  process.exit(2);
}
const bin = path.resolve(binArg);
const limit = Number(process.env.CMS_ENTRIES || 0);
const log = (...a) => console.log('cms-roundtrip:', ...a);
const run = (cmd, args, opts = {}) => execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], ...opts });

let chromium;
try {
  ({ chromium } = await import(path.join(here, '..', 'node_modules', 'playwright-core', 'index.mjs')));
} catch (e) {
  console.error('cms-roundtrip: playwright-core missing: run scripts/install-validators.sh', e.message);
  process.exit(2);
}
const decapServer = path.join(here, 'node_modules', 'decap-server', 'dist', 'index.js');
if (!fs.existsSync(decapServer)) {
  console.error(`cms-roundtrip: decap-server missing: run npm ci --ignore-scripts in ${here}`);
  process.exit(2);
}

// --- the site, as a git repository of its own --------------------------------
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'drehbuch-cms-'));
const repo = path.join(work, 'site');
fs.cpSync(path.resolve(siteArg), repo, {
  recursive: true,
  filter: (src) => !/[/\\](public|target|\.git)$/.test(src),
});
const git = (...args) => run('git', ['-C', repo, ...args]);
git('init', '-q', '-b', 'main');
git('-c', 'user.name=t', '-c', 'user.email=t@example.org', 'add', '-A');
git('-c', 'user.name=t', '-c', 'user.email=t@example.org', 'commit', '-qm', 'site');
fs.rmSync(path.join(repo, 'static', 'admin'), { recursive: true, force: true });
run(bin, ['cms', 'init', '--root', repo, '--force']);
git('add', '-A');
git('-c', 'user.name=t', '-c', 'user.email=t@example.org', 'commit', '-qm', 'cms', '--allow-empty');

// --- Decap CMS from npm, checked against the pinned hash ---------------------
const index = fs.readFileSync(path.join(repo, 'static/admin/index.html'), 'utf8');
const pinned = index.match(/decap-cms@([0-9.]+)\/dist\/decap-cms\.js" integrity="(sha384-[^"]+)"/);
if (!pinned) {
  console.error('cms-roundtrip: index.html has no pinned Decap CMS script');
  process.exit(1);
}
const [, version, integrity] = pinned;
const cache = path.join(here, '.cache', `decap-cms-${version}`);
if (!fs.existsSync(path.join(cache, 'package', 'dist', 'decap-cms.js'))) {
  fs.mkdirSync(cache, { recursive: true });
  const tgz = run('npm', ['pack', `decap-cms@${version}`, '--pack-destination', cache, '--silent']).trim().split('\n').pop();
  run('tar', ['xzf', path.join(cache, tgz), '-C', cache, 'package/dist']);
  fs.rmSync(path.join(cache, tgz));
}
const dist = path.join(cache, 'package', 'dist');
const actual = 'sha384-' + crypto.createHash('sha384').update(fs.readFileSync(path.join(dist, 'decap-cms.js'))).digest('base64');
if (actual !== integrity) {
  console.error(`cms-roundtrip: decap-cms@${version} dist/decap-cms.js is ${actual}, index.html pins ${integrity}`);
  process.exit(1);
}
log(`decap-cms@${version} matches the pinned hash`);

// --- servers -------------------------------------------------------------------
async function freePort() {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}
const out = path.join(work, 'public');
function build() {
  fs.rmSync(out, { recursive: true, force: true });
  run(bin, ['build', '--root', repo, '--output', out, '--base-url', 'http://127.0.0.1/']);
  const admin = path.join(out, 'admin');
  for (const f of fs.readdirSync(dist)) {
    if (f.endsWith('.js')) fs.copyFileSync(path.join(dist, f), path.join(admin, f));
  }
  // The same file, from here instead of the CDN (the hash stays).
  const page = fs.readFileSync(path.join(admin, 'index.html'), 'utf8');
  fs.writeFileSync(path.join(admin, 'index.html'), page.replace(/https:\/\/unpkg\.com\/decap-cms@[0-9.]+\/dist\//, ''));
}
build();
// The site as built before any save, to tell reformatting from changes.
const baseline = path.join(work, 'baseline');
run(bin, ['build', '--root', repo, '--output', baseline, '--base-url', 'http://127.0.0.1/']);
function differingFiles(a, b) {
  const list = (dir) => fs.readdirSync(dir, { recursive: true }).filter((f) => fs.statSync(path.join(dir, f)).isFile() && !f.startsWith('.drehbuch')).sort();
  const fa = list(a);
  const fb = list(b);
  const all = [...new Set([...fa, ...fb])];
  return all.filter((f) => !fa.includes(f) || !fb.includes(f) || !fs.readFileSync(path.join(a, f)).equals(fs.readFileSync(path.join(b, f))));
}
const backendPort = await freePort();
const config = fs.readFileSync(path.join(out, 'admin', 'config.yml'), 'utf8');
fs.writeFileSync(
  path.join(out, 'admin', 'config.yml'),
  config.replace(/^local_backend: true$/m, `local_backend: {url: "http://127.0.0.1:${backendPort}/api/v1"}`),
);
const backend = spawn(process.execPath, [decapServer], {
  env: { ...process.env, PORT: String(backendPort), BIND_HOST: '127.0.0.1', GIT_REPO_DIRECTORY: repo, MODE: 'fs', LOG_LEVEL: 'warn' },
  stdio: ['ignore', 'pipe', 'pipe'],
});
let backendLog = '';
backend.stdout.on('data', (d) => (backendLog += d));
backend.stderr.on('data', (d) => (backendLog += d));
await new Promise((resolve, reject) => {
  const deadline = Date.now() + 20000;
  const poll = () => {
    const s = net.connect(backendPort, '127.0.0.1', () => { s.end(); resolve(); });
    s.on('error', () => (Date.now() > deadline ? reject(new Error('decap-server did not start: ' + backendLog)) : setTimeout(poll, 200)));
  };
  poll();
});
const { server, origin } = await serveDirectory(out);

// --- the collections and their entries, from the files -------------------------
const collections = [];
for (const m of config.matchAll(/^  - name: "([^"]+)"\n(?:    .*\n)*?    folder: "([^"]+)"/gm)) {
  collections.push({ name: m[1], folder: m[2] });
}
const languages = (config.match(/^  locales: \[([^\]]*)\]/m) || [, ''])[1].split(',').map((s) => s.trim()).filter(Boolean);
const defaultLocale = (config.match(/^  default_locale: (\S+)$/m) || [, languages[0]])[1];
// Entries by file name, each with the languages it has no file in. For
// those, Decap writes a file anyway (empty, or with only the shared fields),
// which drehbuch takes as no translation, with a warning. An entry without
// a file in the default language cannot be saved in Decap at all (its
// title there is required and empty): those are listed, not saved.
function entriesOf(folder) {
  const slugs = new Map();
  for (const f of fs.readdirSync(path.join(repo, folder))) {
    const m = f.match(/^(.+)\.([a-z]{2,3}(?:-[A-Za-z0-9]+)*)\.md$/);
    if (m && !m[1].startsWith('_') && languages.includes(m[2])) slugs.set(m[1], [...(slugs.get(m[1]) || []), m[2]]);
  }
  const all = [...slugs.keys()].sort().map((slug) => ({ slug, missing: languages.filter((l) => !slugs.get(slug).includes(l)) }));
  return limit > 0 ? all.slice(0, limit) : all;
}

let exitCode = 0;
let browser;
try {
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run'],
  });
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  page.setDefaultTimeout(Number(process.env.CMS_TIMEOUT || 30000));
  const problems = [];
  page.on('pageerror', (e) => problems.push(String(e)));
  await page.goto(`${origin}/admin/`);
  await page.getByRole('button', { name: /login/i }).click();
  await page.waitForSelector(`a[href*="#/collections/"]`);

  // The CMS saves only a changed entry: save it with a character added to
  // its title, then with the title as it was. The files must end as they were.
  // (The CMS compares with the entry as it was opened, so it is opened
  // again before the character is taken back; by a full load, as moving
  // between entries by their #/ address may keep the last one's data.)
  async function open(url) {
    await page.goto(url);
    await page.reload();
  }
  async function saveUnchanged(url) {
    const title = page.locator('input[id^="title-field"], input[id*="title"]').first();
    await open(url);
    await title.waitFor();
    if (process.env.CMS_EDITOR_SHOT && !fs.existsSync(process.env.CMS_EDITOR_SHOT)) {
      await page.waitForTimeout(1000);
      await page.screenshot({ path: process.env.CMS_EDITOR_SHOT });
    }
    await title.click();
    await title.press('End');
    await title.type('x');
    await publish();
    // The save must have reached the files, or the round trip proves nothing.
    if (!git('status', '--porcelain').trim()) throw new Error(`saving ${url} with a changed title changed no file`);
    await open(url);
    await title.waitFor();
    await title.click();
    await title.press('End');
    await title.press('Backspace');
    await publish();
  }
  async function publish() {
    await page.getByRole('button', { name: /^publish$/i }).click();
    await page.getByText(/publish now/i).click();
    await page.getByText(/^changes saved$/i).waitFor();
  }

  let saved = 0;
  let partial = 0;
  const reformatted = [];
  const unsaveable = [];
  for (const c of collections) {
    for (const { slug, missing } of entriesOf(c.folder)) {
      if (missing.includes(defaultLocale)) {
        unsaveable.push(`${c.folder}/${slug}`);
        continue;
      }
      await saveUnchanged(`${origin}/admin/#/collections/${c.name}/entries/${slug}`);
      saved++;
      if (missing.length) partial++;
      // New files are the languages the entry lacks; a changed file is a rewrite.
      const rewritten = git('status', '--porcelain', '--untracked-files=all').split('\n').filter((l) => l && !l.startsWith('??'));
      if (rewritten.length && !reformatted.includes(`${c.folder}/${slug}`)) reformatted.push(`${c.folder}/${slug}`);
    }
  }
  const written = git('status', '--porcelain', '--untracked-files=all').split('\n').filter((l) => l.startsWith('?? ')).map((l) => l.slice(3)).sort();
  if (written.length || reformatted.length) {
    // What the CMS wrote must build, to the very same site, and the only
    // warnings about empty translations name the files it added.
    const after = path.join(work, 'after');
    const diff = git('diff');
    const rebuilt = spawnSync(bin, ['build', '--root', repo, '--output', after, '--base-url', 'http://127.0.0.1/'], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    if (rebuilt.status !== 0) {
      problems.push(`the site no longer builds after saving entries unchanged:\n${rebuilt.stderr}`);
    } else {
      const warned = [...rebuilt.stderr.matchAll(/^(\S+?\.md)(?::\d+:\d+)?: warning: an empty translation written by a CMS/gm)].map((m) => m[1]).sort();
      if (warned.join('\n') !== written.join('\n')) {
        problems.push(`the CMS added ${written.join(', ') || 'no file'}, but the build warns about empty translations at ${warned.join(', ') || 'no file'}:\n${rebuilt.stderr}`);
      } else if (written.length) {
        log(`the CMS wrote ${written.length} empty translation(s) for ${partial} entries that lack a language; the build warns at each: ${written.join(', ')}`);
      }
      const differing = differingFiles(baseline, after);
      if (differing.length) {
        problems.push(`saving entries unchanged changed the built site (${differing.slice(0, 10).join(', ')}):\n${diff}`);
      } else if (!reformatted.length) {
        // Only new files: nothing was rewritten.
      } else if (process.env.CMS_ALLOW_REFORMAT) {
        log(`the CMS reformatted the front matter of ${reformatted.length} entries (the built site is byte for byte the same): ${reformatted.join(', ')}`);
        if (process.env.CMS_SHOW_DIFF) console.log(diff);
      } else {
        problems.push(`saving entries unchanged rewrote their files (the built site stays the same):\n${git('status', '--porcelain')}${diff}`);
      }
    }
    git('checkout', '--', '.');
    git('clean', '-fdq');
  }
  if (unsaveable.length) log(`not saved, as Decap CMS cannot save an entry without a file in the default language ${defaultLocale}: ${unsaveable.join(', ')}`);
  log(`${saved} entries saved unchanged (${partial} of them lacking a language) in ${collections.length} collection(s), languages ${languages.join(', ')}`);

  // One change through the CMS, to an entry written in every language,
  // reaches the built page.
  const complete = (c) => entriesOf(c.folder).filter((e) => e.missing.length === 0);
  const c = collections.find((c) => complete(c).length > 0);
  if (!c) problems.push('no entry has a file in every language, so none was changed');
  if (c) {
    const { slug } = complete(c)[0];
    await open(`${origin}/admin/#/collections/${c.name}/entries/${slug}`);
    const title = page.locator('input[id^="title-field"], input[id*="title"]').first();
    await title.waitFor();
    await title.fill('Changed through the CMS');
    await publish();
    const changed = git('diff', '--name-only').trim();
    build();
    let built = '';
    try {
      built = run('grep', ['-rl', '--include=index.html', 'Changed through the CMS', out]).trim();
    } catch {}
    if (!changed || !built) problems.push(`the change to ${c.folder}/${slug} did not reach the build (changed: ${changed || 'nothing'})`);
    else log(`a title changed in the CMS (${changed}) is in ${path.relative(out, built.split('\n')[0])}`);
  }
  for (const p of problems) console.error('cms-roundtrip: ' + p);
  if (problems.length) exitCode = 1;
} catch (e) {
  console.error('cms-roundtrip:', e);
  if (process.env.CMS_SCREENSHOT) await browser?.contexts()[0]?.pages()[0]?.screenshot({ path: process.env.CMS_SCREENSHOT }).catch(() => {});
  exitCode = 1;
} finally {
  await browser?.close();
  server.close();
  backend.kill();
  if (exitCode === 0) fs.rmSync(work, { recursive: true, force: true });
  else console.error(`cms-roundtrip: the site copy stays in ${repo}`);
}
process.exit(exitCode);
