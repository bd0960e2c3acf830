// The book shell in real Chromium: every lesson renders with MathML and no console error, the
// contents and previous/next navigate, language and theme switch and are remembered, deep links
// land on their heading, phones get a menu, and the device badge tells WebGPU from CPU.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ROOT, launch, lessons, newPage, open, serve, shot, topBarFit, until } from './lib.mjs';

const LESSONS = lessons();
let site;
let browser;

before(async () => {
  site = await serve(path.join(ROOT, 'dist'));
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await site?.close();
});

const h1 = (page) => page.locator('main h1').innerText();

describe('every lesson', () => {
  for (const lang of ['vi', 'en']) {
    test(`renders in ${lang} with its title, MathML and widget cards, without errors`, async () => {
      const page = await newPage(browser);
      for (const lesson of LESSONS) {
        await open(page, `${site.base}/${lang}/${lesson.slug}`);
        assert.equal(await h1(page), lesson[lang], `${lang}/${lesson.slug}`);
        assert.equal(await page.getAttribute('html', 'lang'), lang);
        assert.ok(await page.locator('main math').count() > 0, `${lang}/${lesson.slug} has MathML`);
        assert.equal(await page.locator('.widget-card').count(), lesson.widgets, `${lesson.slug} widget cards`);
        assert.match(await page.title(), new RegExp(lesson[lang].slice(0, 12).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
      }
      assert.deepEqual(page.problems, []);
      await page.context().close();
    });
  }
});

test('the root goes to the first lesson in Vietnamese', async () => {
  const page = await newPage(browser);
  await open(page, `${site.base}/`);
  await page.waitForURL(`${site.base}/vi/${LESSONS[0].slug}`);
  assert.equal(await h1(page), LESSONS[0].vi);
  await shot(page, 'desktop-vi-light');
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('contents, next, previous and back navigate', async () => {
  const page = await newPage(browser);
  await open(page, `${site.base}/vi/${LESSONS[0].slug}`);
  await page.locator('#contents a', { hasText: LESSONS[2].vi }).first().click();
  await page.waitForURL(`${site.base}/vi/${LESSONS[2].slug}`);
  assert.equal(await h1(page), LESSONS[2].vi);
  await page.locator('a[rel="next"]').click();
  await page.waitForURL(`${site.base}/vi/${LESSONS[3].slug}`);
  assert.equal(await h1(page), LESSONS[3].vi);
  await page.locator('a[rel="prev"]').click();
  await page.waitForURL(`${site.base}/vi/${LESSONS[2].slug}`);
  await page.goBack();
  await page.waitForURL(`${site.base}/vi/${LESSONS[3].slug}`);
  assert.equal(await h1(page), LESSONS[3].vi);
  await page.goForward();
  await page.waitForURL(`${site.base}/vi/${LESSONS[2].slug}`);
  assert.equal(await h1(page), LESSONS[2].vi);
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('the language switch swaps the text and is remembered', async () => {
  const page = await newPage(browser);
  const lesson = LESSONS[1];
  await open(page, `${site.base}/vi/${lesson.slug}`);
  const viText = await page.locator('main .prose').first().innerText();
  await page.locator('.lang-switch').click();
  await page.waitForURL(`${site.base}/en/${lesson.slug}`);
  assert.equal(await h1(page), lesson.en);
  assert.notEqual(await page.locator('main .prose').first().innerText(), viText);
  assert.equal(await page.locator('#contents .sidebar-title').textContent(), 'Contents');
  await shot(page, 'desktop-en-light');
  await open(page, `${site.base}/`);
  await page.waitForURL(`${site.base}/en/${LESSONS[0].slug}`);
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('the theme follows the system, toggles, and is remembered', async () => {
  const page = await newPage(browser, { colorScheme: 'dark' });
  await open(page, `${site.base}/en/${LESSONS[2].slug}`);
  assert.equal(await page.getAttribute('html', 'data-theme'), 'dark');
  const darkBg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  await shot(page, 'desktop-en-dark');
  await page.locator('.theme-toggle').click();
  assert.equal(await page.getAttribute('html', 'data-theme'), 'light');
  assert.notEqual(await page.evaluate(() => getComputedStyle(document.body).backgroundColor), darkBg);
  await page.reload({ waitUntil: 'domcontentloaded' });
  await page.waitForSelector('main h1');
  assert.equal(await page.getAttribute('html', 'data-theme'), 'light');
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('a deep link lands on its heading, and heading links in the contents scroll', async () => {
  const page = await newPage(browser, { viewport: { width: 1280, height: 720 } });
  const lesson = LESSONS[2];
  await open(page, `${site.base}/vi/${lesson.slug}`);
  const ids = await page.locator('main .prose h2[id]').evaluateAll((els) => els.map((e) => e.id));
  assert.ok(ids.length >= 3, 'the lesson has headings');
  const target = ids[ids.length - 2];
  await open(page, `${site.base}/vi/${lesson.slug}#${target}`);
  // True when the heading `id` sits in the top half of the window.
  const atTop = (id) => {
    const top = document.getElementById(id).getBoundingClientRect().top;
    return top >= 0 && top < window.innerHeight / 2;
  };
  await until(page, 'the deep link to scroll down', () => window.scrollY > 200, null, 30000);
  assert.ok(await page.evaluate(atTop, target), `#${target} is at the top of the window`);
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.locator(`#contents a[href$="#${ids[1]}"]`).click();
  await until(page, `heading ${ids[1]} at the top`, atTop, ids[1], 30000);
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('an unknown lesson or language shows a way back, not a blank page', async () => {
  const page = await newPage(browser);
  await open(page, `${site.base}/vi/99-khong-co`);
  assert.equal(await h1(page), 'Không tìm thấy trang');
  await page.locator('main a', { hasText: 'Về bài đầu tiên' }).click();
  await page.waitForURL(`${site.base}/vi/${LESSONS[0].slug}`);
  await open(page, `${site.base}/xx/${LESSONS[0].slug}`);
  assert.equal(await h1(page), 'Không tìm thấy trang');
  await page.context().close();
});

test('on a phone the contents open from a menu button', async () => {
  const page = await newPage(browser, { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  await open(page, `${site.base}/vi/${LESSONS[3].slug}`);
  const sidebar = page.locator('#contents');
  const hidden = await sidebar.evaluate((el) => el.getBoundingClientRect().right <= 0);
  assert.ok(hidden, 'contents start off-screen');
  await shot(page, 'phone-vi-light');
  await page.locator('.menu-button').click();
  assert.equal(await page.getAttribute('.menu-button', 'aria-expanded'), 'true');
  await until(page, 'the phone menu to open', () => document.getElementById('contents').getBoundingClientRect().left >= 0, null, 30000);
  await shot(page, 'phone-vi-menu');
  await page.locator('#contents a', { hasText: LESSONS[4].vi }).first().click();
  await page.waitForURL(`${site.base}/vi/${LESSONS[4].slug}`);
  const phoneDark = await newPage(browser, { viewport: { width: 390, height: 844 }, colorScheme: 'dark' });
  await open(phoneDark, `${site.base}/en/${LESSONS[6].slug}`);
  await shot(phoneDark, 'phone-en-dark');
  assert.deepEqual([...page.problems, ...phoneDark.problems], []);
  await phoneDark.context().close();
  await page.context().close();
});

test('keyboard: the skip link and the contents are reachable with Tab', async () => {
  const page = await newPage(browser);
  await open(page, `${site.base}/en/${LESSONS[0].slug}`);
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.className), 'skip-link');
  await page.keyboard.press('Enter');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'main');
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('on a 360 px phone the top bar fits: the title is whole beside the device badge', async () => {
  const page = await newPage(browser, { viewport: { width: 360, height: 740 } });
  await open(page, `${site.base}/vi/${LESSONS[6].slug}`);
  const { badgeWidth, ...fit } = await topBarFit(page);
  assert.ok(badgeWidth > 0);
  assert.deepEqual(fit, { whole: true, apart: true, inside: true });
  await shot(page, 'phone-topbar-vi');
  await page.context().close();
});

test('the device badge names the WebGPU adapter the reader chose, or says why the CPU', async () => {
  const page = await newPage(browser);
  await open(page, `${site.base}/en/${LESSONS[0].slug}`);
  await until(page, 'the device badge to stop probing', () => document.querySelector('.device-badge')?.innerText.includes('…') === false, null, 30000);
  // SwiftShader, the only adapter here, is software: not the default.
  assert.equal(await page.locator('.device-badge').innerText(), 'CPU · faster than software WebGPU');
  assert.match(await page.getAttribute('.device-badge', 'title'), /^CPU · WebGPU here is google swiftshader \(software\), the CPU is faster$/);
  await page.evaluate(() => localStorage.setItem('dl101.backend', 'webgpu'));
  await page.reload();
  await until(page, 'the device badge to stop probing', () => document.querySelector('.device-badge')?.innerText.includes('…') === false, null, 30000);
  assert.match(await page.locator('.device-badge').innerText(), /^WebGPU: \S+/);
  await page.context().close();
  const plain = await launch({ webgpu: false });
  const cpuPage = await newPage(plain);
  await open(cpuPage, `${site.base}/en/${LESSONS[0].slug}`);
  await until(cpuPage, 'the device badge to stop probing', () => document.querySelector('.device-badge')?.innerText.includes('…') === false, null, 30000);
  assert.match(await cpuPage.locator('.device-badge').innerText(), /^CPU/);
  assert.ok((await cpuPage.getAttribute('.device-badge', 'title')).length > 0, 'the reason is given');
  await plain.close();
});

test('lesson furniture: display math, code, callouts, self-checks and widget cards', async () => {
  const page = await newPage(browser, { viewport: { width: 1280, height: 900 } });
  await open(page, `${site.base}/vi/${LESSONS[2].slug}`);
  const shotOf = async (selector, name) => {
    const element = page.locator(selector).first();
    await element.scrollIntoViewIfNeeded();
    await element.screenshot({ path: path.join(ROOT, 'e2e', 'artifacts', `${name}.png`) });
  };
  await shotOf('main math[display="block"]', 'element-display-math');
  await shotOf('main pre.code[data-lang="python"]', 'element-code-python');
  assert.ok(await page.locator('main pre.code .hl-keyword, main pre.code .hl-storage').count() > 0, 'code is highlighted');
  await shotOf('main .widget-card', 'element-widget-card');
  const check = page.locator('main .check').first();
  const answer = check.locator('.check-answer > div');
  assert.equal(await answer.isVisible(), false, 'the answer starts hidden');
  await check.locator('summary').click();
  assert.equal(await answer.isVisible(), true, 'the answer shows on click');
  await shotOf('main .check', 'element-self-check');
  // The site's own Rust code is folded under a title, closed; the Python listings stay open.
  const listing = page.locator('main details.listing').first();
  assert.equal(await listing.locator('summary').innerText(), 'Mã Rust (Burn) mà widget chạy');
  assert.equal(await listing.locator('pre.code').isVisible(), false, 'the Burn code starts folded');
  assert.equal(await page.locator('main details.listing pre.code[data-lang="python"]').count(), 0);
  await listing.locator('summary').click();
  assert.equal(await listing.locator('pre.code[data-lang="rust"]').isVisible(), true, 'it opens on click');
  await shotOf('main details.listing', 'element-listing-open');
  for (const lesson of LESSONS) {
    await open(page, `${site.base}/vi/${lesson.slug}`);
    if (await page.locator('main .callout').count() > 0) {
      await shotOf('main .callout', 'element-callout');
      break;
    }
  }
  assert.deepEqual(page.problems, []);
  await page.context().close();
});
