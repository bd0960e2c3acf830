// Text first: a lesson's page carries the lesson, pre-rendered at build time, so it reads with
// JavaScript off; the app takes over in place without moving the heading, builds the same frame,
// fetches only the reader's language's book file, and says in that language when it cannot.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { ROOT, appShown, englishWords, lessons, newPage, open, shot, siteAndBrowsers, until } from './lib.mjs';

const LESSONS = lessons();
const env = siteAndBrowsers();
const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 360, height: 740 };
// A lesson with display math and widgets.
const RICH = LESSONS.find((l) => l.widgets > 0
  && /\$\$/.test(fs.readFileSync(path.join(ROOT, 'content', 'vi', `${l.slug}.md`), 'utf8'))) ?? LESSONS[2];

test('with JavaScript off a lesson shows its text, math, figures and widget cards', async () => {
  for (const [name, viewport] of [['desktop', DESKTOP], ['phone', PHONE]]) {
    const context = await env.cpu.newContext({ javaScriptEnabled: false, viewport });
    const page = await context.newPage();
    await page.goto(`${env.site.base}/vi/${RICH.slug}`, { waitUntil: 'load' });
    assert.equal(await page.locator('main h1').innerText(), RICH.vi);
    assert.ok((await page.locator('main .prose p').first().innerText()).length > 40, 'a paragraph');
    assert.ok(await page.locator('main math').count() > 0, 'MathML');
    assert.equal(await page.locator('main .widget-card').count(), RICH.widgets, 'widget cards');
    assert.ok(await page.locator('.noscript-note').isVisible(), 'the note says JavaScript is off');
    // Figures (none in today's lessons) load without scripts: lazy loading is off without them.
    const images = await page.locator('main img').evaluateAll((els) => els.map((e) => e.naturalWidth));
    assert.ok(images.every((w) => w > 0), `figures load: ${images}`);
    assert.ok(await page.locator('main math[display="block"]').count() > 0, 'display math');
    assert.deepEqual(await englishWords(page), [], 'no English words on the vi page');
    await shot(page, `textfirst-nojs-${name}`);
    await page.locator('main math[display="block"]').first().scrollIntoViewIfNeeded();
    await shot(page, `textfirst-nojs-${name}-math`);
    await context.close();
  }
});

/// The frame of the page as tags and classes, and the lesson's blocks as their HTML: what the
/// pre-rendered page and the app must agree on. The app's offline status (the service worker's,
/// at the foot of the contents, below everything the reader is reading) is the app's alone.
const frame = () => {
  const shape = (el) => `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}${[...el.classList].map((c) => `.${c}`).join('')}`;
  const shown = (c) => c.tagName !== 'NOSCRIPT' && !c.classList.contains('offline-status');
  const tree = (el) => [shape(el), ...[...el.children].filter(shown).flatMap((c) => tree(c).map((s) => `  ${s}`))];
  const layout = document.querySelector('.layout');
  const article = document.querySelector('main article.lesson');
  return {
    layout: [...layout.children].map(shape),
    topbar: tree(document.querySelector('.topbar')),
    contents: tree(document.getElementById('contents')),
    contentsText: [...document.getElementById('contents').children].filter(shown).map((c) => c.innerText).join('\n'),
    links: [...document.querySelectorAll('#contents a, .prev-next a')].map((a) => a.href),
    // Leptos leaves an empty comment after inner_html; it draws nothing.
    article: [...article.children].map((c) => (c.classList.contains('prose') ? c.innerHTML.replace(/<!---->/g, '')
      : c.classList.contains('widget-card') ? `widget ${c.dataset.widget}` : shape(c))),
  };
};

const boxes = () => {
  const box = (selector) => {
    const r = document.querySelector(selector).getBoundingClientRect();
    return [r.x, r.y, r.width, r.height].map((v) => Math.round(v * 10) / 10);
  };
  return { h1: box('main h1'), number: box('.lesson-number'), topbar: box('.topbar'), contents: box('#contents'),
    article: box('main article.lesson').slice(0, 3), scrollY: window.scrollY };
};

test('the app takes over in place: same frame, the heading does not move', async () => {
  for (const [name, viewport] of [['desktop', DESKTOP], ['phone', PHONE]]) {
    const page = await newPage(env.cpu, { viewport });
    let release;
    const held = new Promise((resolve) => { release = resolve; });
    await page.route('**/*_bg.wasm', async (route) => { await held; await route.continue(); });
    await page.goto(`${env.site.base}/vi/${RICH.slug}`, { waitUntil: 'domcontentloaded' });
    await page.waitForSelector('#boot main h1');
    await page.evaluate(() => document.fonts.ready);
    const before = { frame: await page.evaluate(frame), boxes: await page.evaluate(boxes) };
    await shot(page, `textfirst-before-app-${name}`);
    release();
    await until(page, 'the app to take over', appShown, null, 60000);
    await page.evaluate(() => document.fonts.ready);
    const after = { frame: await page.evaluate(frame), boxes: await page.evaluate(boxes) };
    await shot(page, `textfirst-after-app-${name}`);
    assert.deepEqual(after.boxes, before.boxes, `${name}: nothing moved`);
    assert.deepEqual(after.frame, before.frame, `${name}: the app draws the pre-rendered frame`);
    assert.deepEqual(page.problems, []);
    await page.context().close();
  }
});

test('the app fetches only the reader\'s book, the switch fetches the other, and neither is in the wasm', async () => {
  const page = await newPage(env.cpu, { viewport: DESKTOP });
  const books = [];
  page.on('request', (r) => { if (/\/books\//.test(r.url())) books.push(new URL(r.url()).pathname.split('/').pop()); });
  await open(page, `${env.site.base}/vi/${LESSONS[1].slug}`);
  assert.equal(books.length, 1, `one book file: ${books}`);
  assert.match(books[0], /^vi\.[0-9a-f]{16}\.json$/);
  await page.locator('.lang-switch').click();
  await page.waitForURL(`${env.site.base}/en/${LESSONS[1].slug}`);
  await until(page, 'the English lesson', (t) => document.querySelector('main h1')?.innerText === t, LESSONS[1].en, 30000);
  assert.equal(await page.locator('#contents .sidebar-title').textContent(), 'Contents');
  assert.ok(await page.locator('main math').count() > 0, 'the English lesson has its MathML');
  assert.deepEqual(books.map((b) => b.slice(0, 3)), ['vi.', 'en.'], `${books}`);
  await page.locator('.lang-switch').click();
  await until(page, 'the Vietnamese lesson again', (t) => document.querySelector('main h1')?.innerText === t, LESSONS[1].vi, 30000);
  assert.equal(books.length, 2, 'the Vietnamese book is not fetched twice');
  assert.deepEqual(await englishWords(page), []);
  assert.deepEqual(page.problems, []);
  await page.context().close();
  const dist = path.join(ROOT, 'dist');
  const wasm = fs.readdirSync(dist).find((f) => /^app-.*_bg\.wasm$/.test(f));
  const bytes = fs.readFileSync(path.join(dist, wasm));
  for (const title of [LESSONS[1].vi, LESSONS[1].en]) {
    assert.equal(bytes.includes(Buffer.from(title)), false, `the app wasm does not embed "${title}"`);
  }
});

test('a book that does not come leaves the text, says why in Vietnamese, and Retry works', async () => {
  const page = await newPage(env.cpu, { viewport: PHONE });
  await page.route('**/books/vi.*.json', (route) => route.abort('internetdisconnected'));
  await page.goto(`${env.site.base}/vi/${LESSONS[3].slug}`, { waitUntil: 'domcontentloaded' });
  const notice = page.locator('.book-problem');
  await notice.waitFor({ timeout: 60000 });
  assert.equal(await page.locator('main h1').innerText(), LESSONS[3].vi, 'the text stays');
  const text = await notice.evaluate((el) => { const c = el.cloneNode(true); c.querySelectorAll('code').forEach((n) => n.remove()); return c.innerText; });
  assert.match(text, /Không tải được bài học/);
  assert.doesNotMatch(text, /\b(the|lessons|network|Retry|failed)\b/i, text);
  await shot(page, 'textfirst-book-failed-phone');
  await page.unroute('**/books/vi.*.json');
  await notice.locator('button', { hasText: 'Thử lại' }).click();
  await until(page, 'the app to take over after Retry', appShown, null, 60000);
  assert.equal(await page.locator('main h1').innerText(), LESSONS[3].vi);
  assert.equal(await page.locator('.book-problem').count(), 0);
  await page.context().close();
});
