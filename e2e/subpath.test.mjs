// The static site built with --public-url /dl101/ works when hosted under that sub-path: lesson
// routes, reloads, styles, fonts, the math font and the lesson data all resolve.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { ROOT, launch, lessons, newPage, open, serve, shot } from './lib.mjs';

const LESSONS = lessons();
let site;
let browser;

before(async () => {
  site = await serve(path.join(ROOT, 'dist-sub'), '/dl101/');
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await site?.close();
});

test('lessons, links and assets resolve under /dl101/', async () => {
  const page = await newPage(browser);
  const failed = [];
  page.on('response', (r) => { if (r.status() >= 400) failed.push(`${r.status()} ${r.url()}`); });
  await open(page, `${site.base}/`);
  await page.waitForURL(`${site.base}/vi/${LESSONS[0].slug}`);
  await page.locator('a[rel="next"]').click();
  await page.waitForURL(`${site.base}/vi/${LESSONS[1].slug}`);
  await page.reload({ waitUntil: 'domcontentloaded' });
  await page.waitForSelector('main h1');
  assert.equal(await page.locator('main h1').innerText(), LESSONS[1].vi);
  const fonts = await page.evaluate(async () => {
    await document.fonts.ready;
    return [...document.fonts].filter((f) => f.status === 'loaded').map((f) => f.family);
  });
  assert.ok(fonts.some((f) => f.includes('Be Vietnam Pro')), `text font loaded: ${fonts}`);
  assert.ok(fonts.some((f) => f.includes('Latin Modern Math')), `math font loaded: ${fonts}`);
  const manifest = await page.evaluate(async () => (await fetch('data/manifest.json')).json());
  assert.equal(manifest['fashion-mnist'].sets.train.count, 60000);
  const shard = manifest['fashion-mnist'].sets.train.images[0].file;
  const status = await page.evaluate(async (file) => (await fetch(`data/${file}`)).status, shard);
  assert.equal(status, 200);
  assert.deepEqual(failed, []);
  assert.deepEqual(page.problems, []);
  await shot(page, 'subpath-vi');
  await page.context().close();
});

test('every asset the built page names exists in dist-sub', () => {
  const html = fs.readFileSync(path.join(ROOT, 'dist-sub', 'index.html'), 'utf8');
  const refs = [...html.matchAll(/(?:href|src)="\/dl101\/([^"]+)"/g)].map((m) => m[1]);
  assert.ok(refs.length >= 3, `references found: ${refs}`);
  for (const ref of refs) {
    assert.ok(fs.existsSync(path.join(ROOT, 'dist-sub', ref)), `${ref} exists`);
  }
  assert.match(html, /script-src 'self' 'wasm-unsafe-eval' 'sha256-/);
});
