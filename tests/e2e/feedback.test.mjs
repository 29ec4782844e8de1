// Form feedback (issue 10, item 6): Play/Step disabled with the reason while a field does not parse or is out
// of range (γ in (0, 1] included), exact messages, a bad import that names what is wrong and keeps the run,
// Step after the end, "1 step", no flash of errors while a link loads, the Copy link box that closes, and the
// skip link that moves focus without touching the hash. Each test fails on the page before these changes.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { SMALL, hashOf, open, setFields, start, text, waitStep } from './helpers.mjs';

let env;
before(async () => { env = await start(); });
after(async () => { await env?.close(); });

const noErrors = (page) => assert.deepEqual(page.errors, [], 'no console errors');
const status = (page) => page.textContent('#status');

test('a field that does not parse or is out of range disables Play and Step, with the reason', async () => {
  const page = await open(env, hashOf({ ...SMALL, num_steps: 3 }));
  const cases = [
    ['n', '', /Training samples n \(n\): enter a value/],
    ['n', 'abc', /“abc” is not a number/],
    ['n', '12.5', /“12\.5” is not a whole number/],
    ['n', '1e', /“1e” is not a number/],
    ['lr', 'abc', /Learning rate η \(lr\): “abc” is not a number/],
    ['lr', '1e400', /“1e400” is too large to be a number/],
    ['lr_scheduler.gamma', '2', /Decay factor γ \(lr_scheduler\.gamma\): must be in \(0, 1\] \(got 2\)/],
  ];
  for (const [key, value, message] of cases) {
    console.log(`# ${key} = "${value}"`);
    await setFields(page, { [key]: value });
    await page.waitForFunction((re) => new RegExp(re).test(document.getElementById('status').textContent), message.source);
    assert.equal(await page.isDisabled('[data-testid="play"]'), true, `${key}=${value}: Play disabled`);
    assert.equal(await page.isDisabled('[data-testid="step"]'), true, `${key}=${value}: Step disabled`);
    assert.doesNotMatch(await status(page), /Ready/);
    assert.match(await text(page, 'error'), message);
    assert.equal(await page.getAttribute(`[name="${key}"]`, 'aria-invalid'), 'true');
    // The p key does nothing either.
    await page.locator('body').press('p');
    assert.equal(await page.evaluate(() => window.spiketail.app.running), false);
    await setFields(page, { n: '300', lr: '0.5', 'lr_scheduler.gamma': '1' });
    await page.waitForSelector('[data-testid="play"]:enabled');
  }
  noErrors(page);
  await page.context().close();
});

test('a bad import names what is wrong and keeps the run on screen', async () => {
  const page = await open(env, hashOf({ ...SMALL, num_steps: 2 }));
  await page.click('[data-testid="play"]');
  await waitStep(page, 2);
  const before = await page.evaluate(() => ({ probes: window.spiketail.app.run.probes.length, n: window.spiketail.app.config.n }));
  const ok = await page.evaluate(() => window.spiketail.importRun('{"config":{"n":"abc","lr":-1},"probes":[]}', 'bad.json'));
  assert.equal(ok, false);
  const errors = await text(page, 'error');
  assert.match(errors, /Could not import bad\.json/);
  assert.match(errors, /n: expected an integer/);
  assert.match(errors, /lr: must be finite and > 0/);
  assert.match(errors, /probes: the list is empty/);
  const after = await page.evaluate(() => ({ probes: window.spiketail.app.run.probes.length, n: window.spiketail.app.config.n }));
  assert.deepEqual(after, before, 'the run and the form are unchanged');
  assert.equal(await text(page, 'step-count'), '2');
  noErrors(page);
  await page.context().close();
});

test('Step after the end continues the run and says so; "1 step"', async () => {
  const page = await open(env, hashOf({ ...SMALL, num_steps: 1 }));
  await page.click('[data-testid="play"]');
  await waitStep(page, 1);
  assert.match(await status(page), /Done: 1 step\./);
  await page.click('[data-testid="step"]');
  await waitStep(page, 2);
  assert.equal(await page.textContent('#step-total'), '2', 'never "step 2 of 1"');
  assert.equal(await page.inputValue('[name="num_steps"]'), '2');
  assert.match(await status(page), /had done its 1 step, so Step continued it and “Steps” is now 2/);
  assert.match(await page.evaluate(() => location.hash), /num_steps=2/);
  noErrors(page);
  await page.context().close();
});

test('no flash of errors, and no “Ready” over an empty chart, while a link loads', async () => {
  const ctx = await env.browser.newContext({ viewport: { width: 1280, height: 900 } });
  await ctx.addInitScript(() => {
    window.statusLog = [];
    const watch = () => {
      const status = document.getElementById('status'), errors = document.getElementById('errors');
      const record = () => window.statusLog.push(`${status.textContent} | ${errors.hidden ? '' : errors.textContent} | ` +
        `probes ${window.spiketail?.app?.run?.probes?.length ?? 0}`);
      new MutationObserver(record).observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true, attributeFilter: ['hidden'] });
      record();
    };
    document.addEventListener('DOMContentLoaded', watch);
  });
  const page = await ctx.newPage();
  page.errors = [];
  page.on('console', (m) => { if (m.type() === 'error') page.errors.push(m.text()); });
  await page.goto(env.url + hashOf({ ...SMALL, lr: 0.5, num_steps: 4 }));
  await page.waitForFunction(() => window.spiketail?.app?.live && window.spiketail.app.run?.probes?.length > 0);
  const log = await page.evaluate(() => window.statusLog);
  // Neither an error nor "Ready" over an empty chart (the study's run took 3.7 s to its first probe).
  const bad = log.filter((l) => /Fix the|Cannot run|not a number/.test(l) || /Ready.* probes 0$/.test(l));
  assert.deepEqual(bad, [], `status while loading: ${JSON.stringify([...new Set(log)])}`);
  noErrors(page);
  await ctx.close();
});

test('the Copy link box closes with its button and with Esc', async () => {
  const page = await open(env, hashOf({ ...SMALL, num_steps: 2 }));
  await page.click('#copy-link');
  await page.waitForSelector('#share:not([hidden])');
  await page.click('#share-close');
  assert.equal(await page.isHidden('#share'), true);
  await page.click('#copy-embed');
  await page.waitForSelector('#share:not([hidden])');
  assert.match(await page.inputValue('#share-text'), /<iframe src=".*embed=1.*" width="800" height="600"/);
  await page.keyboard.press('Escape');
  assert.equal(await page.isHidden('#share'), true);
  assert.equal(await page.evaluate(() => document.activeElement.id), 'copy-embed', 'focus back on the button');
  noErrors(page);
  await page.context().close();
});

test('the skip link moves focus to the figures without touching the hash', async () => {
  const page = await open(env, hashOf({ ...SMALL, lr: 0.25, num_steps: 2 }));
  await page.click('[data-testid="play"]');
  await waitStep(page, 2);
  const hash = await page.evaluate(() => location.hash);
  await page.focus('a.skip');
  await page.keyboard.press('Enter');
  await page.waitForTimeout(400);
  assert.equal(await page.evaluate(() => location.hash), hash);
  assert.equal(await page.evaluate(() => document.activeElement.id), 'views');
  const after = await page.evaluate(() => ({ lr: window.spiketail.app.config.lr, step: window.spiketail.app.step, errors: document.getElementById('errors').hidden }));
  assert.deepEqual(after, { lr: 0.25, step: 2, errors: true }, 'the run on screen and its settings are kept');
  noErrors(page);
  await page.context().close();
});
