// Every core at work: on the CPU a widget's runs train in a pool of workers, one part each, and
// the widget still sees one job. Checked here: the same seed gives the same numbers in two
// workers as in one; pause, step, resume and reset reach every worker; a reset closes the helper
// (its memory goes back to the system); a helper that dies fails the job with a retry, and the
// retry trains in two workers again.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { bar, click, newPage, open, siteAndBrowsers, slugOf, steps, waitStatus, waitSteps } from './lib.mjs';

const env = siteAndBrowsers();
const w = 'optimizer-race';

/// A page of lesson 06 whose race trains in `workers` workers (the `dl101.workers` setting).
async function racePage(workers, query) {
  const page = await newPage(env.cpu, { viewport: { width: 1280, height: 900 } });
  await page.addInitScript((n) => localStorage.setItem('dl101.workers', String(n)), workers);
  await open(page, `${env.site.base}/en/${slugOf('06-')}?${query}`);
  return page;
}

/// Waits until the page has `n` workers (Playwright hears of a closed one shortly after).
async function waitWorkers(page, n, timeout, what) {
  const since = Date.now();
  while (page.workers().length !== n && Date.now() - since < timeout) await page.waitForTimeout(200);
  assert.equal(page.workers().length, n, what);
}

/// Each current run's label, last loss (exact) and test accuracy, from the results table.
const results = (page) => page.locator(`[data-widget="${w}"] table.results tbody tr[data-loss-last]`)
  .evaluateAll((rows) => rows.map((r) => ({
    run: r.cells[0].innerText, loss: r.getAttribute('data-loss-last'), test: r.cells[2].innerText,
  })));

describe('a pool of training workers', () => {
  test('a race of 3 optimizers in 2 workers trains to the same numbers as in 1', async () => {
    const query = `${w}.optimizers=sgd,momentum,adam&${w}.epochs=1&${w}.seed=7`;
    const seen = [];
    for (const workers of [1, 2]) {
      const page = await racePage(workers, query);
      await click(page, w, 'train');
      await waitStatus(page, w, ['finished']);
      assert.equal(page.workers().length, workers, `${workers} worker(s) trained`);
      const rows = await results(page);
      assert.equal(rows.length, 3, JSON.stringify(rows));
      for (const row of rows) assert.ok(Number(row.loss) > 0 && /%/.test(row.test), JSON.stringify(row));
      seen.push(rows);
      assert.deepEqual(page.problems, []);
      await page.context().close();
    }
    assert.deepEqual(seen[1], seen[0], 'two workers, the same runs');
  });

  test('pause, step, resume and reset reach both workers; the reset closes the helper', async () => {
    const page = await racePage(2, `${w}.optimizers=sgd,momentum,adam&${w}.epochs=30`);
    await click(page, w, 'train');
    await waitSteps(page, w, 30);
    assert.equal(page.workers().length, 2);
    await click(page, w, 'pause');
    await waitStatus(page, w, ['paused']);
    const paused = await steps(page, w);
    await page.waitForTimeout(1500);
    assert.equal(await steps(page, w), paused, 'no worker trains while paused');
    await click(page, w, 'step');
    // One step of each of the three runs, in both workers, then paused again.
    await waitSteps(page, w, paused + 3, 30000);
    await waitStatus(page, w, ['paused']);
    assert.equal(await steps(page, w), paused + 3);
    await click(page, w, 'resume');
    await waitSteps(page, w, paused + 30);
    await click(page, w, 'reset');
    await waitStatus(page, w, ['stopped']);
    assert.ok(Number(await bar(page, w).getAttribute('data-worker-bytes')) > 0, 'both workers reported their memory');
    await waitWorkers(page, 1, 30000, 'the helper is closed after the reset, worker 0 stays');
    // And the next race starts a helper again.
    await click(page, w, 'train');
    await waitSteps(page, w, 10);
    assert.equal(page.workers().length, 2);
    await click(page, w, 'reset');
    await waitStatus(page, w, ['stopped']);
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });

  test('a helper that dies fails the job with a retry; the retry trains in two workers', async () => {
    const page = await racePage(2, `${w}.optimizers=sgd,adam&${w}.epochs=30`);
    await click(page, w, 'train');
    await waitSteps(page, w, 20);
    const workers = page.workers();
    assert.equal(workers.length, 2);
    await workers[1].evaluate(() => setTimeout(() => { throw new Error('test: a helper crashes'); }, 0));
    await waitStatus(page, w, ['failed'], 30000);
    assert.match(await bar(page, w).locator('.run-status').innerText(), /test: a helper crashes/);
    await waitWorkers(page, 1, 5000, 'the dead helper is gone');
    await click(page, w, 'retry');
    await waitSteps(page, w, 10);
    assert.equal(page.workers().length, 2, 'a new helper trains');
    await click(page, w, 'reset');
    await waitStatus(page, w, ['stopped']);
    assert.deepEqual(page.problems.filter((p) => !p.includes('test: a helper crashes')), []);
    await page.context().close();
  });
});
