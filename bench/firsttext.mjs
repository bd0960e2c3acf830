// Time to the first lesson text (not a test): a Vietnamese lesson opened in a fresh browser
// context, on localhost and on a throttled phone profile (CDP: ~1 MB/s down, 150 ms latency,
// CPU slowed 4×), median of 5 each, and the bytes downloaded before the lesson heading showed.
//   node bench/firsttext.mjs [--dist DIR] [--runs 5] [--lesson 00-why-deep-nets-are-hard]
// Needs a built site (scripts/build.sh); `scripts/bench.sh --first-text` builds it and runs this.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { ROOT, launch, option, serve } from '../e2e/lib.mjs';

const dist = path.resolve(option('dist', path.join(ROOT, 'dist')));
const RUNS = Number(option('runs', 5));
const LESSON = option('lesson', '00-why-deep-nets-are-hard');

/// The phone profile: CDP's own network and CPU emulation.
const PHONE = {
  network: { offline: false, latency: 150, downloadThroughput: 1024 * 1024, uploadThroughput: 512 * 1024 },
  cpuRate: 4,
};

// In the page before anything runs: the moment the lesson heading is in the DOM and a frame has
// been rendered with it (rendering waits for the stylesheets), in ms since navigation start.
const probe = () => {
  const seen = () => {
    if (window.__firstText !== undefined || !document.querySelector('main h1')) return false;
    requestAnimationFrame(() => { window.__firstText ??= performance.now(); });
    return true;
  };
  new MutationObserver((_, observer) => { if (seen()) observer.disconnect(); })
    .observe(document, { childList: true, subtree: true });
};

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/// The dist file that answered `url`, as the e2e server picks it.
function fileOf(url) {
  const rel = decodeURIComponent(new URL(url).pathname).replace(/^\//, '');
  for (const candidate of [rel, `${rel}.html`, path.join(rel, 'index.html')]) {
    const file = path.join(dist, candidate);
    if (candidate && fs.existsSync(file) && fs.statSync(file).isFile()) return file;
  }
  return null;
}

async function once(browser, site, phone) {
  const context = await browser.newContext({ viewport: { width: 360, height: 740 } });
  const page = await context.newPage();
  if (phone) {
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', PHONE.network);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: PHONE.cpuRate });
  }
  await page.addInitScript(probe);
  await page.goto(`${site.base}/vi/${LESSON}`, { waitUntil: 'commit', timeout: 120000 });
  await page.waitForFunction(() => window.__firstText !== undefined, null, { timeout: 120000, polling: 20 });
  const { firstText, urls } = await page.evaluate(() => {
    const t = window.__firstText;
    const entries = [...performance.getEntriesByType('navigation'), ...performance.getEntriesByType('resource')];
    return { firstText: t, urls: entries.filter((e) => e.startTime < t).map((e) => e.name) };
  });
  await context.close();
  return { firstText, files: [...new Set(urls.map(fileOf).filter(Boolean))] };
}

function weight(files) {
  let raw = 0;
  let gzip = 0;
  for (const file of files) {
    const bytes = fs.readFileSync(file);
    raw += bytes.length;
    gzip += zlib.gzipSync(bytes, { level: 9 }).length;
  }
  return { raw, gzip };
}

const site = await serve(dist);
const browser = await launch({ webgpu: false });
const rows = [];
for (const [name, phone] of [['localhost', false], ['phone (1 MB/s, 150 ms, CPU ×4)', true]]) {
  const runs = [];
  for (let i = 0; i < RUNS; i += 1) runs.push(await once(browser, site, phone));
  const files = runs[runs.length - 1].files;
  rows.push({ name, ms: median(runs.map((r) => r.firstText)), all: runs.map((r) => Math.round(r.firstText)), files, ...weight(files) });
}
await browser.close();
await site.close();
const fmt = (x) => Math.round(x).toLocaleString('en-US');
console.log(`\nfirst lesson text, vi/${LESSON}, ${path.relative(process.cwd(), dist) || dist}, median of ${RUNS}, fresh context each`);
console.log('| profile | first text | runs (ms) | downloaded before it | raw | gzip -9 |');
console.log('|---|---|---|---|---|---|');
for (const r of rows) {
  const names = r.files.map((f) => path.relative(dist, f)).join(', ');
  console.log(`| ${r.name} | ${fmt(r.ms)} ms | ${r.all.join(', ')} | ${names} | ${fmt(r.raw)} B | ${fmt(r.gzip)} B |`);
}
