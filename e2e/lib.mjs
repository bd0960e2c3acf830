// Shared by the browser tests: a static server that behaves like common hosts, Debian's Chromium
// through Playwright, and the lesson list read from content/.
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before } from 'node:test';
import { chromium } from 'playwright-core';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const ARTIFACTS = path.join(ROOT, 'e2e', 'artifacts');
fs.mkdirSync(ARTIFACTS, { recursive: true });

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.wasm': 'application/wasm',
  '.css': 'text/css', '.svg': 'image/svg+xml', '.woff2': 'font/woff2', '.json': 'application/json',
  '.png': 'image/png', '.gz': 'application/gzip',
};

/// Serves `dir` under the URL prefix `mount` ("/" or "/dl101/") like GitHub Pages: the file, else
/// `<path>.html`, else `<path>/index.html`, else 404.html with status 404.
export async function serve(dir, mount = '/') {
  const server = http.createServer((req, res) => {
    const url = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    if (!url.startsWith(mount)) { res.writeHead(404); res.end('outside the site'); return; }
    const rel = url.slice(mount.length);
    const candidates = [rel, `${rel}.html`, path.join(rel, 'index.html')];
    for (const candidate of candidates) {
      const file = path.join(dir, candidate);
      if (file.startsWith(dir) && fs.existsSync(file) && fs.statSync(file).isFile()) {
        res.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream' });
        fs.createReadStream(file).pipe(res);
        return;
      }
    }
    res.writeHead(404, { 'content-type': TYPES['.html'] });
    const notFound = path.join(dir, '404.html');
    if (fs.existsSync(notFound)) fs.createReadStream(notFound).pipe(res);
    else res.end('not found');
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${server.address().port}${mount.replace(/\/$/, '')}`;
  return { base, close: () => new Promise((resolve) => server.close(resolve)) };
}

/// The value after `--name` on the command line (a bench script's option), else `fallback`.
export function option(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
}

/// Debian's Chromium, headless; `webgpu` adds the flag that exposes its SwiftShader adapter,
/// `extra` more flags (e.g. for memory measurements).
const launched = new Set();
export async function launch({ webgpu = true, extra = [] } = {}) {
  const args = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync', ...extra];
  if (webgpu) args.push('--enable-unsafe-webgpu');
  const b = await chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', headless: true, args });
  launched.add(b);
  b.on('disconnected', () => launched.delete(b));
  return b;
}
// A test that fails before it closes its own browser must not leave the browser running: it would
// keep the test file's process, and with it the whole suite, waiting for ever.
after(async () => {
  await Promise.all([...launched].map((b) => b.close()));
});

/// The release site from dist/ and two Chromiums, one with WebGPU (SwiftShader) and one without,
/// started before a test file's tests and closed after them: `env.site`, `env.gpu`, `env.cpu`.
export function siteAndBrowsers() {
  const env = {};
  before(async () => {
    env.site = await serve(path.join(ROOT, 'dist'));
    env.gpu = await launch({ webgpu: true });
    env.cpu = await launch({ webgpu: false });
  });
  after(async () => {
    await env.gpu?.close();
    await env.cpu?.close();
    await env.site?.close();
  });
  return env;
}

/// A page that records console errors, page errors and CSP violations in `page.problems`.
export async function newPage(browser, options = {}) {
  const context = await browser.newContext(options);
  const page = await context.newPage();
  page.problems = [];
  page.on('console', (msg) => { if (msg.type() === 'error') page.problems.push(`console: ${msg.text()}`); });
  page.on('pageerror', (err) => page.problems.push(`pageerror: ${err.message}`));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) =>
      console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`));
  });
  return page;
}

/// True in the page once the app has taken over: the pre-rendered copy (or the loading notice),
/// `#boot`, is gone and a lesson title (or the not-found page) is shown.
export const appShown = () => !document.getElementById('boot') && !!document.querySelector('main h1');

/// Opens `url` and waits until the app has rendered a lesson title (or the not-found page) in
/// place of the pre-rendered one.
export async function open(page, url) {
  await page.goto(url, { waitUntil: 'domcontentloaded', timeout: 60000 });
  await until(page, `the app to take over ${url}`, appShown, null, 60000);
}

/// Lessons in reading order with their titles in each language, from content/.
export function lessons() {
  const summary = fs.readFileSync(path.join(ROOT, 'content', 'summary.toml'), 'utf8');
  const slugs = [...summary.matchAll(/^\s*"([a-z0-9-]+)",?\s*$/gm)].map((m) => m[1]);
  const title = (lang, slug) => {
    const first = fs.readFileSync(path.join(ROOT, 'content', lang, `${slug}.md`), 'utf8').split('\n')[0];
    return first.replace(/^#\s+/, '').trim();
  };
  const widgets = (lang, slug) =>
    (fs.readFileSync(path.join(ROOT, 'content', lang, `${slug}.md`), 'utf8').match(/^\s*\{\{#widget /gm) ?? []).length;
  return slugs.map((slug) => ({
    slug, vi: title('vi', slug), en: title('en', slug), widgets: widgets('vi', slug),
  }));
}

export async function shot(page, name) {
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: false });
}

export function tempDir() {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'dl101-e2e-'));
}

/// Waits for `predicate(arg)` in the page, polling; on time-out the error names `what`.
export async function until(page, what, predicate, arg, timeout = 120000) {
  try {
    await page.waitForFunction(predicate, arg, { timeout, polling: 200 });
  } catch (error) {
    throw new Error(`timed out after ${timeout} ms waiting for ${what}: ${error.message.split('\n')[0]}`);
  }
}

/// Waits until a widget's run bar counts at least `atLeast` steps.
export const waitSteps = (page, widget, atLeast, timeout = 240000) => until(page,
  `${widget} to reach ${atLeast} steps`,
  ([w, n]) => Number(document.querySelector(`[data-widget="${w}"] .run-bar`)?.getAttribute('data-steps')) >= n,
  [widget, atLeast], timeout);

/// Waits until a widget's run status is one of `wanted` (e.g. ['paused']).
export const waitStatus = (page, widget, wanted, timeout = 240000) => until(page,
  `${widget} to be ${wanted.join(' or ')}`,
  ([w, s]) => s.includes(document.querySelector(`[data-widget="${w}"] .run-status`)?.getAttribute('data-status')),
  [widget, wanted], timeout);

/// A widget's run bar, its step count, and a click on one of its buttons (`data-action`).
export const bar = (page, widget) => page.locator(`[data-widget="${widget}"] .run-bar`);
export const steps = async (page, widget) => Number(await bar(page, widget).getAttribute('data-steps'));
export const click = (page, widget, action) =>
  page.locator(`[data-widget="${widget}"] [data-action="${action}"]`).click();

/// The slug of the lesson whose file name starts with `prefix` ("04-").
export const slugOf = (prefix) => lessons().find((l) => l.slug.startsWith(prefix)).slug;

/// English interface words that must not appear on a Vietnamese page (technical terms the
/// Vietnamese text also uses, such as epoch, batch, loss or optimizer names, are not listed).
const ENGLISH = /\b(Train|Pause|Resume|Reset|Retry|Ready|Loading|Training|Paused|Done|Stopped|Error|Ignored|invalid|is not|not a setting|must be|a number|whole number|one of|Learning rate|Batch size|Epochs|Depth|Width|Activation|Normalization|Download|Results|Settings|Steps|Samples|samples\/s|steps\/s|software|faster|failed|the CPU|no WebGPU|your choice|left|Valid|Validation|accuracy|No data yet|press|earlier|Full data|Reshuffle|Frozen|from scratch|Practice step)\b/g;

/// The English words in the widgets, the top bar (its badge and search) and the offline notices
/// of `page`: visible text, labels, tooltips.
export async function englishWords(page) {
  const texts = await page.evaluate(() => {
    const roots = [...document.querySelectorAll('.widget-card, .device-badge, .search, .offline-status, .update-notice')];
    const out = [];
    for (const root of roots) {
      // Code listings are code, search snippets are lesson text; the rest is the interface.
      const clone = root.cloneNode(true);
      clone.querySelectorAll('pre, code, [data-lesson-text]').forEach((n) => n.remove());
      out.push(clone.innerText ?? clone.textContent);
      for (const el of [root, ...root.querySelectorAll('*')]) {
        for (const attr of ['aria-label', 'title', 'placeholder']) {
          const value = el.getAttribute(attr);
          if (value) out.push(value);
        }
      }
    }
    return out;
  });
  const found = new Set();
  for (const text of texts) for (const m of text.matchAll(ENGLISH)) found.add(m[1]);
  return [...found];
}

/// How the top bar sits once the device badge has answered: the title whole (`whole`), clear of the
/// badge (`apart`), the tools inside the window (`inside`), and the badge's width in px.
export async function topBarFit(page) {
  await until(page, 'the device badge to stop probing', () => document.querySelector('.device-badge')?.innerText.includes('…') === false, null, 30000);
  return page.evaluate(() => {
    const brand = document.querySelector('.brand');
    const badge = document.querySelector('.device-badge').getBoundingClientRect();
    const tools = document.querySelector('.topbar-tools').getBoundingClientRect();
    return { whole: brand.scrollWidth <= brand.clientWidth + 1, apart: brand.getBoundingClientRect().right <= badge.left,
      inside: tools.right <= window.innerWidth + 1, badgeWidth: badge.width };
  });
}
