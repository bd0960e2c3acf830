// The browser benchmark (not a test): DL101 Live's release build in Debian's headless Chromium,
// against TensorFlow.js and jax-js in the same browser. Prints a table and writes bench/out/browser.json.
//   node bench/run.mjs [--seconds 10] [--runs 20] [--reader-only | --ours-cpu-only | --ours-webgpu-only | --pool-only [--before OTHER/dist] | --peers-only | --webgpu-only] [--dist DIR]
// Needs dist/ (scripts/build.sh) and bench/node_modules (npm ci in bench/). scripts/bench.sh does both.
// --peers-only needs only bench/node_modules: the TF.js and jax-js rows, written to bench/out/peers.json.
// --webgpu-only: ours and the peers in the WebGPU browser only, written to bench/out/webgpu.json.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { chromium } from '../e2e/node_modules/playwright-core/index.mjs';
import { ROOT, option, serve } from '../e2e/lib.mjs';

const arg = (name, fallback) => Number(option(name, fallback));
const SECONDS = arg('seconds', 10);
const RUNS = arg('runs', 20);
const WARMUP = Math.max(3, SECONDS / 2);
const OUT = path.join(ROOT, 'bench', 'out');
fs.mkdirSync(OUT, { recursive: true });

const LESSON = {
  activations: '03-activations',
  optimizers: '06-optimizers',
  practice: '09-cifar10-practice',
  first: '00-why-deep-nets-are-hard',
};

async function browser(webgpu) {
  const args = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync',
    '--enable-precise-memory-info', '--js-flags=--expose-gc'];
  if (webgpu) args.push('--enable-unsafe-webgpu');
  return chromium.launch({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', headless: true, args });
}

// Records long main-thread tasks and the moment the first lesson title appears.
// Also notes when the training workers' messages arrive (data ready, runs built, first step), to
// split the wait from Train to the first step.
const probes = () => {
  window.__workerMessages = [];
  const Native = window.Worker;
  window.Worker = class extends Native {
    constructor(...args) {
      super(...args);
      this.addEventListener('message', (e) => {
        if (typeof e.data !== 'string') return;
        try {
          const m = JSON.parse(e.data);
          if (m.type !== 'progress' || !window.__workerMessages.some((x) => x.type === 'progress')) {
            window.__workerMessages.push({ t: performance.now(), type: m.type, phase: m.phase?.phase });
          }
        } catch { /* not one of ours */ }
      });
    }
  };
  window.__longTasks = [];
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) window.__longTasks.push(e.duration);
  }).observe({ type: 'longtask', buffered: true });
  new MutationObserver((_, observer) => {
    if (document.querySelector('main h1')) {
      window.__firstText = performance.now();
      observer.disconnect();
    }
  }).observe(document, { childList: true, subtree: true });
};

async function page(b) {
  const context = await b.newContext({ viewport: { width: 1280, height: 900 } });
  const p = await context.newPage();
  await p.addInitScript(probes);
  return p;
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.floor(s.length / 2)] : NaN;
};

/// Trains one widget and samples its measured throughput after the warm-up.
async function ours(b, site, { lesson, widget, query, backend }) {
  const p = await page(b);
  await p.goto(`${site.base}/en/${lesson}?${query}`, { waitUntil: 'domcontentloaded' });
  await p.waitForSelector(`[data-widget="${widget}"] [data-action="train"]`, { timeout: 60000 });
  // Chosen explicitly: with a software adapter (SwiftShader here) the page's default is the CPU.
  await p.selectOption(`[data-widget="${widget}"] .device-switch select`, backend);
  const clickedAt = await p.evaluate(() => { window.__workerMessages = []; return performance.now(); });
  const clicked = Date.now();
  await p.click(`[data-widget="${widget}"] [data-action="train"]`);
  const bar = `[data-widget="${widget}"] .run-bar`;
  await p.waitForFunction((s) => Number(document.querySelector(s).getAttribute('data-steps')) > 0,
    bar, { timeout: 300000, polling: 50 });
  // Compilation, autotune and warm-up included: what the reader waits for on this device.
  const firstStepMs = Date.now() - clicked;
  const split = await firstStepSplit(p, clickedAt);
  await p.waitForTimeout(WARMUP * 1000);
  await p.evaluate(() => { window.__longTasks = []; });
  const samples = [];
  const t0 = Date.now();
  while (Date.now() - t0 < SECONDS * 1000) {
    await p.waitForTimeout(500);
    samples.push(Number(await p.getAttribute(bar, 'data-samples-per-second')));
  }
  const longest = await p.evaluate(() => Math.max(0, ...window.__longTasks));
  const device = await p.locator('.device-badge').innerText();
  await p.click(`[data-widget="${widget}"] [data-action="reset"]`);
  await p.context().close();
  return { samplesPerSecond: median(samples.filter((x) => x > 0)), longestTaskMs: longest, device, firstStepMs, split };
}

/// The wait from Train (at `clickedAt`, page clock) to the first step, in three parts read from
/// the worker's messages: the data downloaded and decoded, the runs built (model and optimizer
/// on the device), the first step trained and its loss read back.
async function firstStepSplit(p, clickedAt) {
  const messages = await p.evaluate(() => window.__workerMessages);
  const at = (pred) => messages.find(pred)?.t;
  const data = at((m) => m.type === 'data' && m.phase === 'ready');
  const built = at((m) => m.type === 'started');
  const step = at((m) => m.type === 'progress');
  if (data === undefined || built === undefined || step === undefined) return undefined;
  return { dataMs: data - clickedAt, buildMs: built - data, stepMs: step - built };
}

/// Trains the same MLP with a peer library: `name` is its page in bench/ (tfjs, jaxjs), which
/// defines `window.bench(backend, options)`.
async function peer(b, benchSite, name, backend, batch, shape) {
  const p = await page(b);
  await p.goto(`${benchSite.base}/${name}.html`, { waitUntil: 'load' });
  const result = await p.evaluate(([backend, o]) => window.bench(backend, o),
    [backend, { ...shape, batch, warmupSeconds: WARMUP, seconds: SECONDS }]);
  await p.context().close();
  return result;
}

/// Bytes of the files a route loads before its first text, raw and gzipped.
function weight(dist, names) {
  let raw = 0;
  let gzip = 0;
  for (const name of names) {
    const file = path.join(dist, name);
    if (!fs.existsSync(file)) continue;
    const bytes = fs.readFileSync(file);
    raw += bytes.length;
    gzip += zlib.gzipSync(bytes, { level: 9 }).length;
  }
  return { raw, gzip };
}

async function loading(b, site, dist) {
  const times = [];
  let files = [];
  for (let i = 0; i < 5; i += 1) {
    const p = await page(b);
    await p.goto(`${site.base}/vi/${LESSON.first}`, { waitUntil: 'domcontentloaded' });
    await p.waitForFunction(() => window.__firstText !== undefined, null, { timeout: 60000 });
    const firstText = await p.evaluate(() => window.__firstText);
    files = await p.evaluate((t) => performance.getEntriesByType('resource')
      .filter((e) => e.startTime < t && /\.(wasm|js)$/.test(new URL(e.name).pathname))
      .map((e) => new URL(e.name).pathname.split('/').pop()), firstText);
    // The first widget is ready when the loss-surface paths are drawn (worker loaded, device up).
    await p.waitForFunction(() => document.querySelector('[data-widget="loss-surface"] canvas')
      ?.getAttribute('data-kind') === 'surface', null, { timeout: 300000 });
    const widget = await p.evaluate(() => performance.now());
    times.push({ firstText, widget });
    await p.context().close();
  }
  return {
    firstTextMs: median(times.map((t) => t.firstText)),
    firstWidgetMs: median(times.map((t) => t.widget)),
    files,
    ...weight(dist, files),
  };
}

/// Memory after each of RUNS consecutive short runs of one widget.
async function memory(b, site, backend) {
  const p = await page(b);
  const widget = 'activation-explorer';
  await p.goto(`${site.base}/en/${LESSON.activations}?${widget}.epochs=1`, { waitUntil: 'domcontentloaded' });
  await p.waitForSelector(`[data-widget="${widget}"] [data-action="train"]`);
  await p.selectOption(`[data-widget="${widget}"] .device-switch select`, backend);
  const bar = `[data-widget="${widget}"] .run-bar`;
  const rows = [];
  for (let run = 1; run <= RUNS; run += 1) {
    await p.click(`[data-widget="${widget}"] [data-action="train"]`);
    await p.waitForFunction((s) => Number(document.querySelector(s).getAttribute('data-steps')) >= 10,
      bar, { timeout: 300000, polling: 100 });
    await p.click(`[data-widget="${widget}"] [data-action="reset"]`);
    await p.waitForFunction((s) => document.querySelector(`${s} .run-status`).getAttribute('data-status') === 'stopped',
      bar, { timeout: 60000, polling: 100 });
    // A full collection first, so the heap is what survives, not the GC's sawtooth.
    const heap = await p.evaluate(() => { window.gc?.(); return performance.memory?.usedJSHeapSize ?? NaN; });
    const gpu = Number(await p.getAttribute(bar, 'data-memory-in-use') || NaN);
    const worker = Number(await p.getAttribute(bar, 'data-worker-bytes') || NaN);
    rows.push({ run, jsHeap: heap, deviceInUse: gpu, workerWasm: worker });
  }
  await p.context().close();
  return rows;
}

/// What a reader waits for, on the device the page picks by itself (no choice saved): time from
/// Train to the first step, and steps in the first 30 s.
async function firstSteps(b, site, { lesson, widget }) {
  const p = await page(b);
  await p.goto(`${site.base}/en/${lesson}`, { waitUntil: 'domcontentloaded' });
  await p.waitForSelector(`[data-widget="${widget}"] [data-action="train"]`, { timeout: 60000 });
  const bar = `[data-widget="${widget}"] .run-bar`;
  const clicked = Date.now();
  await p.click(`[data-widget="${widget}"] [data-action="train"]`);
  await p.waitForFunction((s) => Number(document.querySelector(s).getAttribute('data-steps')) > 0,
    bar, { timeout: 120000, polling: 50 });
  const firstStepMs = Date.now() - clicked;
  await p.waitForTimeout(Math.max(0, 30000 - (Date.now() - clicked)));
  const stepsIn30s = Number(await p.getAttribute(bar, 'data-steps'));
  const device = await p.locator('.device-badge').innerText();
  await p.click(`[data-widget="${widget}"] [data-action="reset"]`);
  await p.context().close();
  return { lesson, widget, firstStepMs, stepsIn30s, device };
}

/// Where the page can show "…" while it waits for the worker: the device switch until the worker
/// says which backends it has, and (before 2026-12-02) the loss surface until the worker had walked
/// the paths. A new browser context (nothing cached: the worker's wasm is downloaded and compiled);
/// every animation frame the page records what each shows, so "…" is timed from the moment it is
/// on screen until it is replaced. Also: when the loss surface is first drawn and when its paths
/// join it, from navigation.
async function ellipses(b, site, { lesson }) {
  const p = await page(b);
  await p.addInitScript(() => {
    const seen = (window.__ellipses = {});
    const note = (key, waiting) => {
      const t = performance.now();
      const e = (seen[key] ??= { waited: 0, since: null });
      if (waiting && e.since === null) e.since = t;
      if (!waiting && e.since !== null) { e.waited += t - e.since; e.since = null; }
      if (!waiting && e.ready === undefined) e.ready = t;
    };
    const tick = () => {
      const w = document.querySelector('[data-widget="loss-surface"]');
      const select = w?.querySelector('.device-switch select');
      if (select) note('device', select.value === '');
      const canvas = w?.querySelector('canvas');
      const kind = canvas?.getAttribute('data-kind');
      if (kind) {
        note('surface', kind === 'empty');
        const n = Number(canvas.getAttribute('data-points'));
        seen.cells ??= n;
        if (kind === 'surface' && n > seen.cells && seen.pathsAt === undefined) seen.pathsAt = performance.now();
      }
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
  await p.goto(`${site.base}/vi/${lesson}`, { waitUntil: 'domcontentloaded' });
  await p.waitForFunction(() => {
    const e = window.__ellipses;
    return e.device?.ready !== undefined && e.surface?.ready !== undefined && e.pathsAt !== undefined;
  }, null, { timeout: 120000, polling: 50 });
  const e = await p.evaluate(() => window.__ellipses);
  await p.context().close();
  return {
    lesson,
    deviceWaitMs: e.device.waited,
    surfaceWaitMs: e.surface.waited,
    surfaceMs: e.surface.ready,
    pathsMs: e.pathsAt,
  };
}

/// The optimizer race of 9 on full data (55,000 images) in `workers` training workers, on the
/// CPU: wall time from Train to every run's first validation (the end of epoch 1), and the
/// workers' WebAssembly memory then (summed). The data is already in the browser's cache.
async function poolRace(context, site, workers) {
  const p = await context.newPage();
  await p.addInitScript((n) => localStorage.setItem('dl101.workers', String(n)), workers);
  const w = 'optimizer-race';
  const all = 'sgd,momentum,nesterov,adagrad,rmsprop,adam,adamax,nadam,adamw';
  await p.goto(`${site.base}/en/${LESSON.optimizers}?${w}.optimizers=${all}&${w}.full=true&${w}.epochs=1`,
    { waitUntil: 'domcontentloaded' });
  await p.waitForSelector(`[data-widget="${w}"] [data-action="train"]`, { timeout: 60000 });
  // Every 50 ms the page notes when each run's validation cell fills and when the first step shows.
  await p.evaluate((sel) => {
    window.__race = { clicked: null, firstStep: null, done: {} };
    setInterval(() => {
      const r = window.__race;
      if (r.clicked === null) return;
      const now = performance.now() - r.clicked;
      if (r.firstStep === null && Number(document.querySelector(`${sel} .run-bar`)?.getAttribute('data-steps')) > 0) r.firstStep = now;
      document.querySelectorAll(`${sel} table.results tbody tr[data-loss-last]`).forEach((row) => {
        const label = row.cells[0].innerText;
        if (row.cells[1].innerText !== '–' && r.done[label] === undefined) r.done[label] = now;
      });
    }, 50);
  }, `[data-widget="${w}"]`);
  await p.evaluate(() => { window.__race.clicked = performance.now(); });
  await p.click(`[data-widget="${w}"] [data-action="train"]`);
  await p.waitForFunction(() => Object.keys(window.__race.done).length === 9, null, { timeout: 1800000, polling: 200 });
  const race = await p.evaluate(() => window.__race);
  const epochMs = Math.max(...Object.values(race.done));
  const firstStepMs = race.firstStep;
  // When each run reached the end of its epoch, by optimizer (shows how evenly the parts split).
  const doneMs = Object.fromEntries(Object.entries(race.done).map(([k, v]) => [k, Math.round(v)]));
  await p.waitForFunction((sel) => document.querySelector(`${sel} .run-status`)?.getAttribute('data-status') === 'finished',
    `[data-widget="${w}"]`, { timeout: 600000, polling: 200 });
  const workerBytes = Number(await p.getAttribute(`[data-widget="${w}"] .run-bar`, 'data-worker-bytes'));
  const used = p.workers().length;
  await p.click(`[data-widget="${w}"] [data-action="reset"]`);
  await p.close();
  return { workers, used, epochMs, firstStepMs, doneMs, workerBytes };
}

const fmt = (x, digits = 0) => (Number.isFinite(x) ? x.toLocaleString('en-US', { maximumFractionDigits: digits }) : '–');

// --dist another/dist measures another build (e.g. before a change) with the same harness.
const dist = path.resolve(option('dist', path.join(ROOT, 'dist')));
// --ours-cpu-only: only our CPU rows (a quick before/after of a CPU-path change).
const oursCpuOnly = process.argv.includes('--ours-cpu-only');
// --peers-only: only the TF.js and jax-js rows (the peers without building the site).
const peersOnly = process.argv.includes('--peers-only');
// --webgpu-only: ours and the peers in the WebGPU browser only (a quick before/after of a GPU-path change).
// --ours-webgpu-only: only our WebGPU rows, with the first step's split (no peers).
const oursWebgpuOnly = process.argv.includes('--ours-webgpu-only');
const webgpuOnly = process.argv.includes('--webgpu-only') || oursWebgpuOnly;
const noPeers = oursCpuOnly || oursWebgpuOnly;
const site = peersOnly ? null : await serve(dist);
const benchSite = await serve(path.join(ROOT, 'bench'));
const results = { date: new Date().toISOString(), seconds: SECONDS, reader: [], throughput: [], loading: null, memory: {} };
const readerCases = [
  { lesson: LESSON.optimizers, widget: 'optimizer-race' },
  { lesson: LESSON.practice, widget: 'cifar-practice' },
  { lesson: '02-initialization', widget: 'signal-propagation' },
];
if (!oursCpuOnly && !peersOnly && !webgpuOnly && !process.argv.includes('--pool-only')) {
  // SwiftShader present, as on machines without GPU acceleration.
  const b = await browser(true);
  for (const c of readerCases) {
    const r = await firstSteps(b, site, c);
    results.reader.push(r);
    console.error(`default device, ${c.widget}: first step ${fmt(r.firstStepMs)} ms, ${fmt(r.stepsIn30s)} steps in 30 s (${r.device})`);
  }
  results.ellipses = [];
  for (const lesson of [LESSON.first, LESSON.optimizers]) {
    const r = await ellipses(b, site, { lesson });
    results.ellipses.push(r);
    console.error(`"…" on ${lesson}: device switch ${fmt(r.deviceWaitMs)} ms, loss surface ${fmt(r.surfaceWaitMs)} ms (surface drawn at ${fmt(r.surfaceMs)} ms, paths at ${fmt(r.pathsMs)} ms)`);
  }
  await b.close();
}
const readerOnly = process.argv.includes('--reader-only');
// --pool-only: the race of 9 by worker count (a pool of training workers on the CPU).
const poolOnly = process.argv.includes('--pool-only');
if (poolOnly || (!readerOnly && !oursCpuOnly && !peersOnly && !webgpuOnly)) {
  const b = await browser(false);
  const context = await b.newContext({ viewport: { width: 1280, height: 900 } });
  // --before OTHER/dist: that build's race too, alternating with this one's (same hour, same load).
  const beforeDist = option('before', null);
  const builds = [{ name: 'this build', site }];
  if (beforeDist) builds.unshift({ name: 'before', site: await serve(path.resolve(beforeDist)) });
  for (const build of builds) {
    // Once per build (each is its own origin), so that every measured run reads the data from the browser's cache.
    const warm = await context.newPage();
    await warm.goto(`${build.site.base}/en/${LESSON.optimizers}?optimizer-race.full=true&optimizer-race.optimizers=sgd`, { waitUntil: 'domcontentloaded' });
    await warm.click('[data-widget="optimizer-race"] [data-action="train"]');
    await warm.waitForFunction(() => Number(document.querySelector('[data-widget="optimizer-race"] .run-bar').getAttribute('data-steps')) > 0, null, { timeout: 300000 });
    await warm.close();
  }
  results.pool = [];
  // Twice, interleaved (1, 2, 4, 1, 2, 4): this machine's timings vary by a few tenths.
  for (const round of [1, 2]) {
    for (const workers of [1, 2, 4]) {
      for (const build of builds) {
        const r = { build: build.name, round, ...await poolRace(context, build.site, workers) };
        results.pool.push(r);
        console.error(`${build.name}: race of 9, ${workers} worker(s), round ${round}: epoch 1 after ${fmt(r.epochMs)} ms (first step ${fmt(r.firstStepMs)} ms; each run: ${Object.entries(r.doneMs).map(([k, v]) => `${k} ${fmt(v)}`).join(', ')}), ${r.used} workers, ${fmt(r.workerBytes / 1e6, 1)} MB`);
      }
    }
  }
  await b.close();
  console.log('\noptimizer race of 9, full data (55,000 images, b32), CPU: Train → end of epoch 1, by training workers');
  console.log(`| build | workers | wall time (two runs) | speed-up (best of each) | workers' wasm memory | ${os.cpus().length} cores |`);
  console.log('|---|---|---|---|---|---|');
  for (const build of builds) {
    const mine = results.pool.filter((r) => r.build === build.name);
    const best = (n) => Math.min(...mine.filter((r) => r.workers === n).map((r) => r.epochMs));
    for (const n of [1, 2, 4]) {
      const rows = mine.filter((r) => r.workers === n);
      console.log(`| ${build.name} | ${n} | ${rows.map((r) => `${fmt(r.epochMs / 1000, 1)} s`).join(', ')} | ${fmt(best(1) / best(n), 2)}× | ${fmt(rows[0].workerBytes / 1e6, 1)} MB | |`);
    }
  }
  if (poolOnly) {
    fs.writeFileSync(path.join(OUT, 'pool.json'), JSON.stringify(results.pool, null, 2));
    process.exit(0);
  }
}
const fashion = { inputs: 784, depth: 3, width: 100, classes: 10 };
const cifar = { inputs: 3072, depth: 20, width: 100, classes: 10 };
const cases = [
  { name: 'Fashion MLP 784-100-100-100-10', batch: 32, shape: fashion, lesson: LESSON.optimizers, widget: 'optimizer-race',
    query: 'optimizer-race.optimizers=sgd&optimizer-race.batch=32&optimizer-race.epochs=50&optimizer-race.full=true' },
  { name: 'Fashion MLP 784-100-100-100-10', batch: 256, shape: fashion, lesson: LESSON.optimizers, widget: 'optimizer-race',
    query: 'optimizer-race.optimizers=sgd&optimizer-race.batch=256&optimizer-race.epochs=50&optimizer-race.full=true' },
  { name: 'CIFAR MLP 20×100', batch: 128, shape: cifar, lesson: LESSON.practice, widget: 'cifar-practice',
    query: 'cifar-practice.epochs=50' },
];
const browsers = readerOnly ? [] : oursCpuOnly ? [false] : webgpuOnly ? [true] : [true, false];
for (const webgpu of browsers) {
  const b = await browser(webgpu);
  for (const c of cases) {
    for (const backend of peersOnly ? [] : webgpu ? ['webgpu'] : ['cpu']) {
      const r = await ours(b, site, { ...c, backend });
      results.throughput.push({ model: c.name, batch: c.batch, runtime: `DL101 (Burn ${backend === 'cpu' ? 'CPU' : 'WebGPU'})`, ...r });
      console.error(`ours ${backend} ${c.name} b${c.batch}: ${fmt(r.samplesPerSecond)} samples/s, longest task ${fmt(r.longestTaskMs)} ms`);
    }
    for (const backend of noPeers ? [] : webgpu ? ['webgpu', 'webgl'] : ['wasm', 'cpu']) {
      const r = await peer(b, benchSite, 'tfjs', backend, c.batch, c.shape);
      results.throughput.push({ model: c.name, batch: c.batch, runtime: `TF.js ${backend}`, ...r });
      console.error(`tfjs ${backend} ${c.name} b${c.batch}: ${fmt(r.samplesPerSecond)} ${r.error ?? ''}`);
    }
    // Not jax-js's cpu device: an interpreter for debugging (1–8 samples/s here, one step > 10 s).
    for (const backend of noPeers ? [] : webgpu ? ['webgpu', 'webgl'] : ['wasm']) {
      const r = await peer(b, benchSite, 'jaxjs', backend, c.batch, c.shape);
      results.throughput.push({ model: c.name, batch: c.batch, runtime: `jax-js ${backend}`, ...r });
      console.error(`jax-js ${backend} ${c.name} b${c.batch}: ${fmt(r.samplesPerSecond)} ${r.error ?? ''}`);
    }
  }
  if (oursCpuOnly || peersOnly || webgpuOnly) {
    // no page-weight or memory runs
  } else if (webgpu) {
    results.loading = await loading(b, site, dist);
    results.memory.webgpu = await memory(b, site, 'webgpu');
  } else {
    results.memory.cpu = await memory(b, site, 'cpu');
  }
  await b.close();
}
await site?.close();
await benchSite.close();
const partial = peersOnly ? 'peers.json' : webgpuOnly ? 'webgpu.json' : 'browser.json';
fs.writeFileSync(path.join(OUT, partial), JSON.stringify(results, null, 2));

if (!peersOnly) {
  console.log('\nwhat the reader waits for: the device the page picks by itself, SwiftShader present');
  console.log('| widget | device | Train → first step | steps in the first 30 s |');
  console.log('|---|---|---|---|');
  for (const r of results.reader) {
    console.log(`| ${r.widget} (${r.lesson}) | ${r.device} | ${fmt(r.firstStepMs)} ms | ${fmt(r.stepsIn30s)} |`);
  }
  if (results.ellipses?.length) {
    console.log('\n"…" on screen (how long it shows), first visit with nothing cached, default device; target ≤ 1 s');
    console.log('| lesson | device switch "…" | loss surface "…" | over 1 s? | surface drawn (from navigation) | its paths (from navigation) |');
    console.log('|---|---|---|---|---|---|');
    for (const r of results.ellipses) {
      const over = Math.max(r.deviceWaitMs, r.surfaceWaitMs) > 1000 ? 'yes' : 'no';
      console.log(`| ${r.lesson} | ${fmt(r.deviceWaitMs)} ms | ${fmt(r.surfaceWaitMs)} ms | ${over} | ${fmt(r.surfaceMs)} ms | ${fmt(r.pathsMs)} ms |`);
    }
  }
}
if (readerOnly) process.exit(0);
console.log('\nthroughput (samples/s, median over the measured window, after warm-up)');
console.log('| model | batch | runtime | samples/s | Train → first step | longest main-thread task |');
console.log('|---|---|---|---|---|---|');
const ms = (x) => (x === undefined ? '' : `${fmt(x)} ms`);
for (const r of results.throughput) {
  console.log(`| ${r.model} | ${r.batch} | ${r.runtime} | ${r.error ? `n/a (${r.error})` : fmt(r.samplesPerSecond)} | ${ms(r.firstStepMs)} | ${ms(r.longestTaskMs)} |`);
}
const splits = results.throughput.filter((r) => r.split);
if (splits.length) {
  console.log('\nours: Train → first step, split by the worker\'s messages');
  console.log('| model | batch | runtime | data downloaded and decoded | runs built | first step | in all |');
  console.log('|---|---|---|---|---|---|---|');
  for (const r of splits) {
    console.log(`| ${r.model} | ${r.batch} | ${r.runtime} | ${ms(r.split.dataMs)} | ${ms(r.split.buildMs)} | ${ms(r.split.stepMs)} | ${ms(r.firstStepMs)} |`);
  }
}
if (noPeers || peersOnly) process.exit(0);
for (const [model, batch] of [['Fashion MLP 784-100-100-100-10', 32], ['Fashion MLP 784-100-100-100-10', 256], ['CIFAR MLP 20×100', 128]]) {
  const rows = results.throughput.filter((r) => r.model === model && r.batch === batch && !r.error);
  const best = (prefix) => Math.max(0, ...rows.filter((r) => r.runtime.startsWith(prefix)).map((r) => r.samplesPerSecond));
  console.log(`${model} batch ${batch}: best ours / best TF.js = ${fmt(best('DL101') / best('TF.js'), 2)}×, `
    + `best ours / best jax-js = ${fmt(best('DL101') / best('jax-js'), 2)}×`);
}
if (webgpuOnly) process.exit(0);
const l = results.loading;
console.log(`\nfirst lesson text ${fmt(l.firstTextMs)} ms, first widget ready ${fmt(l.firstWidgetMs)} ms after navigation (median of 5)`);
console.log(`before the first text: ${l.files.join(', ')} = ${fmt(l.raw)} B raw, ${fmt(l.gzip)} B gzip`);
for (const [backend, rows] of Object.entries(results.memory)) {
  const at = (n) => rows.find((r) => r.run === n) ?? {};
  const change = (k) => fmt((at(RUNS)[k] / at(2)[k] - 1) * 100, 1);
  console.log(`memory (${backend}) after run 2 / run ${RUNS}: page JS heap ${fmt(at(2).jsHeap)} / ${fmt(at(RUNS).jsHeap)} B (${change('jsHeap')} %); `
    + `worker wasm ${fmt(at(2).workerWasm)} / ${fmt(at(RUNS).workerWasm)} B (${change('workerWasm')} %); device in use after reset ${fmt(at(2).deviceInUse)} / ${fmt(at(RUNS).deviceInUse)} B`);
}
console.log(`\nwritten: ${path.relative(ROOT, path.join(OUT, 'browser.json'))}`);
