// The live widgets in real Chromium: every widget mounts and draws; Burn trains in the worker on
// WebGPU (SwiftShader here) and on the CPU backend; loss falls; pause, resume, one step and reset
// work and reset frees device memory; a live change keeps the run, a structural one restarts it;
// bad URL settings fall back with a notice; a failed download offers a retry; the data comes
// from the browser cache the second time. Screenshots of every widget go to e2e/artifacts.
import assert from 'node:assert/strict';
import path from 'node:path';
import { describe, test } from 'node:test';
import { ARTIFACTS, bar, click, englishWords, lessons, newPage, open, siteAndBrowsers, slugOf, steps, until, waitStatus, waitSteps } from './lib.mjs';

const LESSONS = lessons();
const env = siteAndBrowsers();

const status = (page, widget) => bar(page, widget).locator('.run-status').getAttribute('data-status');

describe('every widget mounts and draws', () => {
  test('on every lesson, each widget has its controls and charts, without errors', async () => {
    const page = await newPage(env.gpu, { viewport: { width: 1280, height: 900 } });
    for (const lesson of LESSONS) {
      await open(page, `${env.site.base}/en/${lesson.slug}`);
      const widgets = page.locator('.widget-card.live');
      assert.equal(await widgets.count(), lesson.widgets, lesson.slug);
      for (let i = 0; i < lesson.widgets; i += 1) {
        const widget = widgets.nth(i);
        const name = await widget.getAttribute('data-widget');
        await widget.scrollIntoViewIfNeeded();
        // Every canvas has drawn something (a chart, or the "no data yet" message).
        await until(page, `every chart of ${lesson.slug}/${name} to draw`,
          (el) => [...el.querySelectorAll('canvas')].every((c) => c.getAttribute('data-kind')),
          await widget.elementHandle(), 60000);
        assert.ok(await widget.locator('canvas').count() > 0, `${name} has charts`);
        await widget.screenshot({ path: path.join(ARTIFACTS, `widget-${lesson.slug}-${name}.png`) });
      }
    }
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });

  test('the pure widgets draw data at once: sigmoid curves, loss-surface paths, activation curves', async () => {
    const page = await newPage(env.gpu);
    await open(page, `${env.site.base}/en/${slugOf('01-')}`);
    await until(page, 'the sigmoid curves', () => Number(document.querySelector('[data-widget="sigmoid-saturation"] canvas')?.getAttribute('data-points')) > 100, null, 30000);
    await open(page, `${env.site.base}/en/${slugOf('00-')}`);
    await until(page, 'the loss surface', () => {
      const c = document.querySelector('[data-widget="loss-surface"] canvas');
      return c?.getAttribute('data-kind') === 'surface' && Number(c.getAttribute('data-points')) > 1000;
    });
    await open(page, `${env.site.base}/en/${slugOf('03-')}`);
    await until(page, 'the activation curves', () => Number(document.querySelector('[data-widget="activation-explorer"] canvas')?.getAttribute('data-points')) > 100);
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });

  test('the loss surface is drawn before the worker answers, never as "…"', async () => {
    const page = await newPage(env.cpu);
    // Records what the loss-surface chart first draws: the page draws the surface itself at once;
    // the paths can only come later, from the worker.
    await page.addInitScript(() => {
      new MutationObserver((changes, observer) => {
        for (const c of changes) {
          if (c.target.closest?.('[data-widget="loss-surface"]') && c.attributeName === 'data-kind') {
            window.__firstSurfaceDraw = { kind: c.target.getAttribute('data-kind'), points: c.target.getAttribute('data-points') };
            observer.disconnect();
            return;
          }
        }
      }).observe(document, { attributes: true, subtree: true, attributeFilter: ['data-kind'] });
    });
    await open(page, `${env.site.base}/vi/${slugOf('00-')}`);
    await until(page, 'the loss-surface chart to draw', () => window.__firstSurfaceDraw !== undefined, null, 30000);
    const first = await page.evaluate(() => window.__firstSurfaceDraw);
    assert.equal(first.kind, 'surface', 'the first drawing is the surface, not a "…" placeholder');
    // data-points counts the surface's cells, then the paths' points on top of them: 3 optimizers
    // × 201 points here.
    const cells = Number(first.points);
    assert.ok(cells > 1000, `surface cells ${cells}`);
    await until(page, 'the paths to join the surface', (n) => Number(document.querySelector('[data-widget="loss-surface"] canvas')?.getAttribute('data-points')) >= n + 3 * 201, cells);
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });
});

describe('every training widget trains', () => {
  test('one step of every training widget on every Vietnamese lesson (CPU backend): charts receive data, no English words, even in notices', async () => {
    const page = await newPage(env.cpu, { viewport: { width: 1280, height: 900 } });
    for (const lesson of LESSONS) {
      await open(page, `${env.site.base}/vi/${lesson.slug}`);
      const names = await page.locator('.widget-card.live .run-bar').evaluateAll(
        (bars) => bars.map((b) => b.closest('[data-widget]').getAttribute('data-widget')));
      if (names.length) {
        // A mistyped value and an unknown key for every widget: their notices are Vietnamese too.
        const query = names.map((w) => `${w}.lr=-1&${w}.epochs=x&${w}.colour=red`).join('&');
        await open(page, `${env.site.base}/vi/${lesson.slug}?${query}`);
        assert.equal(await page.locator('.widget-card.live .widget-notice').count() >= names.length, true, lesson.slug);
      }
      for (const w of names) {
        await page.locator(`[data-widget="${w}"]`).scrollIntoViewIfNeeded();
        await click(page, w, 'step');
        await waitSteps(page, w, 1, 120000);
        await waitStatus(page, w, ['paused']);
        const drawn = await page.locator(`[data-widget="${w}"] canvas`).evaluateAll(
          (cs) => cs.map((c) => Number(c.getAttribute('data-points'))));
        assert.ok(drawn.some((n) => n > 0), `${w}: a chart received data (${drawn})`);
        assert.deepEqual(await englishWords(page), [], `English on vi/${lesson.slug} after a step of ${w}`);
        await click(page, w, 'reset');
        await waitStatus(page, w, ['stopped']);
      }
      assert.deepEqual(await englishWords(page), [], `English on vi/${lesson.slug}`);
    }
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });

  test('corrupted saved runs are ignored with a notice', async () => {
    const page = await newPage(env.cpu);
    await page.addInitScript(() => localStorage.setItem('dl101.runs.v1.normalization', '{not json'));
    await open(page, `${env.site.base}/en/${slugOf('04-')}`);
    await page.locator('[data-widget="normalization"] .widget-notice').waitFor();
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });
});

describe('training on WebGPU', () => {
  test('a software adapter (SwiftShader) is not the default: the CPU is, and the page says why', async () => {
    const page = await newPage(env.gpu);
    const w = 'activation-explorer';
    await open(page, `${env.site.base}/vi/${slugOf('03-')}?${w}.epochs=1`);
    const badge = page.locator('.device-badge');
    await until(page, 'the device badge to name a backend', () => document.querySelector('.device-badge')?.getAttribute('data-backend'), null, 30000);
    assert.equal(await badge.getAttribute('data-backend'), 'cpu');
    assert.equal(await badge.getAttribute('data-reason'), 'software-adapter');
    assert.equal(await badge.innerText(), 'CPU · nhanh hơn WebGPU phần mềm');
    assert.match(await badge.getAttribute('title'), /^CPU · WebGPU ở đây là google swiftshader \(giả lập bằng phần mềm\), CPU nhanh hơn$/);
    const option = page.locator(`[data-widget="${w}"] .device-switch option[value="webgpu"]`);
    assert.match(await option.innerText(), /phần mềm/);
    // The worker, once started, makes the same choice and trains on the CPU.
    await click(page, w, 'step');
    await waitSteps(page, w, 1, 60000);
    assert.equal(await badge.getAttribute('data-backend'), 'cpu');
    assert.equal(await badge.getAttribute('data-reason'), 'software-adapter');
    await click(page, w, 'reset');
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });

  test('"measure which is faster": both backends are timed on the model, the faster trains, the result is kept', async () => {
    const page = await newPage(env.gpu, { viewport: { width: 1280, height: 900 } });
    const w = 'activation-explorer';
    await open(page, `${env.site.base}/vi/${slugOf('03-')}?${w}.epochs=1`);
    const select = page.locator(`[data-widget="${w}"] .device-switch select`);
    await select.selectOption('measure');
    await click(page, w, 'train');
    await waitSteps(page, w, 5, 120000);
    const badge = page.locator('.device-badge');
    // SwiftShader emulates the GPU on the CPU: measured, the CPU is the faster by far.
    assert.equal(await badge.getAttribute('data-backend'), 'cpu');
    assert.equal(await badge.getAttribute('data-reason'), 'measured');
    assert.equal(await badge.innerText(), 'CPU · nhanh hơn ở đây (đã đo)');
    const [webgpu, cpu] = (await select.getAttribute('data-rates')).split(',').map(Number);
    assert.ok(webgpu > 0 && cpu > webgpu, `measured samples/s: WebGPU ${webgpu}, CPU ${cpu}`);
    assert.match(await select.locator('option[value="cpu"]').innerText(), /^CPU · [\d.]+ mẫu\/giây$/);
    assert.match(await select.locator('option[value="webgpu"]').innerText(), /mẫu\/giây$/);
    await page.locator(`[data-widget="${w}"]`).screenshot({ path: path.join(ARTIFACTS, 'measured-device.png') });
    const kept = await page.evaluate(() => localStorage.getItem('dl101.measured.v1'));
    const entries = JSON.parse(kept);
    assert.equal(entries.length, 1);
    assert.equal(entries[0].adapter, 'google swiftshader');
    assert.match(entries[0].model, /^784-\d+x\d+-b\d+$/);
    await click(page, w, 'reset');
    await waitStatus(page, w, ['stopped']);
    // Next visit: the kept measurement decides at once, nothing is timed again.
    await page.reload();
    await until(page, 'the app to take over', () => !document.getElementById('boot') && !!document.querySelector('main h1'), null, 60000);
    await click(page, w, 'train');
    await waitSteps(page, w, 5, 60000);
    assert.equal(await badge.getAttribute('data-reason'), 'measured');
    assert.equal(await page.evaluate(() => localStorage.getItem('dl101.measured.v1')), kept, 'not measured again');
    await click(page, w, 'reset');
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });

  // SwiftShader runs WebGPU on the CPU: about a step a second here, so this run is short.
  test('chosen with the switch: trains, loss falls, pause/step/resume work, reset frees GPU memory', async () => {
    const page = await newPage(env.gpu, { viewport: { width: 1280, height: 900 } });
    const w = 'activation-explorer';
    await open(page, `${env.site.base}/en/${slugOf('03-')}?${w}.epochs=1&${w}.lr=0.05`);
    await page.locator(`[data-widget="${w}"]`).scrollIntoViewIfNeeded();
    await page.locator(`[data-widget="${w}"] .device-switch select`).selectOption('webgpu');
    await until(page, 'the badge to say WebGPU after the switch',
      () => document.querySelector('.device-badge')?.getAttribute('data-backend') === 'webgpu', null, 60000);
    await click(page, w, 'train');
    await waitSteps(page, w, 20);
    assert.match(await page.locator('.device-badge').innerText(), /^WebGPU: \S+/);
    await click(page, w, 'pause');
    await waitStatus(page, w, ['paused']);
    const paused = await steps(page, w);
    await page.waitForTimeout(2500);
    assert.equal(await steps(page, w), paused, 'no steps while paused');
    await click(page, w, 'step');
    await waitSteps(page, w, paused + 1, 60000);
    await waitStatus(page, w, ['paused']);
    await click(page, w, 'resume');
    await waitSteps(page, w, paused + 10);
    await click(page, w, 'pause');
    const first = Number(await bar(page, w).getAttribute('data-loss-first'));
    const last = Number(await bar(page, w).getAttribute('data-loss-last'));
    assert.ok(last < first * 0.95, `loss falls: ${first} → ${last}`);
    assert.ok(Number(await page.locator(`[data-widget="${w}"] canvas`).nth(1).getAttribute('data-points')) > 20);
    await page.locator(`[data-widget="${w}"]`).screenshot({ path: path.join(ARTIFACTS, 'trained-webgpu.png') });
    await click(page, w, 'reset');
    await waitStatus(page, w, ['stopped']);
    const inUse = await bar(page, w).getAttribute('data-memory-in-use');
    assert.ok(inUse !== '' && Number(inUse) < 1e6, `GPU memory in use after reset: ${inUse} bytes`);
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });
});

describe('without WebGPU', () => {
  test('the CPU backend trains a whole run with a test accuracy, and the badge says why', async () => {
    const page = await newPage(env.cpu);
    const w = 'normalization';
    await open(page, `${env.site.base}/en/${slugOf('04-')}?${w}.epochs=1&${w}.depth=3`);
    await click(page, w, 'train');
    await waitStatus(page, w, ['finished']);
    assert.match(await page.locator('.device-badge').innerText(), /^CPU/);
    assert.ok((await page.locator('.device-badge').getAttribute('title')).length > 0);
    const first = Number(await bar(page, w).getAttribute('data-loss-first'));
    const last = Number(await bar(page, w).getAttribute('data-loss-last'));
    assert.ok(last < first, `loss falls on the CPU: ${first} → ${last}`);
    const accuracy = Number(await bar(page, w).getAttribute('data-test-accuracy'));
    assert.ok(accuracy > 0.5, `test accuracy after one epoch: ${accuracy}`);
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });

  test("a run started with Train is named by the widget's subject, and so is the earlier run beside it", async () => {
    const page = await newPage(env.cpu);
    const w = 'lr-schedules';
    const lesson = `${env.site.base}/vi/${slugOf('07-')}`;
    const saved = () => page.evaluate((w) => JSON.parse(localStorage.getItem(`dl101.runs.v1.${w}`) ?? '{"runs":[]}').runs, w);
    await open(page, `${lesson}?${w}.epochs=1`);
    await click(page, w, 'train');
    await waitStatus(page, w, ['finished']);
    await open(page, `${lesson}?${w}.epochs=1&${w}.schedule=cosine&${w}.lr=0.1`);
    await click(page, w, 'train');
    await waitStatus(page, w, ['finished']);
    // Not twice "sgd · lr …": the schedule leads, then what the reader moved.
    assert.deepEqual((await saved()).map((r) => r.label), ['one-cycle', 'cosine · lr 0.1']);
    // The learning curves name the live run so (the earlier one is drawn faded, in the legend).
    const summaries = (await page.locator(`[data-widget="${w}"] .chart-summary`).allInnerTexts()).join('\n');
    assert.match(summaries, /Hàm mất mát khi huấn luyện: cosine · lr 0\.1: /, summaries);
    assert.doesNotMatch(summaries, /momentum · lr/, summaries);
    await page.locator(`[data-widget="${w}"]`).screenshot({ path: path.join(ARTIFACTS, 'train-run-labels-vi.png') });
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });

  test('a live change keeps the run; a structural change restarts it cleanly', async () => {
    const page = await newPage(env.cpu);
    const w = 'optimizer-race';
    await open(page, `${env.site.base}/en/${slugOf('06-')}?${w}.optimizers=sgd,adam&${w}.epochs=30&${w}.lr=0.01`);
    await click(page, w, 'train');
    await waitSteps(page, w, 40);
    const lr = page.locator(`[data-widget="${w}"] [data-field="lr"] input`);
    await lr.focus();
    await page.keyboard.press('ArrowRight');
    const before = await steps(page, w);
    await page.waitForTimeout(1000);
    assert.ok(await steps(page, w) > before, 'the run went on after a learning-rate change');
    assert.match(page.url(), /optimizer-race\.lr=/, 'the setting is in the address');
    const batch = page.locator(`[data-widget="${w}"] [data-field="batch"] input`);
    await batch.focus();
    // Polled from before the key press: a restart starts counting from zero again.
    const running = await steps(page, w);
    const restarted = page.waitForFunction(
      ([w, n]) => Number(document.querySelector(`[data-widget="${w}"] .run-bar`).getAttribute('data-steps')) < n,
      [w, running], { timeout: 60000, polling: 'raf' })
      .catch((e) => { throw new Error(`timed out waiting for the batch change to restart the run: ${e.message}`); });
    await page.keyboard.press('ArrowLeft');
    await restarted;
    await waitSteps(page, w, 5);
    assert.equal(await page.locator(`[data-widget="${w}"] canvas`).first().getAttribute('data-kind'), 'line');
    await click(page, w, 'reset');
    await waitStatus(page, w, ['stopped']);
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });
});

describe('leaving', () => {
  test('moving to another lesson while a widget trains stops its job without errors', async () => {
    const page = await newPage(env.cpu);
    const w = 'optimizer-race';
    await open(page, `${env.site.base}/en/${slugOf('06-')}?${w}.optimizers=sgd,adam&${w}.epochs=30`);
    await click(page, w, 'train');
    await waitSteps(page, w, 20);
    await page.locator('a[rel="next"]').click();
    await page.waitForURL(/07-/);
    // The next lesson's widget can train at once: the worker is free again.
    const next = 'lr-schedules';
    await click(page, next, 'train');
    await waitSteps(page, next, 5);
    await click(page, next, 'reset');
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });
});

describe('bad input and failures', () => {
  test('bad URL settings fall back to the lesson defaults with a notice', async () => {
    const page = await newPage(env.gpu);
    await open(page, `${env.site.base}/vi/${slugOf('06-')}?optimizer-race.lr=abc&optimizer-race.epochs=999&optimizer-race.optimizers=sgd,nope`);
    const notice = page.locator('[data-widget="optimizer-race"] .widget-notice');
    await notice.waitFor();
    const text = await notice.innerText();
    assert.match(text, /lr/);
    assert.match(text, /epochs/);
    assert.match(text, /nope/);
    assert.equal(await page.locator('[data-widget="optimizer-race"] [data-field="lr"] output').innerText(), '0.05');
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });

  test('a failed download is explained with a retry button; the retry trains; the cache serves the next visit', async () => {
    const page = await newPage(env.cpu);
    const w = 'regularization';
    let block = true;
    await page.route('**/data/fashion-mnist/train-images-00.idx.gz*', (route) =>
      block ? route.fulfill({ status: 503, body: 'down' }) : route.fallback());
    await open(page, `${env.site.base}/en/${slugOf('08-')}?${w}.epochs=1`);
    await click(page, w, 'train');
    await waitStatus(page, w, ['failed'], 60000);
    assert.match(await bar(page, w).locator('.run-status').innerText(), /train-images-00.*503/);
    // The widget cannot train: the figure of the chapter's runs stands in for the live charts.
    const figure = page.locator(`[data-widget="${w}"] .widget-figure`);
    assert.ok(await figure.isVisible(), 'the figure is shown while the widget cannot train');
    block = false;
    await click(page, w, 'retry');
    await waitSteps(page, w, 5);
    assert.equal(await figure.isVisible(), false, 'and hidden again once it trains');
    await click(page, w, 'reset');
    // A second visit reads every file from Cache Storage.
    await open(page, `${env.site.base}/en/${slugOf('08-')}?${w}.epochs=1`);
    await click(page, w, 'train');
    await waitSteps(page, w, 1);
    assert.ok(Number(await bar(page, w).getAttribute('data-cached-files')) >= 5, 'files from the cache');
    await click(page, w, 'reset');
    assert.deepEqual(page.problems.filter((p) => !p.includes('503')), []);
    await page.context().close();
  });
});
