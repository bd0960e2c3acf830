import path from 'node:path';
import { ROOT, launch, newPage, open, serve } from './lib.mjs';
const site = await serve(path.join(ROOT, 'dist'));
const browser = await launch();
const page = await newPage(browser, { viewport: { width: 1280, height: 1000 } });
for (const spec of process.argv.slice(2)) {
  const [route, sel, name, nth] = spec.split('|');
  await open(page, `${site.base}/${route}`);
  const el = page.locator(sel).nth(Number(nth ?? 0));
  await el.scrollIntoViewIfNeeded();
  await page.evaluate(() => window.scrollBy(0, -80));
  await page.screenshot({ path: `/tmp/look-${name}.png` });
}
console.log(page.problems);
await browser.close(); await site.close();
