// The page with and without cross-origin isolation (scripts/serve.mjs's headers): isolated, the single-run
// view runs the threaded module (spiketail-threads.mjs) on min(hardwareConcurrency, max_threads) threads;
// without the headers (a host that sets none, an iframe on a blog) the single-thread module, as before. Both
// give the same numbers, bit for bit, and neither logs a console error.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { hashOf, open, start, waitStep } from './helpers.mjs';

let isolated, plain;
before(async () => { [isolated, plain] = await Promise.all([start(), start({ isolated: false })]); });
after(async () => { await isolated?.close(); await plain?.close(); });

// Several 256-column blocks in every product (h = 520, d = 300) and a chaotic learning rate, so that a sum
// split differently would show in the probes.
const CONFIG = { n: 600, n_test: 100, d: 300, h: 520, optimizer: 'adam', lr: 0.3, num_steps: 4, probe_every: 2, seed: 5 };

async function runToEnd(env) {
  const page = await open(env, hashOf(CONFIG));
  await page.click('[data-testid="play"]');
  await waitStep(page, CONFIG.num_steps);
  const run = await page.evaluate(() => ({
    isolated: self.crossOriginIsolated,
    cores: navigator.hardwareConcurrency,
    probes: window.spiketail.app.run.probes,
    eigenvalues: Array.from(window.spiketail.app.figures?.eigenvalues ?? []),
  }));
  const info = page.locator('[data-testid="engine-threads"]');
  run.build = await info.getAttribute('data-build');
  run.threads = Number(await info.getAttribute('data-threads'));
  run.text = await info.textContent();
  run.errors = page.errors;
  await page.context().close();
  return run;
}

test('isolated: the threaded module on several threads; without headers: one thread; the same numbers', async () => {
  const [a, b] = await Promise.all([runToEnd(isolated), runToEnd(plain)]);
  console.log(`# isolated: ${a.text} | not isolated: ${b.text}`);
  assert.equal(a.isolated, true, 'served with COOP/COEP, the page is cross-origin isolated');
  assert.equal(b.isolated, false);
  const expected = Math.min(a.cores, 8);
  assert.equal(a.build, expected > 1 ? 'threads' : 'single');
  assert.equal(a.threads, expected);
  assert.match(a.text, expected > 1 ? new RegExp(`${expected} threads`) : /one thread/);
  assert.equal(b.build, 'single');
  assert.equal(b.threads, 1);
  assert.match(b.text, /one thread/);
  assert.deepEqual(a.errors, [], 'no console errors (isolated)');
  assert.deepEqual(b.errors, [], 'no console errors (not isolated)');
  assert.equal(a.probes.length, 3);
  assert.ok(JSON.stringify(a.probes) === JSON.stringify(b.probes), 'the probes are bit-identical');
  assert.ok(a.eigenvalues.length > 0 && JSON.stringify(a.eigenvalues) === JSON.stringify(b.eigenvalues),
    'the last ESD is bit-identical');
});
