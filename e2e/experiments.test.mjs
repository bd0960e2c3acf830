// Guided experiments, end to end in the browser on the CPU backend: the question before the run,
// the reader's prediction, one button that sets the widget up and trains, and the comparison of
// the reader's measured numbers with the chapter's. The answer is checked against what the page
// shows: the test reads the experiment's condition from the lesson source and recomputes which
// runs meet it from the values in the result table.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { ROOT, newPage, open, shot, siteAndBrowsers, slugOf, until } from './lib.mjs';

const env = siteAndBrowsers();

/// The `{{#experiment …}}` lines of a lesson, in order, with their parameters.
function experiments(lang, slug) {
  const text = fs.readFileSync(path.join(ROOT, 'content', lang, `${slug}.md`), 'utf8');
  return [...text.matchAll(/^\{\{#experiment (.*)\}\}$/gm)].map((m) =>
    Object.fromEntries(m[1].split(/\s+/).map((pair) => pair.split('='))));
}

/// Which runs meet `pick` ("below:0.5", "above:0.5", "highest", "lowest") given their values.
function meets(pick, values) {
  const finite = values.filter((v) => v !== null && !Number.isNaN(v));
  const [kind, x] = pick.split(':');
  return values.map((v) => {
    if (v === null || Number.isNaN(v)) return false;
    if (kind === 'below') return v < Number(x);
    if (kind === 'above') return v > Number(x);
    if (kind === 'highest') return v === Math.max(...finite);
    return v === Math.min(...finite);
  });
}

/// Runs the `index`-th experiment of `widget` after ticking `guess` (choice indexes); returns the
/// values and met flags the page shows.
async function runExperiment(page, widget, index, guess, timeout = 240000) {
  const card = page.locator(`[data-widget="${widget}"] .experiment[data-experiment="${index}"]`);
  await card.waitFor({ timeout: 60000 });
  assert.equal(await card.getAttribute('data-state'), 'ask');
  for (const i of guess) await card.locator(`input[data-choice="${i}"]`).check();
  await card.locator('[data-action="experiment"]').click();
  await until(page, `${widget} experiment ${index} to end`,
    ([w, i]) => document.querySelector(`[data-widget="${w}"] .experiment[data-experiment="${i}"]`)
      ?.getAttribute('data-state') === 'done', [widget, index], timeout);
  const rows = await card.locator('.experiment-table tbody tr').evaluateAll((trs) => trs.map((tr) => ({
    value: tr.querySelector('[data-value]').getAttribute('data-value'),
    met: tr.getAttribute('data-met') === 'true',
    cells: [...tr.children].map((c) => c.innerText.trim()),
  })));
  return { card, rows, values: rows.map((r) => (r.value === '' ? null : Number(r.value))) };
}

describe('guided experiments', () => {
  test('a training experiment on the CPU: predict, train, and the page reads the answer from the run', async () => {
    const slug = slugOf('04-');
    const [directive] = experiments('vi', slug);
    const choices = directive.vary.split(':')[1].split(',');
    const page = await newPage(env.cpu);
    await open(page, `${env.site.base}/vi/${slug}`);
    const card = page.locator('[data-widget="normalization"] .experiment').first();
    // The question is asked before anything runs: no result, no explanation yet.
    assert.ok((await card.locator('.experiment-question').innerText()).trim().length > 10);
    assert.equal(await card.locator('.experiment-table').count(), 0);
    assert.equal(await card.locator('.experiment-answer').count(), 0);
    assert.equal(await card.locator('input[data-choice]').count(), choices.length);
    const { rows, values } = await runExperiment(page, 'normalization', 0, [0]);
    assert.equal(rows.length, choices.length, 'one row per run');
    assert.ok(values.every((v) => v !== null && Number.isFinite(v)), `every run measured: ${values}`);
    // The page's answer is the condition applied to the reader's own numbers.
    assert.deepEqual(rows.map((r) => r.met), meets(directive.pick, values), `${directive.pick} on ${values}`);
    // The reader's guess is scored against it, the explanation and the run's conditions shown.
    const score = await card.locator('.experiment-score').innerText();
    const right = rows.filter((r, i) => r.met === (i === 0)).length;
    assert.match(score, new RegExp(`${right}`), score);
    assert.ok((await card.locator('.experiment-answer').innerText()).trim().length > 20);
    const conditions = await card.locator('.experiment-conditions').innerText();
    assert.match(conditions, /5\.000 ảnh/, conditions);
    assert.match(conditions, new RegExp(`${directive.epochs ?? ''} epoch`), conditions);
    if (directive.chapter) {
      const chapter = directive.chapter.split(',');
      rows.forEach((r, i) => {
        if (chapter[i] !== '-') {
          const shown = (Number(chapter[i]) * 100).toFixed(1).replace('.', ',');
          assert.ok(r.cells.some((c) => c.includes(shown)), `the chapter's ${chapter[i]} in ${r.cells}`);
        }
      });
    }
    // The widget was set to the experiment's settings: as many loss curves as runs.
    const lines = await page.locator('[data-widget="normalization"] canvas[data-kind="line"]').first().getAttribute('data-points');
    assert.ok(Number(lines) > 0);
    // Each run is named by what the experiment varies (not four times "sgd · lr 0.05") in the
    // charts' text; the accuracy chart says "kiểm định", not "valid".
    const summaries = await page.locator('[data-widget="normalization"] .chart-summary').allInnerTexts();
    const [loss, accuracy] = summaries;
    for (const choice of choices) {
      assert.ok(loss.includes(`${choice}: `), `${choice} in the loss summary: ${loss}`);
      assert.ok(accuracy.includes(`${choice} · kiểm định: `), `${choice} in the accuracy summary: ${accuracy}`);
    }
    assert.ok(!/\bvalid\b|\btrain\b/.test(accuracy), accuracy);
    await card.scrollIntoViewIfNeeded();
    await shot(page, 'experiment-normalization-vi');
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });

  test("before the first step, the race draws the chapter's reference runs, not a placeholder", async () => {
    const slug = slugOf('06-');
    const page = await newPage(env.cpu);
    await open(page, `${env.site.base}/vi/${slug}`);
    const race = '[data-widget="optimizer-race"]';
    await until(page, 'the race charts to draw the reference runs', (sel) => {
      const charts = [...document.querySelectorAll(`${sel} canvas.chart`)];
      return charts.length >= 2 && charts.slice(0, 2).every((c) => c.getAttribute('data-kind') === 'line'
        && Number(c.getAttribute('data-points')) > 0);
    }, race, 60000);
    assert.equal(await page.locator(`${race} .run-status`).getAttribute('data-status'), 'idle');
    // 10 epochs of each of the chapter's runs: a point per epoch per run, on both charts.
    const points = await page.locator(`${race} canvas.chart`).evaluateAll((cs) =>
      cs.slice(0, 2).map((c) => Number(c.getAttribute('data-points'))));
    for (const n of points) assert.ok(n >= 10 * 9, `${n} points`);
    await page.locator(race).scrollIntoViewIfNeeded();
    await shot(page, 'reference-runs-race-vi');
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });

  test("in print, and with JavaScript off, a widget shows the figure of the chapter's runs", async () => {
    const slug = slugOf('06-');
    const figureOf = (page) => page.locator('[data-widget="optimizer-race"] .widget-figure');
    const loaded = (page) => figureOf(page).locator('img').evaluate((img) => img.complete && img.naturalWidth > 0);
    // The live page: no figure on screen (the charts draw the runs), the figure in print.
    const page = await newPage(env.cpu);
    await open(page, `${env.site.base}/en/${slug}`);
    assert.equal(await figureOf(page).isVisible(), false, 'hidden on screen while the widget works');
    await page.emulateMedia({ media: 'print' });
    await figureOf(page).scrollIntoViewIfNeeded();
    assert.ok(await figureOf(page).isVisible(), 'shown in print');
    await until(page, 'the figure to load', () => {
      const img = document.querySelector('[data-widget="optimizer-race"] .widget-figure img');
      return img?.complete && img.naturalWidth > 0;
    }, null, 20000);
    assert.equal(await page.locator('[data-widget="optimizer-race"] .widget-body').isVisible(), false,
      'the controls and live charts are left out of print');
    assert.equal(await page.locator('.topbar').isVisible(), false);
    await shot(page, 'print-race-figure-en');
    assert.deepEqual(page.problems, []);
    await page.context().close();
    // Without JavaScript the pre-rendered card shows the same figure and the questions as text.
    const off = await newPage(env.cpu, { javaScriptEnabled: false });
    await off.goto(`${env.site.base}/vi/${slug}`, { waitUntil: 'load' });
    assert.ok(await figureOf(off).isVisible());
    assert.ok(await loaded(off), 'the SVG loads');
    const svg = await (await fetch(`${env.site.base}/${await figureOf(off).locator('img').getAttribute('src')}`)).text();
    assert.match(svg, /^<svg/);
    assert.match(svg, /độ chính xác/, 'the Vietnamese figure is labelled in Vietnamese');
    assert.ok((await off.locator('[data-widget="optimizer-race"] .experiment-question').count()) > 0);
    await figureOf(off).scrollIntoViewIfNeeded();
    await shot(off, 'jsoff-race-figure-vi');
    await off.context().close();
  });

  test('transfer learning on the CPU: A trains, then B ← A and B from scratch, and the page answers', async () => {
    // The one job that cuts its tasks from all 70,000 Fashion-MNIST images (the worker joins
    // its training splits again for it) and whose runs build on each other in one worker.
    const slug = slugOf('05-');
    const [directive] = experiments('en', slug);
    const page = await newPage(env.cpu);
    await open(page, `${env.site.base}/en/${slug}`);
    const { rows, values } = await runExperiment(page, 'transfer-learning', 0, [0]);
    assert.equal(rows.length, directive.reference.split(',').length, 'B ← A and B');
    assert.ok(values.every((v) => v !== null && v >= 0 && v <= 1), `test accuracies: ${values}`);
    assert.deepEqual(rows.map((r) => r.met), meets(directive.pick, values), `${directive.pick} on ${values}`);
    // A learned its 8 classes: far above chance (1/8) on its test set.
    const table = await page.locator('[data-widget="transfer-learning"] table.results tbody tr[data-loss-last]').evaluateAll(
      (trs) => trs.map((tr) => [...tr.children].map((c) => c.innerText.trim())));
    assert.deepEqual(table.map((r) => r[0]), ['A', 'B ← A', 'B'], JSON.stringify(table));
    assert.ok(parseFloat(table[0][2]) > 50, `A's test accuracy ${table[0][2]}`);
    await page.locator('[data-widget="transfer-learning"]').scrollIntoViewIfNeeded();
    await shot(page, 'experiment-transfer-en');
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });

  test('the sigmoid experiment computes at once, in English', async () => {
    const slug = slugOf('01-');
    const [directive] = experiments('en', slug);
    const depths = directive.vary.split(':')[1].split(',').map(Number);
    const page = await newPage(env.cpu);
    await open(page, `${env.site.base}/en/${slug}`);
    const { rows, values } = await runExperiment(page, 'sigmoid-saturation', 0, [], 10000);
    values.forEach((v, i) => assert.ok(Math.abs(v - 0.25 ** depths[i]) <= 1e-12 * 0.25 ** depths[i], `${v}`));
    assert.deepEqual(rows.map((r) => r.met), meets(directive.pick, values));
    const depth = await page.locator('#sigmoid-depth').inputValue();
    assert.equal(Number(depth), Math.max(...depths), 'the widget is set to the deepest net');
    assert.deepEqual(page.problems, []);
    await page.context().close();
  });
});
