// Links and embeds written by hand (issue 10, item 5; issue 9's page leftovers): a link's missing keys take a
// named base (preset=, default the quick experiment), every link error stays listed and names its key, the
// embed fits its figures and key numbers in 800 × 600, hide= and fig= act in embed mode, an iframe hears the
// page's height, and the sweep view has an embed mode and refuses workers=999 and lr=abc,-1 by name.
// Each test fails on the page before these changes. Fails on any console error.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { open, screenshots, shot, start, text, waitStep } from './helpers.mjs';

let env;
before(async () => { env = await start(); });
after(async () => { await env?.close(); });

const noErrors = (page) => assert.deepEqual(page.errors, [], 'no console errors');
const app = (page, key) => page.evaluate((k) => window.spiketail.app[k], key);
// Width and height of a PNG file, from its IHDR chunk.
const pngSize = (file) => { const b = readFileSync(file); return [b.readUInt32BE(16), b.readUInt32BE(20)]; };

// A page whose link is refused never probes: open() would wait for a run, so wait for the engine only.
async function openRefused(hash, options = {}) {
  const ctx = await env.browser.newContext({ viewport: { width: 1280, height: 900, ...options } });
  const page = await ctx.newPage();
  page.errors = [];
  page.on('console', (m) => { if (m.type() === 'error') page.errors.push(m.text()); });
  page.on('pageerror', (e) => page.errors.push(e.message));
  await page.goto(env.url + hash);
  await page.waitForFunction(() => window.spiketail?.app?.engineReady);
  await page.waitForTimeout(600);  // past the engine's validation delay: nothing may start meanwhile
  return page;
}

test('the teacher’s link #embed=1&hide=lr,optimizer runs the quick experiment, and hide= acts in the embed', async () => {
  const page = await open(env, '#embed=1&hide=lr,optimizer', { width: 800, height: 600 });
  const config = await app(page, 'config');
  assert.deepEqual([config.n, config.d, config.h, config.num_steps], [600, 200, 300, 20], 'the quick experiment, not the study');
  assert.equal(await page.isVisible('#config-form'), false, 'settings folded in the embed');
  await page.click('#embed-settings');
  assert.equal(await page.isVisible('[name="n"]'), true);
  assert.equal(await page.isVisible('[name="lr"]'), false, 'hide=lr');
  assert.equal(await page.isVisible('[name="optimizer"]'), false, 'hide=optimizer');
  // hide=settings leaves no way to change anything.
  const locked = await open(env, '#embed=1&hide=settings', { width: 800, height: 600 });
  assert.equal(await locked.isVisible('#embed-settings'), false);
  noErrors(page);
  noErrors(locked);
  await page.context().close();
  await locked.context().close();
});

test('preset= names the base of a link; the link’s own values win', async () => {
  const page = await open(env, '#preset=adam-one&lr=0.25');
  const config = await app(page, 'config');
  assert.deepEqual([config.n, config.num_steps, config.lr, config.optimizer], [600, 1, 0.25, 'adam']);
  noErrors(page);
  await page.context().close();
});

test('link errors stay listed, name their key, and start nothing; a value is never replaced', async () => {
  const page = await openRefused('#preset=nope&lr=abc&colour=red&n=300&n=400&embed=2');
  const errors = await text(page, 'error');
  for (const key of ['preset', 'lr', 'colour', 'n', 'embed']) assert.match(errors, new RegExp(`\\b${key}\\b`), `names ${key}: ${errors}`);
  assert.match(errors, /unknown preset “nope”/);
  assert.match(errors, /“abc” is not a number/);
  assert.equal(await page.inputValue('[name="lr"]'), 'abc', 'the link’s text stays in its input');
  assert.equal(await page.getAttribute('[name="lr"]', 'aria-invalid'), 'true');
  assert.equal(await page.isDisabled('[data-testid="play"]'), true);
  assert.equal(await page.isDisabled('[data-testid="step"]'), true);
  assert.doesNotMatch(await page.textContent('#status'), /Ready/);
  assert.match(await page.textContent('#status'), /Cannot run this link/);
  assert.equal(await app(page, 'live'), false, 'no run started');
  // Still there a while later, and the address is the link as given.
  await page.waitForTimeout(1000);
  assert.match(await text(page, 'error'), /colour/);
  assert.match(await page.evaluate(() => location.hash), /preset=nope/);
  await shot(page, 'link-errors');
  // Choosing an experiment takes over from the link.
  await page.selectOption('#preset', 'quick');
  await page.waitForFunction(() => window.spiketail.app.live && window.spiketail.app.run?.probes?.length > 0);
  assert.equal(await page.isHidden('[data-testid="error"]'), true);
  noErrors(page);
  await page.context().close();
  // Names an object already has (JavaScript's own) are no view and no setting either.
  const odd = await openRefused('#view=constructor&toString=1');
  assert.match(await text(odd, 'error'), /view: unknown view “constructor”/);
  assert.match(await text(odd, 'error'), /unknown setting “toString”/);
  assert.equal(await odd.isDisabled('[data-testid="play"]'), true);
  noErrors(odd);
  await odd.context().close();
});

test('an embed at 800 × 600 shows the chosen figures and the key numbers', async () => {
  const page = await open(env, '#preset=quick&embed=1&fig=esd,alpha', { width: 800, height: 600 });
  await page.click('[data-testid="play"]');
  await waitStep(page, 20);
  const file = join(screenshots, 'embed-800x600.png');
  await page.screenshot({ path: file });
  assert.deepEqual(pngSize(file), [800, 600]);
  const inside = async (selector) => {
    const box = await page.locator(selector).first().boundingBox();
    assert.ok(box && box.width > 0, `${selector} visible`);
    assert.ok(box.x >= 0 && box.y >= 0 && box.x + box.width <= 800 && box.y + box.height <= 600,
      `${selector} within 800 × 600: ${JSON.stringify(box)}`);
  };
  for (const s of ['[data-testid="esd-plot"]', '#fig-alpha', '[data-testid="alpha-hill"]', '[data-testid="alpha-ks"]',
    '[data-testid="play"]', '[data-testid="step-count"]']) await inside(s);
  assert.equal(await page.isVisible('#fig-loss'), false, 'figures not chosen are not shown');
  assert.match(await text(page, 'alpha-hill'), /^\d\.\d+$/);
  const height = await page.evaluate(() => document.body.getBoundingClientRect().height);
  assert.ok(height <= 600, `content height ${height} fits 600`);
  noErrors(page);
  await page.context().close();
});

test('a narrow embed stacks its two figures without horizontal scrolling', async () => {
  const page = await open(env, '#embed=1&fig=esd,alpha', { width: 390, height: 700 });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `wider than the frame by ${overflow}px`);
  const esd = await page.locator('[data-testid="esd-plot"]').boundingBox();
  const alpha = await page.locator('#fig-alpha').boundingBox();
  assert.ok(alpha.y >= esd.y + esd.height, 'α below the ESD');
  noErrors(page);
  await page.context().close();
});

test('an iframe hears the page’s height (spiketail:height)', async () => {
  const ctx = await env.browser.newContext({ viewport: { width: 900, height: 900 } });
  const host = await ctx.newPage();
  await host.goto(`${env.url}examples/blog.html`);
  const heights = await host.waitForFunction(() => {
    const frames = [...document.querySelectorAll('iframe')];
    return frames.length === 2 && frames.every((f) => parseInt(f.style.height, 10) > 300) && frames.map((f) => f.style.height);
  }, null, { timeout: 30000 });
  console.log(`# blog.html frames sized to ${JSON.stringify(await heights.jsonValue())}`);
  // The message itself: a number, as the page measures its own body.
  const frame = host.frames().find((f) => f !== host.mainFrame());
  const own = await frame.evaluate(() => Math.ceil(document.body.getBoundingClientRect().height));
  const heard = await host.evaluate(() => window.heardHeights);
  assert.ok(heard.includes(own), `heard ${heard}, page is ${own}`);
  await host.screenshot({ path: join(screenshots, 'blog.png'), fullPage: true });
  await ctx.close();
});

test('the sweep view: embed mode, a base preset, and workers / lr errors named', async () => {
  const page = await openRefused('#view=sweep&embed=1&repeat=1&fig=alpha_hill,sim_w_beta', { width: 800, height: 600 });
  await page.waitForFunction(() => window.spiketail.sweep?.plan?.ok);
  const plan = await page.evaluate(() => ({ runs: window.spiketail.sweep.plan.runs.length, n: window.spiketail.sweep.plan.config.n }));
  assert.deepEqual(plan, { runs: 18, n: 400 }, 'repeat=1 on the reduced LR sweep, not one run at full size');
  assert.equal(await page.isVisible('#sweep-form'), false);
  assert.equal(await page.isVisible('[data-testid="sweep-start"]'), true);
  assert.equal(await page.isVisible('[data-testid="sweep-plot-alpha_hill"]'), true);
  assert.equal(await page.isVisible('[data-testid="sweep-plot-kta"]'), false);
  await shot(page, 'sweep-embed');
  noErrors(page);
  await page.context().close();

  const bad = await openRefused('#view=sweep&workers=999&lr=abc,-1');
  await bad.waitForFunction(() => /lr\[1\]/.test(document.querySelector('[data-testid="sweep-error"]').textContent));
  const errors = await bad.textContent('[data-testid="sweep-error"]');
  assert.match(errors, /Workers \(workers\): must be a whole number from 1 to 16 \(got 999\)/);
  assert.match(errors, /lr\[0\]\): “abc” is not a number/);
  assert.match(errors, /lr\[1\]\): must be finite and > 0/);
  assert.equal(await bad.inputValue('[name="sweep.workers"]'), '999');
  assert.equal(await bad.inputValue('[name="sweep.lr"]'), 'abc,-1');
  assert.equal(await bad.isDisabled('[data-testid="sweep-start"]'), true);
  noErrors(bad);
  await bad.context().close();
});

test('docs/embedding.md: the engine module runs from a page of one’s own (examples/engine.html)', async () => {
  const ctx = await env.browser.newContext();
  const page = await ctx.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  await page.goto(`${env.url}examples/engine.html`);
  await page.waitForSelector('#out[data-done="true"]', { timeout: 30000 });
  const lines = (await page.textContent('#out')).split('\n');
  console.log(`# examples/engine.html: ${JSON.stringify(lines)}`);
  assert.deepEqual(lines.map((l) => Number(/^step (\d+):/.exec(l)?.[1])), [0, 1, 2, 3, 4, 5]);
  assert.ok(lines.every((l) => /alpha_hill \d\.\d{3}, spikes \d+$/.test(l)));
  assert.deepEqual(errors, []);
  await ctx.close();
});
