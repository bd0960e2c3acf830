// Offline after the first visit (public/sw.js, scripts/precache.py): the service worker keeps the
// book; with the network off (the server shut down and the context offline) lessons open and a
// widget trains on the CPU from the data the worker cached; a redeploy is fetched in the
// background, the page keeps its version until the reader accepts the "new version" notice, and
// the reload brings the new version whole; the same works under a sub-path.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { ROOT, click, englishWords, launch, lessons, newPage, open, serve, shot, slugOf, tempDir, until, waitStatus, waitSteps } from './lib.mjs';

const LESSONS = lessons();
let browser;

before(async () => { browser = await launch({ webgpu: false }); });
after(async () => { await browser?.close(); });

/// Waits until the page says the book is kept for offline reading.
const keptOffline = (page) => until(page, 'the offline status to say "available offline"',
  () => document.querySelector('.offline-status')?.getAttribute('data-state') === 'ready', null, 120000);

/// The service worker's caches of the site's versions.
const shellCaches = (page) => page.evaluate(async () =>
  (await caches.keys()).filter((name) => name.startsWith('dl101-shell-')));

/// A copy of dist/ that a test may change (the datasets linked, not copied).
function copyOfDist() {
  const dir = tempDir();
  for (const entry of fs.readdirSync(path.join(ROOT, 'dist'))) {
    const from = path.join(ROOT, 'dist', entry);
    if (entry === 'data') fs.symlinkSync(from, path.join(dir, entry));
    else fs.cpSync(from, path.join(dir, entry), { recursive: true });
  }
  return dir;
}

/// Takes the network away: the server stops and the browser context goes offline.
async function goOffline(page, site) {
  await page.context().setOffline(true);
  await site.close();
}

test('after a first visit, lessons open and a widget trains on the CPU with the network off', async () => {
  const site = await serve(path.join(ROOT, 'dist'));
  const page = await newPage(browser, { viewport: { width: 1280, height: 900 } });
  const w = 'regularization';
  const trained = `${site.base}/vi/${slugOf('08-')}?${w}.epochs=1`;
  await open(page, trained);
  // First visit: the data comes from the network into the worker's cache.
  await click(page, w, 'train');
  await waitSteps(page, w, 3);
  await click(page, w, 'reset');
  await waitStatus(page, w, ['stopped']);
  await keptOffline(page);
  const status = page.locator('.offline-status');
  await status.locator('summary').click();
  await until(page, 'the kept data to be counted', () => /MB/.test(document.querySelector('[data-kept="data"]')?.textContent ?? ''));
  await status.scrollIntoViewIfNeeded();
  const text = await status.innerText();
  assert.match(text, /Đọc được khi không có mạng/);
  assert.match(text, /Bài học và giao diện: \d+\.\d MB/);
  assert.match(text, /Bộ máy huấn luyện: \d+\.\d MB/);
  await shot(page, 'offline-status-vi');
  assert.equal((await shellCaches(page)).length, 1);

  await goOffline(page, site);
  const other = LESSONS[2];
  await open(page, `${site.base}/vi/${other.slug}`);
  assert.equal(await page.locator('main h1').innerText(), other.vi);
  await page.reload({ waitUntil: 'domcontentloaded' });
  await page.waitForSelector('main h1');
  assert.equal(await page.locator('main h1').innerText(), other.vi);
  await page.waitForFunction(() => document.fonts.ready.then(() => [...document.fonts].some((f) => f.status === 'loaded')));
  // An address that is no lesson gets the book's own "not found" page, offline too.
  await open(page, `${site.base}/vi/no-such-lesson`);
  assert.match(await page.locator('main h1').innerText(), /Không tìm thấy/);

  await open(page, trained);
  await click(page, w, 'train');
  await waitSteps(page, w, 3);
  const bar = page.locator(`[data-widget="${w}"] .run-bar`);
  assert.ok(Number(await bar.getAttribute('data-cached-files')) >= 1, 'the data came from the worker\'s cache');
  assert.match(await page.locator('.device-badge').innerText(), /^CPU/);
  await page.locator(`[data-widget="${w}"]`).scrollIntoViewIfNeeded();
  await shot(page, 'offline-training-vi');
  await click(page, w, 'reset');
  assert.deepEqual(await englishWords(page), []);
  assert.deepEqual(page.problems.filter((p) => !p.includes('status of 404')), []);
  await page.context().close();
});

test('a redeploy: fetched in the background, the old version serves until the notice reloads into the new one', async () => {
  const dir = copyOfDist();
  const site = await serve(dir);
  const page = await newPage(browser, { viewport: { width: 1280, height: 900 } });
  const lesson = `vi/${LESSONS[1].slug}`;
  await open(page, `${site.base}/${lesson}`);
  await keptOffline(page);
  const [first] = await shellCaches(page);

  // The redeploy changes one file; the build would remake the manifest and stamp sw.js.
  fs.appendFileSync(path.join(dir, 'theme.js'), '\ndocument.documentElement.dataset.deploy = "2";\n');
  execFileSync('python3', [path.join(ROOT, 'scripts', 'precache.py'), dir]);
  const { version } = JSON.parse(fs.readFileSync(path.join(dir, 'precache.json'), 'utf8'));

  await page.reload({ waitUntil: 'domcontentloaded' });
  await page.waitForSelector('main h1');
  const notice = page.locator('.update-notice');
  await notice.waitFor({ timeout: 120000 });
  assert.match(await notice.innerText(), /Đã có phiên bản mới của sách\.\s*Tải lại/);
  assert.equal(await page.evaluate(() => document.documentElement.dataset.deploy), undefined,
    'until the reader reloads, every file comes from the old version');
  assert.deepEqual(await englishWords(page), []);
  await shot(page, 'offline-update-vi');
  await page.setViewportSize({ width: 360, height: 740 });
  await page.waitForTimeout(500); // the contents slide away
  await shot(page, 'offline-update-vi-phone');
  await page.locator('.menu-button').click();
  await page.locator('.offline-status').scrollIntoViewIfNeeded();
  await page.waitForTimeout(500);
  await shot(page, 'offline-status-vi-phone');
  // Another page load still gets the old version, and the notice again (in English here).
  await open(page, `${site.base}/en/${LESSONS[1].slug}`);
  await notice.waitFor({ timeout: 60000 });
  assert.match(await notice.innerText(), /A new version of the book is ready\.\s*Reload/);
  await shot(page, 'offline-update-en-phone');
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.locator('.offline-status summary').click();
  await until(page, 'the sizes in English', () => /Lessons and interface: \d/.test(document.querySelector('.offline-status')?.innerText ?? ''));
  await page.locator('.offline-status').scrollIntoViewIfNeeded();
  await page.waitForTimeout(500);
  await shot(page, 'offline-status-en');
  assert.equal(await page.evaluate(() => document.documentElement.dataset.deploy), undefined);

  const reloaded = page.waitForEvent('framenavigated', { timeout: 60000 });
  await notice.locator('button').click();
  await reloaded;
  await page.waitForSelector('main h1');
  await until(page, 'the new version to run', () => document.documentElement.dataset.deploy === '2', null, 60000);
  await keptOffline(page);
  assert.equal(await notice.count(), 0, 'no notice after the update');
  assert.deepEqual(await shellCaches(page), [`dl101-shell-${version}`], `the old cache ${first} is gone`);
  assert.deepEqual(page.problems, []);
  await page.context().close();
  await site.close();
});

test('under a sub-path (/dl101/): the service worker keeps the book and serves it offline', async () => {
  const site = await serve(path.join(ROOT, 'dist-sub'), '/dl101/');
  const page = await newPage(browser);
  await open(page, `${site.base}/vi/${LESSONS[0].slug}`);
  await keptOffline(page);
  const scope = await page.evaluate(async () => (await navigator.serviceWorker.ready).scope);
  assert.equal(scope, `${site.base}/`);
  await goOffline(page, site);
  await open(page, `${site.base}/en/${LESSONS[3].slug}`);
  assert.equal(await page.locator('main h1').innerText(), LESSONS[3].en);
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('the worker bundle has content-hashed names, and the page names it', () => {
  const dist = path.join(ROOT, 'dist');
  const html = fs.readFileSync(path.join(dist, 'index.html'), 'utf8');
  const loader = html.match(/<meta name="dl101-worker" content="(worker-[0-9a-f]{16}_loader\.js)">/)?.[1];
  assert.ok(loader, 'the page names a hashed loader');
  const shim = fs.readFileSync(path.join(dist, loader), 'utf8');
  for (const name of shim.match(/worker-[0-9a-f]{16}(_bg\.wasm|\.js)/g)) {
    assert.ok(fs.existsSync(path.join(dist, name)), `${name} exists`);
  }
  for (const name of ['worker.js', 'worker_bg.wasm', 'worker_loader.js']) {
    assert.ok(!fs.existsSync(path.join(dist, name)), `no unhashed ${name}`);
  }
  const manifest = JSON.parse(fs.readFileSync(path.join(dist, 'precache.json'), 'utf8'));
  const listed = manifest.files.map((f) => f.url);
  assert.ok(listed.includes(loader) && listed.includes('index.html') && listed.includes('data/manifest.json'));
  assert.ok(!listed.some((url) => url.startsWith('data/') && url !== 'data/manifest.json'), 'no datasets');
  assert.match(fs.readFileSync(path.join(dist, 'sw.js'), 'utf8'), new RegExp(`const VERSION = '${manifest.version}';`));
});
