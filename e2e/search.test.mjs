// The search of the top bar in real Chromium: folded Vietnamese ("toi uu" finds "tối ưu"), deep
// links that land on their heading, the keyboard (/, arrows, Enter, Escape), the index fetched
// only on first use, no English on a Vietnamese page, the phone's icon, and a missing or broken
// index explained in the reader's language.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { englishWords, newPage, open, shot, siteAndBrowsers, slugOf, topBarFit, until } from './lib.mjs';

const env = siteAndBrowsers();
const DESKTOP = { viewport: { width: 1280, height: 800 } };
const PHONE = { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true };

const hits = (page) => page.locator('#search-results [role="option"]');
const hrefs = (page) => page.locator('#search-results a').evaluateAll((links) => links.map((a) => a.getAttribute('href')));
/// True when the element `id` sits in the top half of the window.
const atTop = (id) => {
  const top = document.getElementById(id)?.getBoundingClientRect().top ?? -1;
  return top >= 0 && top < window.innerHeight / 2;
};
const indexRequests = (urls, lang) => urls.filter((u) => u.endsWith(`/search/${lang}.json`)).length;

async function search(page, text) {
  await page.locator('#search-input').fill(text);
  await until(page, `results for "${text}"`, () => document.querySelectorAll('#search-results [role="option"]').length > 0, null, 30000);
}

test('"toi uu" finds the optimizers lesson; the index is fetched on first focus, once', async () => {
  const page = await newPage(env.cpu, DESKTOP);
  const urls = [];
  page.on('request', (request) => urls.push(request.url()));
  await open(page, `${env.site.base}/vi/${slugOf('00-')}`);
  await page.waitForLoadState('networkidle');
  assert.equal(indexRequests(urls, 'vi'), 0, 'no index before the box is used');
  await page.locator('#search-input').focus();
  await until(page, 'the index request', () => performance.getEntriesByType('resource').some((e) => e.name.endsWith('/search/vi.json')), null, 30000);
  await search(page, 'toi uu');
  const links = await hrefs(page);
  const optimizers = slugOf('06-');
  assert.ok(links[0].endsWith(`/vi/${optimizers}`), `the lesson titled "tối ưu" comes first: ${links[0]}`);
  const target = links.findIndex((href) => href.endsWith(`/vi/${optimizers}#chon-bo-toi-uu-nao`));
  assert.ok(target > 0, `"Chọn bộ tối ưu nào?" is among ${links.join(', ')}`);
  const heading = hits(page).nth(target).locator('.search-hit-heading');
  assert.equal(await heading.innerText(), 'Chọn bộ tối ưu nào?');
  assert.deepEqual(await heading.locator('mark').allInnerTexts(), ['tối', 'ưu']);
  assert.ok(await hits(page).first().locator('.search-hit-snippet mark').count() > 0, 'the snippet marks the match');
  await shot(page, 'search-desktop-vi');
  for (let i = 0; i < target; i += 1) await page.keyboard.press('ArrowDown');
  assert.equal(await page.getAttribute('#search-input', 'aria-activedescendant'), `search-hit-${target}`);
  await page.keyboard.press('Enter');
  await page.waitForURL(`${env.site.base}/vi/${optimizers}#chon-bo-toi-uu-nao`);
  await until(page, 'the heading at the top of the window', atTop, 'chon-bo-toi-uu-nao', 30000);
  // Another page, the same visit: the index is not fetched again.
  await page.locator('#search-input').focus();
  await search(page, 'adam');
  assert.equal(indexRequests(urls, 'vi'), 1, 'one fetch of the index');
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('"/" focuses the box; Enter opens the first result, Escape closes the list', async () => {
  const page = await newPage(env.cpu, DESKTOP);
  await open(page, `${env.site.base}/vi/${slugOf('02-')}`);
  await page.locator('main h1').click();
  await page.keyboard.press('/');
  await until(page, 'the search box to take focus', () => document.activeElement?.id === 'search-input', null, 10000);
  assert.equal(await page.inputValue('#search-input'), '', '"/" was the shortcut, not a character');
  await page.keyboard.type('chuan hoa');
  await until(page, 'results', () => document.querySelectorAll('#search-results [role="option"]').length > 0, null, 30000);
  const marks = await page.locator('#search-results mark').allInnerTexts();
  assert.ok(marks.some((m) => /^chuẩn$/i.test(m)) && marks.some((m) => /^ho[áa]$|^hó?a$/i.test(m)), `marks: ${marks.join(' ')}`);
  const first = (await hrefs(page))[0];
  assert.ok(first.includes(`/vi/${slugOf('04-')}`), `normalization first: ${first}`);
  await page.keyboard.press('/');
  assert.equal(await page.inputValue('#search-input'), 'chuan hoa/', 'in the box, "/" is typed');
  await page.keyboard.press('Backspace');
  await page.keyboard.press('Escape');
  assert.equal(await page.getAttribute('#search-input', 'aria-expanded'), 'false');
  assert.equal(await page.locator('.search-panel').isVisible(), false, 'Escape closes the list');
  await page.keyboard.press('ArrowDown');
  assert.equal(await page.locator('.search-panel').isVisible(), true, 'an arrow opens it again');
  await page.keyboard.press('ArrowUp');
  await page.keyboard.press('Enter');
  await page.waitForURL((url) => url.pathname.endsWith(first.replace(/#.*/, '')) && url.hash === (first.includes('#') ? first.slice(first.indexOf('#')) : ''));
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('an English search finds its heading and opens it', async () => {
  const page = await newPage(env.cpu, DESKTOP);
  await open(page, `${env.site.base}/en/${slugOf('01-')}`);
  await page.locator('#search-input').focus();
  await search(page, 'Linear WARMUP');
  const links = await hrefs(page);
  const schedules = slugOf('07-');
  const target = links.findIndex((href) => href.endsWith(`/en/${schedules}#linear-warmup`));
  assert.equal(target, 0, `"Linear warmup" heads the list: ${links.join(', ')}`);
  assert.match(await page.locator('.search-status').innerText(), /^\d+ results?/);
  await shot(page, 'search-desktop-en');
  await hits(page).first().locator('a').click();
  await page.waitForURL(`${env.site.base}/en/${schedules}#linear-warmup`);
  await until(page, 'the heading at the top of the window', atTop, 'linear-warmup', 30000);
  // A formula is found by its TeX.
  await page.locator('#search-input').focus();
  await search(page, 'operatorname');
  assert.ok(await hits(page).count() > 0);
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('no English words in the search of a Vietnamese page', async () => {
  const page = await newPage(env.cpu, DESKTOP);
  await open(page, `${env.site.base}/vi/${slugOf('03-')}`);
  await page.locator('#search-input').focus();
  await search(page, 'ham kich hoat');
  assert.deepEqual(await englishWords(page), []);
  await page.locator('#search-input').fill('khongcotukhoanay');
  await until(page, 'the empty answer', () => document.querySelector('.search-status')?.innerText.startsWith('Không có kết quả'), null, 10000);
  assert.deepEqual(await englishWords(page), []);
  assert.equal(await page.getAttribute('.search-toggle', 'aria-label'), 'Tìm kiếm');
  assert.deepEqual(page.problems, []);
  await page.context().close();
});

test('on a 360 px phone an icon opens the search, and the top bar still fits', async () => {
  for (const [lang, query, name] of [['vi', 'toi uu', 'search-phone-vi'], ['en', 'dropout', 'search-phone-en']]) {
    const page = await newPage(env.cpu, { ...PHONE, colorScheme: lang === 'en' ? 'dark' : 'light' });
    await open(page, `${env.site.base}/${lang}/${slugOf('06-')}`);
    const { badgeWidth, ...shape } = await topBarFit(page);
    const fit = { ...shape, badge: badgeWidth >= 84 };
    // 84 px: the badge's width at 360 px before the search button came.
    assert.deepEqual(fit, { whole: true, apart: true, inside: true, badge: true }, lang);
    assert.equal(await page.locator('#search-input').isVisible(), false, 'the box starts closed');
    await shot(page, `${name}-closed`);
    await page.locator('.search-toggle').click();
    await until(page, 'the box to open with focus', () => document.activeElement?.id === 'search-input', null, 10000);
    await search(page, query);
    const box = await page.locator('.search-panel').boundingBox();
    assert.ok(box.x >= 0 && box.x + box.width <= 361, `the results fit the screen: ${JSON.stringify(box)}`);
    await shot(page, name);
    await hits(page).first().locator('a').click();
    await until(page, 'the box to close after the pick', () => !document.querySelector('.search.open'), null, 10000);
    assert.deepEqual(page.problems, []);
    await page.context().close();
  }
});

test('a missing or broken index is explained in the reader\'s language', async () => {
  const page = await newPage(env.cpu, DESKTOP);
  let body = null;
  await page.route('**/search/vi.json', (route) => (body === null
    ? route.fulfill({ status: 404, contentType: 'text/html', body: 'not here' })
    : route.fulfill({ status: 200, contentType: 'application/json', body })));
  await open(page, `${env.site.base}/vi/${slugOf('01-')}`);
  await page.locator('#search-input').focus();
  await page.keyboard.type('adam');
  await until(page, 'the missing index to be explained', () => document.querySelector('.search-status.problem')?.innerText.includes('HTTP 404'), null, 30000);
  assert.match(await page.locator('.search-status').innerText(), /^Không tìm thấy tệp chỉ mục tìm kiếm trên máy chủ \(HTTP 404\)\. Hãy đóng ô tìm kiếm/);
  await shot(page, 'search-missing-vi');
  body = '{"version": 1, "language": "vi", "lessons": [';
  await page.locator('#search-input').blur();
  await page.locator('#search-input').focus();
  await until(page, 'the broken index to be explained', () => document.querySelector('.search-status.problem')?.innerText.startsWith('Tệp chỉ mục tìm kiếm bị hỏng'), null, 30000);
  // The 404 is the browser's own console line; nothing else went wrong.
  assert.deepEqual(page.problems.filter((p) => !p.includes('404')), []);
  await page.context().close();
});
