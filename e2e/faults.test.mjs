// Faults a reader's browser meets, provoked in real Chromium: the training worker dies mid-run,
// the WebGPU device is lost mid-run,
// the address holds hostile values, a cached data file is altered, the storage quota is too small,
// sliders are dragged in a storm, two tabs train at once, twenty runs follow each other across
// three widgets. Each test checks what the reader sees and that nothing they had is lost.
import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, test } from 'node:test';
import { ARTIFACTS, bar, click, launch, newPage, open, siteAndBrowsers, slugOf, steps, until, waitStatus, waitSteps } from './lib.mjs';

const env = siteAndBrowsers();


const savedRuns = (page, widget) => page.evaluate((w) => {
  const text = localStorage.getItem(`dl101.runs.v1.${w}`);
  return text === null ? [] : JSON.parse(text).runs;
}, widget);

describe('the training worker dies', () => {
  test('mid-run: a new worker starts, the widget says so in Vietnamese, earlier runs stay, Retry trains', async () => {
    const page = await newPage(env.cpu, { viewport: { width: 1280, height: 900 } });
    const w = 'normalization';
    await open(page, `${env.site.base}/vi/${slugOf('04-')}?${w}.epochs=1&${w}.depth=3`);
    await click(page, w, 'train');
    await waitStatus(page, w, ['finished']);
    assert.equal((await savedRuns(page, w)).length, 1, 'the first run is saved');
    // A long run this time, so that the worker dies in the middle of it.
    await open(page, `${env.site.base}/vi/${slugOf('04-')}?${w}.epochs=30&${w}.depth=3`);
    await click(page, w, 'train');
    await waitSteps(page, w, 20);
    const workers = page.workers();
    assert.equal(workers.length, 1, 'one training worker');
    // An uncaught error inside the worker, as a panic or a trap would raise.
    await workers[0].evaluate(() => setTimeout(() => { throw new Error('test: the worker crashes'); }, 0));
    await waitStatus(page, w, ['failed'], 30000);
    const status = await bar(page, w).locator('.run-status').innerText();
    assert.match(status, /Worker huấn luyện đã dừng đột ngột/);
    assert.match(status, /test: the worker crashes/);
    assert.equal((await savedRuns(page, w)).length, 1, 'the earlier run is still saved');
    const lossPoints = Number(await page.locator(`[data-widget="${w}"] canvas`).first().getAttribute('data-points'));
    assert.ok(lossPoints > 0, 'the loss chart still shows the runs');
    await page.locator(`[data-widget="${w}"]`).screenshot({ path: path.join(ARTIFACTS, 'fault-worker-crash.png') });
    await click(page, w, 'retry');
    await waitSteps(page, w, 5);
    assert.match(await page.locator('.device-badge').innerText(), /^CPU/);
    await click(page, w, 'reset');
    await waitStatus(page, w, ['stopped']);
    assert.equal(page.workers().length, 1, 'the dead worker is gone, one runs');
    assert.deepEqual(page.problems.filter((p) => !p.includes('test: the worker crashes')), []);
    await page.context().close();
  });
});

describe('the WebGPU device is lost', () => {
  test('mid-run: the job moves to the CPU and says why in Vietnamese, the badge follows, the run goes on', async () => {
    const page = await newPage(env.gpu, { viewport: { width: 1280, height: 900 } });
    const w = 'activation-explorer';
    await open(page, `${env.site.base}/vi/${slugOf('03-')}?${w}.epochs=1`);
    await page.locator(`[data-widget="${w}"]`).scrollIntoViewIfNeeded();
    await page.locator(`[data-widget="${w}"] .device-switch select`).selectOption('webgpu');
    const backend = () => page.locator('.device-badge').getAttribute('data-backend');
    await until(page, 'the badge to say WebGPU after the switch',
      () => document.querySelector('.device-badge')?.getAttribute('data-backend') === 'webgpu', null, 60000);
    await click(page, w, 'train');
    await waitSteps(page, w, 3);
    assert.equal(await backend(), 'webgpu');
    const workers = page.workers();
    assert.equal(workers.length, 1, 'one training worker');
    // The real fault: the GPU device is destroyed under Burn, at its next command encoder (what a
    // driver reset or a GPU process crash does). Nothing in the site's code is there for tests.
    await workers[0].evaluate(() => {
      const encoder = GPUDevice.prototype.createCommandEncoder;
      GPUDevice.prototype.createCommandEncoder = function lose(...args) {
        GPUDevice.prototype.createCommandEncoder = encoder;
        this.destroy();
        return encoder.apply(this, args);
      };
    });
    await until(page, 'the badge to move to the CPU',
      () => document.querySelector('.device-badge')?.getAttribute('data-backend') === 'cpu', null, 60000);
    const badge = page.locator('.device-badge');
    assert.equal(await badge.getAttribute('data-reason'), 'lost');
    assert.match(await badge.getAttribute('title'), /WebGPU gặp lỗi khi huấn luyện \(Destroyed: Device was destroyed\.\), đã chuyển sang CPU/);
    const notice = page.locator(`[data-widget="${w}"] [data-notice="device-lost"]`);
    assert.match(await notice.innerText(), /^WebGPU gặp lỗi khi huấn luyện .*đã chuyển sang CPU$/);
    // The job started again on the CPU and trains on.
    const before = await steps(page, w);
    await waitSteps(page, w, before + 20, 120000);
    assert.equal(page.workers().length, 1, 'the same worker, no restart');
    assert.notEqual(await bar(page, w).locator('.run-status').getAttribute('data-status'), 'failed');
    await page.locator(`[data-widget="${w}"]`).screenshot({ path: path.join(ARTIFACTS, 'fault-device-lost.png') });
    await click(page, w, 'reset');
    await waitStatus(page, w, ['stopped']);
    assert.deepEqual(page.problems.filter((p) => !/lost|destroyed|Destroyed/i.test(p)), []);
    await page.context().close();
  });
});

describe('hostile and oversized addresses', () => {
  test('markup, 10 kB values and unknown keys are shown as text in a notice, with no error or CSP violation', async () => {
    const page = await newPage(env.cpu);
    let dialog = false;
    page.on('dialog', async (d) => { dialog = true; await d.dismiss(); });
    const w = 'optimizer-race';
    const hostile = encodeURIComponent('<img src=x onerror=alert(1)>');
    const huge = '9'.repeat(10000);
    await open(page, `${env.site.base}/vi/${slugOf('06-')}?${w}.lr=${hostile}&${w}.epochs=${huge}`
      + `&${w}.no-such-key=1&no-such-widget.lr=1&${w}.optimizers=${hostile}`);
    const notice = page.locator(`[data-widget="${w}"] .widget-notice`);
    await notice.waitFor();
    const text = await notice.innerText();
    assert.match(text, /<img src=x onerror=alert\(1\)>/, 'the markup is shown as text');
    assert.match(text, /no-such-key/);
    assert.ok(text.length < 1000, `the notice stays short: ${text.length} characters`);
    assert.equal(await page.locator('main img[src="x"]').count(), 0, 'no element was injected');
    assert.equal(await page.locator(`[data-widget="${w}"] [data-field="lr"] output`).innerText(), '0.05');
    await click(page, w, 'step');
    await waitSteps(page, w, 1);
    assert.equal(dialog, false, 'no script ran');
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });
});

describe('the browser cache', () => {
  test('an altered cached file is caught by its SHA-256, downloaded again, and training goes on', async () => {
    const page = await newPage(env.cpu);
    const w = 'regularization';
    await open(page, `${env.site.base}/en/${slugOf('08-')}?${w}.epochs=1`);
    await click(page, w, 'step');
    await waitSteps(page, w, 1);
    await click(page, w, 'reset');
    const altered = await page.evaluate(async () => {
      const cache = await caches.open('dl101-data-v1');
      const keys = await cache.keys();
      for (const request of keys) await cache.put(request, new Response(new Uint8Array([1, 2, 3, 4])));
      return keys.length;
    });
    assert.ok(altered >= 5, `cached files altered: ${altered}`);
    const downloads = [];
    page.on('request', (r) => { if (r.url().includes('/data/fashion-mnist/')) downloads.push(r.url()); });
    await open(page, `${env.site.base}/en/${slugOf('08-')}?${w}.epochs=1`);
    await click(page, w, 'step');
    await waitSteps(page, w, 1);
    assert.equal(Number(await bar(page, w).getAttribute('data-cached-files')), 0, 'no altered file was used');
    assert.ok(downloads.length >= 5, `downloaded again: ${downloads.length}`);
    const healed = await page.evaluate(async () => {
      const cache = await caches.open('dl101-data-v1');
      const sizes = [];
      for (const request of await cache.keys()) sizes.push((await (await cache.match(request)).arrayBuffer()).byteLength);
      return sizes;
    });
    assert.ok(healed.every((n) => n > 4), `the cache holds the real files again: ${healed}`);
    await click(page, w, 'reset');
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });

  test('a storage quota too small for the data: training goes on without the cache, with a notice', async () => {
    const page = await newPage(env.cpu);
    const client = await page.context().newCDPSession(page);
    await client.send('Storage.overrideQuotaForOrigin', { origin: new URL(env.site.base).origin, quotaSize: 100000 });
    const w = 'regularization';
    await open(page, `${env.site.base}/vi/${slugOf('08-')}?${w}.epochs=1`);
    await click(page, w, 'step');
    await waitSteps(page, w, 1);
    const notice = page.locator(`[data-widget="${w}"] [data-notice="uncached"]`);
    await notice.waitFor();
    assert.match(await notice.innerText(), /Bộ nhớ của trình duyệt đã đầy/);
    await click(page, w, 'resume');
    await waitSteps(page, w, 20);
    await click(page, w, 'reset');
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });
});

describe('many changes, many tabs', () => {
  test('a slider storm: 200 changes of lr, batch and seed in a row leave one job with the last values', async () => {
    const page = await newPage(env.cpu, { viewport: { width: 1280, height: 900 } });
    const w = 'optimizer-race';
    await open(page, `${env.site.base}/en/${slugOf('06-')}?${w}.optimizers=sgd,adam&${w}.epochs=30`);
    await click(page, w, 'train');
    await waitSteps(page, w, 5);
    const field = (key) => page.locator(`[data-widget="${w}"] [data-field="${key}"]`);
    const keys = ['lr', 'batch', 'seed'];
    // As fast as Playwright can press: how long that takes depends on the machine, so it is
    // printed, not asserted (the page's responsiveness is measured in bench/, "longtask").
    const started = Date.now();
    for (let i = 0; i < 200; i += 1) {
      // Ten presses on one slider, then the next slider.
      if (i % 10 === 0) await field(keys[(i / 10) % 3]).locator('input').focus();
      await page.keyboard.press(i % 20 < 10 ? 'ArrowRight' : 'ArrowLeft');
    }
    console.log(`# slider storm: 200 changes in ${Date.now() - started} ms`);
    await waitStatus(page, w, ['running']);
    const before = await steps(page, w);
    await until(page, 'steps to go on after the storm',
      ([w, n]) => Number(document.querySelector(`[data-widget="${w}"] .run-bar`).getAttribute('data-steps')) > n,
      [w, before], 60000);
    const url = new URL(page.url());
    for (const key of keys) {
      const shown = (await field(key).locator('output').innerText()).trim();
      const inUrl = url.searchParams.get(`${w}.${key}`);
      if (inUrl !== null) {
        assert.ok(Math.abs(Number(inUrl) - Number(shown)) <= 1e-3 * Math.abs(Number(shown)),
          `${key}: shown ${shown}, in the address ${inUrl}`);
      }
    }
    // Worker 0 and at most one helper per core: no worker is left behind by the restarts.
    const pool = await page.evaluate(() => Math.min(4, navigator.hardwareConcurrency));
    assert.ok(page.workers().length <= pool, `${page.workers().length} workers, pool of ${pool}`);
    await click(page, w, 'reset');
    await waitStatus(page, w, ['stopped']);
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });

  test('two tabs train at once; both runs are saved, neither corrupts the other', async () => {
    const context = await env.cpu.newContext();
    const w = 'normalization';
    const tabs = [];
    for (let i = 0; i < 2; i += 1) {
      const page = await context.newPage();
      page.problems = [];
      page.on('pageerror', (err) => page.problems.push(err.message));
      page.on('console', (msg) => { if (msg.type() === 'error') page.problems.push(msg.text()); });
      // Different settings, so that the runs end at different times and can be told apart.
      await open(page, `${env.site.base}/en/${slugOf('04-')}?${w}.epochs=${1 + i}&${w}.depth=${3 + i}`);
      tabs.push(page);
    }
    await Promise.all(tabs.map((page) => click(page, w, 'train')));
    await Promise.all(tabs.map((page) => waitStatus(page, w, ['finished'], 240000)));
    // Another tab's writes reach this tab's view of localStorage shortly after.
    await until(tabs[0], 'both runs in storage', (key) =>
      JSON.parse(localStorage.getItem(key) ?? '{"runs":[]}').runs.length === 2, `dl101.runs.v1.${w}`, 10000);
    const runs = await savedRuns(tabs[0], w);
    assert.equal(runs.length, 2, 'both tabs saved their run');
    assert.deepEqual(runs.map((r) => r.settings.depth).sort(), [3, 4]);
    await tabs[1].reload();
    await tabs[1].locator(`[data-widget="${w}"] .run-bar`).waitFor();
    assert.equal(await tabs[1].locator(`[data-widget="${w}"] .widget-notice`).count(), 0, 'no corrupted-storage notice');
    for (const page of tabs) assert.deepEqual(page.problems, []);
    await context.close();
  });
});

describe('a long session', () => {
  test('20 consecutive runs across 3 widgets: worker and page memory stay within 10 % of run 6', async () => {
    const b = await launch({ webgpu: false, extra: ['--enable-precise-memory-info', '--js-flags=--expose-gc'] });
    const page = await newPage(b, { viewport: { width: 1280, height: 900 } });
    // Three widgets on two lessons, reached through the contents as a reader would (the worker
    // stays; every lesson change unmounts the widgets and resets their jobs).
    const plan = [['04-', 'normalization'], ['04-', 'gradient-clipping'], ['03-', 'activation-explorer']];
    await open(page, `${env.site.base}/en/${slugOf('04-')}`);
    const rows = [];
    for (let run = 1; run <= 20; run += 1) {
      const [lesson, w] = plan[(run - 1) % plan.length];
      if (await page.locator(`[data-widget="${w}"]`).count() === 0) {
        await page.locator(`.toc a[href*="${slugOf(lesson)}"]`).first().click();
        await page.locator(`[data-widget="${w}"] [data-action="train"]`).waitFor({ timeout: 30000 });
      }
      await page.locator(`[data-widget="${w}"]`).scrollIntoViewIfNeeded();
      await click(page, w, 'train');
      await waitSteps(page, w, 10);
      await click(page, w, 'reset');
      await waitStatus(page, w, ['stopped', 'finished']);
      await until(page, `${w} to report the worker's memory`,
        (x) => Number(document.querySelector(`[data-widget="${x}"] .run-bar`).getAttribute('data-worker-bytes')) > 0, w, 30000);
      const workerBytes = Number(await bar(page, w).getAttribute('data-worker-bytes'));
      const heap = await page.evaluate(() => { window.gc(); return performance.memory.usedJSHeapSize; });
      rows.push({ run, widget: w, workerBytes, heap });
    }
    // The baseline is run 6, when every widget has been mounted twice: the first visit to a lesson
    // adds its components' code to the heap once (~130 kB, measured), and each widget keeps its
    // last few runs (KEEP_RUNS) to draw faded, which fills up by run 15. Growth after that point is
    // what a leak would show.
    const at6 = rows[5];
    const at20 = rows[19];
    const series = rows.map((r) => r.heap).join(', ');
    assert.ok(at20.workerBytes <= at6.workerBytes * 1.1, `worker memory ${at6.workerBytes} → ${at20.workerBytes} B`);
    assert.ok(at20.heap <= at6.heap * 1.1, `page heap ${at6.heap} → ${at20.heap} B; by run: ${series}`);
    assert.equal(page.workers().length, 1, 'one worker');
    assert.deepEqual(page.problems, []);
    console.log(`soak: worker ${at6.workerBytes} → ${at20.workerBytes} B, page heap ${at6.heap} → ${at20.heap} B (by run: ${series})`);
    await b.close();
  });
});
