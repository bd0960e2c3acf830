// The wait for the data (not a test): Train on lesson 06's optimizer race on the full
// Fashion-MNIST data (16 files, 30 MB) in a fresh browser context, CPU device, until the first
// step shows; then the same page again, the files now in the browser's cache. On localhost, and
// with 100 ms of latency per request added by CDP (a home connection; no bandwidth cap, so the
// round trips are what differs). Each build's runs alternate with the other's.
//   node bench/datawait.mjs [--dist DIR] [--before OTHER/dist] [--runs 2]
// Needs a built site (scripts/build.sh); `scripts/bench.sh --data-wait` builds it and runs this.
import path from 'node:path';
import { ROOT, launch, option, serve } from '../e2e/lib.mjs';

const builds = [option('before'), option('dist', path.join(ROOT, 'dist'))]
  .filter(Boolean).map((d) => path.resolve(d));
const RUNS = Number(option('runs', 2));
const WIDGET = 'optimizer-race';
const URL_QUERY = `${WIDGET}.full=true&${WIDGET}.optimizers=sgd`;
const NETWORKS = [
  { name: 'localhost', conditions: null },
  { name: '+100 ms latency', conditions: { offline: false, latency: 100, downloadThroughput: -1, uploadThroughput: -1 } },
];

/// Train → first step (ms), the first visit and then the cached one, in one fresh context.
async function visits(browser, base, conditions) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  if (conditions) {
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', conditions);
  }
  const waits = [];
  for (let visit = 0; visit < 2; visit++) {
    await page.goto(`${base}/en/06-optimizers?${URL_QUERY}`, { waitUntil: 'domcontentloaded' });
    const train = `[data-widget="${WIDGET}"] [data-action="train"]`;
    await page.waitForSelector(train, { timeout: 60000 });
    // The page's own start-up requests (the loss surface's paths) done: the reader who reads a
    // little before pressing Train.
    await page.waitForTimeout(3000);
    const clicked = Date.now();
    await page.click(train);
    await page.waitForFunction((w) => Number(document.querySelector(`[data-widget="${w}"] .run-bar`)
      .getAttribute('data-steps')) > 0, WIDGET, { timeout: 120000, polling: 50 });
    waits.push(Date.now() - clicked);
  }
  await context.close();
  return waits;
}

const browser = await launch({ webgpu: false });
const sites = await Promise.all(builds.map((dist) => serve(dist)));
const seen = new Map();
for (let run = 0; run < RUNS; run++) {
  for (const network of NETWORKS) {
    for (const [i, site] of sites.entries()) {
      const key = `${i}|${network.name}`;
      const [first, cached] = await visits(browser, site.base, network.conditions);
      seen.set(key, [...(seen.get(key) ?? []), { first, cached }]);
      console.error(`${builds[i]}, ${network.name}: first visit ${first} ms, cached ${cached} ms`);
    }
  }
}
await browser.close();
await Promise.all(sites.map((s) => s.close()));
const list = (rows, field) => rows.map((r) => `${r[field].toLocaleString('en-US')} ms`).join(', ');
console.log(`\nTrain → first step, optimizer race on full Fashion-MNIST, CPU (${new Date().toISOString().slice(0, 10)})`);
console.log('| build | network | first visit (download) | second visit (cache) |');
console.log('|---|---|---|---|');
for (const network of NETWORKS) {
  for (const [i, dist] of builds.entries()) {
    const rows = seen.get(`${i}|${network.name}`);
    console.log(`| ${dist} | ${network.name} | ${list(rows, 'first')} | ${list(rows, 'cached')} |`);
  }
}
