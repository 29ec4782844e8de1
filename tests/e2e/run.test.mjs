// The single-run page in Chromium: opening, Step, Reset, Play, the presets, the URL round trip,
// export + re-import, the saved session and the keyboard. Every test fails on any console error.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { after, before, test } from 'node:test';
import { SMALL, hashOf, numbers, open, setFields, shot, start, text, waitReady, waitStep } from './helpers.mjs';

let env;
before(async () => { env = await start(); });
after(async () => { await env?.close(); });

const noErrors = (page) => assert.deepEqual(page.errors, [], 'no console errors');

test('opens on the quick preset with the MP spectrum at step 0', async () => {
  const page = await open(env);
  assert.equal(await text(page, 'step-count'), '0');
  assert.equal(await page.inputValue('#preset'), 'quick');
  const hill = Number(await text(page, 'alpha-hill'));
  console.log(`# step 0: alpha_hill = ${hill}`);
  assert.ok(hill > 2.2 && hill < 2.8, `alpha_hill of the MP bulk near 2.5, got ${hill}`);
  assert.ok(Number(await page.getAttribute('[data-testid="esd-plot"]', 'data-points')) > 10, 'ESD drawn');
  // Every config key of the engine's schema has exactly one input named by it (nested keys dotted), with the
  // engine's default in it; the page was built with the schema of the engine it runs (no console error).
  const names = await page.$$eval('#config-form [name]', (els) => els.map((e) => e.name).sort());
  const schema = await page.evaluate(() => window.spiketail.app.engineInfo.schema);
  assert.deepEqual(names, schema.map((f) => f.key).sort());
  assert.ok(names.includes('lr_scheduler.gamma'));
  assert.equal(await page.inputValue('#config-form [name="reg_lambda"]'), String(schema.find((f) => f.key === 'reg_lambda').default));
  assert.deepEqual(page.errors, []);
  // Hovering the ESD shows a value; so do the arrow keys on a focused figure.
  const canvas = page.locator('[data-testid="esd-plot"] canvas');
  await canvas.scrollIntoViewIfNeeded();
  const box = await canvas.boundingBox();
  let tip = '';
  for (let f = 0.2; f < 0.9 && !tip; f += 0.1) {
    await page.mouse.move(box.x + box.width * 0.5, box.y + box.height * f);
    if (await page.isVisible('[data-testid="esd-plot"] .plot-tip')) tip = await page.textContent('[data-testid="esd-plot"] .plot-tip');
  }
  assert.match(tip, /→ \d|density = \d/, `tooltip: ${tip}`);
  await page.focus('#fig-loss canvas');
  await page.keyboard.press('ArrowRight');
  assert.match(await page.textContent('#fig-loss .plot-tip'), /step = 0, MSE = \d/);
  await shot(page, 'open-default');
  noErrors(page);
  await page.context().close();
});

test('Step takes exactly one step, Reset returns to step 0 with the same numbers', async () => {
  const page = await open(env, hashOf({ ...SMALL, lr: 0.5, num_steps: 5, probe_every: 2 }));
  const at0 = await numbers(page);
  await page.click('[data-testid="step"]');
  await page.waitForFunction(() => document.querySelector('[data-testid="step-count"]').textContent === '1' && !window.spiketail.app.running);
  // step 1 is not a multiple of probe_every = 2: no new probe.
  assert.equal((await numbers(page)).step, 0);
  await page.click('[data-testid="step"]');
  await waitStep(page, 2);
  const at2 = await numbers(page);
  assert.notEqual(at2.alpha_hill, at0.alpha_hill);
  await page.click('[data-testid="reset"]');
  await page.waitForFunction(() => document.querySelector('[data-testid="step-count"]').textContent === '0' &&
    window.spiketail.app.run?.probes?.length === 1);
  assert.deepEqual(await numbers(page), at0, 'Reset: same seed, same step-0 numbers');
  await page.click('[data-testid="step"]');
  await page.click('[data-testid="step"]');
  await waitStep(page, 2);
  assert.deepEqual(await numbers(page), at2, 'same steps after Reset, same numbers');
  noErrors(page);
  await page.context().close();
});

test('Play runs the quick preset from MP to a heavy tail; raising Steps continues', async () => {
  const page = await open(env);
  const before_hill = Number(await text(page, 'alpha-hill'));
  const t0 = Date.now();
  await page.click('[data-testid="play"]');
  await waitStep(page, 20);
  const after_run = await numbers(page);
  console.log(`# quick preset: 20 steps in ${Date.now() - t0} ms, alpha_hill ${before_hill} -> ${after_run.alpha_hill}, spikes ${after_run.num_spikes}`);
  assert.ok(after_run.alpha_hill < 2.05, `heavy tail after Play: alpha_hill ${after_run.alpha_hill}`);
  // Bulk -> spike -> tail: a spike stands apart after the first steps, then merges into the heavy tail.
  const spikes = await page.evaluate(() => window.spiketail.app.run.probes.map((p) => p.num_spikes));
  console.log(`# quick preset: spikes per probe ${spikes.join(' ')}`);
  assert.equal(spikes[0], 0);
  assert.ok(spikes.slice(1, 4).every((k) => k >= 1), 'a spike in the first steps');
  assert.equal(Number(await text(page, 'alpha-hill')).toFixed(2), after_run.alpha_hill.toFixed(2));
  await shot(page, 'quick-after-play');
  // The worker's stepping and probing give the numbers of a plain Session of the Node build.
  const node_module = new URL('../../build-wasm/spiketail-node.cjs', import.meta.url);
  if (existsSync(node_module)) {
    const create = createRequire(import.meta.url)(node_module.pathname);
    const engine = await create({ wasmBinary: readFileSync(new URL('../../build-wasm/spiketail-node.wasm', import.meta.url)) });
    const config = await page.evaluate(() => window.spiketail.app.run.config);
    const session = new engine.Session(JSON.stringify(config));
    session.step(20);
    const ref = JSON.parse(session.probe(false));
    session.delete();
    const tolerance = 1e-9;  // relative; the same C++ compiled twice should agree to rounding
    for (const key of ['alpha_hill', 'alpha_ks', 'train_loss', 'test_loss', 'kta', 'sim_w_beta']) {
      const rel = Math.abs(after_run[key] - ref[key]) / Math.max(1e-12, Math.abs(ref[key]));
      console.log(`# page vs Node wasm, ${key}: ${after_run[key]} vs ${ref[key]} (relative ${rel.toExponential(1)})`);
      assert.ok(rel <= tolerance, `${key} differs by ${rel}`);
    }
    assert.equal(after_run.num_spikes, ref.num_spikes);
  }
  // Raise num_steps and continue from step 20.
  await setFields(page, { num_steps: 24 });
  await page.click('[data-testid="play"]');
  await waitStep(page, 24);
  const probes = await page.evaluate(() => window.spiketail.app.run.probes.map((p) => p.step));
  assert.deepEqual(probes, Array.from({ length: 25 }, (_, i) => i), 'one probe per step, none repeated');
  noErrors(page);
  await page.context().close();
});

test('presets: GD small η leaves the spectrum alone, one Adam step makes a spike, many make a heavy tail', async () => {
  const page = await open(env);
  const runPreset = async (id) => {
    await page.selectOption('#preset', id);
    await page.waitForFunction(() => window.spiketail.app.live && window.spiketail.app.run?.probes?.length === 1 && window.spiketail.app.step === 0);
    const first = await numbers(page);
    await page.click('[data-testid="play"]');
    const steps = await page.evaluate(() => window.spiketail.app.config.num_steps);
    await waitStep(page, steps);
    const last = await numbers(page);
    console.log(`# preset ${id}: alpha_hill ${first.alpha_hill.toFixed(3)} -> ${last.alpha_hill?.toFixed(3)}, spikes ${last.num_spikes}, sim ${last.sim_w_beta.toFixed(3)}`);
    await shot(page, `preset-${id}`);
    return { first, last };
  };
  const gd = await runPreset('gd-small');
  assert.ok(Math.abs(gd.last.alpha_hill - gd.first.alpha_hill) < 0.02);
  assert.equal(gd.last.num_spikes, 0);
  const one = await runPreset('adam-one');
  assert.equal(one.last.step, 1);
  assert.ok(one.last.num_spikes >= 1, 'a spike after one Adam step');
  assert.ok(one.last.sim_w_beta > one.first.sim_w_beta + 0.2, 'the spike aligns with the teacher');
  const many = await runPreset('adam-many');
  assert.ok(many.last.alpha_hill < 2, `heavy tail: alpha_hill ${many.last.alpha_hill}`);
  noErrors(page);
  await page.context().close();
});

test('a copied link reproduces the experiment with the same numbers', async () => {
  const config = { ...SMALL, lr: 0.7, num_steps: 4, seed: 7, optimizer: 'adam', label_noise_std: 0.2 };
  const page = await open(env, hashOf(config));
  await page.click('[data-testid="play"]');
  await waitStep(page, 4);
  const first = await numbers(page);
  await page.click('#copy-link');
  const link = await page.inputValue('#share-text');
  assert.match(link, /#view=single&n=300&n_test=100&d=80&label_noise_std=0\.2/);
  assert.match(link, /lr_scheduler\.gamma=1/);
  const other = await open(env, link.slice(link.indexOf('#')));
  assert.equal(await other.inputValue('[name="seed"]'), '7');
  await other.click('[data-testid="play"]');
  await waitStep(other, 4);
  assert.deepEqual(await numbers(other), first, 'same link, same numbers');
  // The embed code points at the same experiment with embed=1.
  await page.click('#copy-embed');
  const code = await page.inputValue('#share-text');
  assert.match(code, /^<iframe src="http:\/\/127\.0\.0\.1:\d+\/#view=single&n=300.*&embed=1"/);
  noErrors(page);
  noErrors(other);
  await page.context().close();
  await other.context().close();
});

test('export JSON and CSV, PNG of a figure, and re-import the JSON', async () => {
  const page = await open(env, hashOf({ ...SMALL, lr: 0.5, num_steps: 3 }));
  await page.click('[data-testid="play"]');
  await waitStep(page, 3);
  const shown = await numbers(page);
  const [json_dl] = await Promise.all([page.waitForEvent('download'), page.click('#export-json')]);
  const doc = JSON.parse(readFileSync(await json_dl.path(), 'utf8'));
  assert.deepEqual(Object.keys(doc), ['config', 'status', 'message', 'probes']);
  assert.equal(doc.status, 'finished');
  assert.equal(doc.config.n, 300);
  assert.equal(doc.config.num_steps, 3);
  assert.deepEqual(doc.probes.map((p) => p.step), [0, 1, 2, 3]);
  assert.equal(doc.probes[3].eigenvalues.length, 80);
  assert.equal(doc.probes[3].alpha_hill, shown.alpha_hill);
  assert.equal(doc.probes[3].update.k, 8);
  const [csv_dl] = await Promise.all([page.waitForEvent('download'), page.click('#export-csv')]);
  const csv = readFileSync(await csv_dl.path(), 'utf8').trim().split('\n');
  assert.equal(csv.length, 5);
  assert.match(csv[0], /^step,lr,train_loss,test_loss,kta,sim_w_beta,alpha_hill/);
  const [png_dl] = await Promise.all([page.waitForEvent('download'), page.click('#fig-esd-log .plot-png')]);
  const png = readFileSync(await png_dl.path());
  assert.equal(png.subarray(1, 4).toString(), 'PNG');
  assert.ok(png.length > 5000, `PNG of ${png.length} bytes`);

  // A fresh browser profile opens the file and shows the same run.
  const fresh = await open(env);
  await fresh.setInputFiles('#import-file', { name: 'run.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(doc)) });
  await fresh.waitForFunction(() => document.querySelector('[data-testid="step-count"]').textContent === '3' && window.spiketail.app.figures);
  assert.equal(await text(fresh, 'alpha-hill'), await text(page, 'alpha-hill'));
  assert.equal(await fresh.inputValue('[name="n"]'), '300');
  assert.ok(Number(await fresh.getAttribute('[data-testid="esd-plot"]', 'data-points')) > 10, 'imported ESD drawn');
  // Step on an imported run replays it live and continues: step 4.
  await setFields(fresh, { num_steps: 4 });
  await fresh.click('[data-testid="step"]');
  await waitStep(fresh, 4);
  const replayed = await fresh.evaluate(() => window.spiketail.app.run.probes[3].alpha_hill);
  assert.equal(replayed, shown.alpha_hill, 'replay reproduces the imported numbers');
  await shot(fresh, 'imported');
  noErrors(page);
  noErrors(fresh);
  await page.context().close();
  await fresh.context().close();
});

test('imports a run written by the CLI (no detail fields) and shows failed fits as messages', async () => {
  const page = await open(env);
  const probe = (step, extra) => ({ step, lr: 1, train_loss: 0.4, test_loss: 0.5, kta: 0.1, sim_w_beta: 0.3,
    alpha_hill: null, hill_xmin: null, alpha_ks: 2.5, ks_xmin: 300, ks_D: 0.05, ks_sigma: 0.1, alpha_peak: null, peak_xmin: null,
    peak_D: null, fit_messages: { hill: 'fewer than 10 eigenvalues above 1e-5', peak: 'no peak' }, spectral_norm: 900,
    frobenius_norm: 60000, alpha_weighted: 7.4, log_spectral_norm: 2.95, stable_rank: 66, num_spikes: 1,
    mp_lower: 10, mp_upper: 990, mp_threshold: 1000, ...extra });
  const doc = { config: { n: 600, d: 200, h: 300, num_steps: 1 }, status: 'finished', message: '',
    probes: [probe(0), probe(1, { eigenvalues: Array.from({ length: 200 }, (_, i) => 10 + i * 5) })] };
  await page.setInputFiles('#import-file', { name: 'cli.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(doc)) });
  await page.waitForFunction(() => document.querySelector('[data-testid="step-count"]').textContent === '1' && window.spiketail.app.figures);
  assert.equal(await text(page, 'alpha-hill'), 'no fit');
  assert.match(await page.textContent('.metric:has([data-testid="alpha-hill"]) .metric-help'), /fewer than 10 eigenvalues/);
  assert.doesNotMatch(await page.textContent('.readout'), /NaN/);
  assert.equal(await text(page, 'alpha-ks'), '2.5');
  // A broken file is refused with a message.
  await page.setInputFiles('#import-file', { name: 'bad.json', mimeType: 'application/json', buffer: Buffer.from('{"probes": 3}') });
  await page.waitForSelector('[data-testid="error"]:not([hidden])');
  assert.match(await text(page, 'error'), /Could not import bad\.json/);
  await shot(page, 'imported-cli');
  noErrors(page);
  await page.context().close();
});

test('the last session survives a reload; the keyboard drives the run', async () => {
  const context = await env.browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await open(env, hashOf({ ...SMALL, lr: 0.5, num_steps: 6 }), { context });
  await page.locator('body').click({ position: { x: 5, y: 5 } });
  await page.keyboard.press('s');
  await waitStep(page, 1);
  await page.keyboard.press('s');
  await waitStep(page, 2);
  const before_reload = await numbers(page);
  await page.waitForTimeout(900);  // the session is saved 0.6 s after the last probe
  await page.reload();
  await waitReady(page);
  assert.equal(await text(page, 'step-count'), '2');
  assert.deepEqual(await numbers(page), before_reload);
  // Without the hash (a bare visit) the saved config comes back too.
  const bare = await context.newPage();
  await bare.goto(env.url);
  await waitReady(bare);
  assert.equal(await bare.inputValue('[name="n"]'), '300');
  assert.equal(await text(bare, 'step-count'), '2');
  noErrors(page);
  await context.close();
});

test('Pause stops a Play within a step, Play continues; autoplay=1 and a changed hash start runs', async () => {
  const page = await open(env, hashOf({ ...SMALL, lr: 0.5, num_steps: 400, probe_every: 50 }));
  await page.click('[data-testid="play"]');
  await page.waitForFunction(() => window.spiketail.app.step >= 20);
  const t0 = Date.now();
  await page.click('[data-testid="play"]');  // now labelled Pause
  await page.waitForFunction(() => !window.spiketail.app.running);
  const paused_at = await page.evaluate(() => window.spiketail.app.step);
  console.log(`# pause answered in ${Date.now() - t0} ms at step ${paused_at}`);
  assert.ok(Date.now() - t0 < 1000);
  assert.ok(paused_at < 400);
  assert.equal(await page.textContent('[data-testid="play"]'), 'Play');
  await page.click('[data-testid="play"]');
  await waitStep(page, 400);
  const probed = await page.evaluate(() => window.spiketail.app.run.probes.map((p) => p.step));
  assert.ok([0, 50, 100, 350, 400].every((s) => probed.includes(s)), `probes at ${probed}`);
  // A new hash typed into the address bar (or back/forward) loads that experiment.
  await page.evaluate((h) => { window.location.hash = h; }, hashOf({ ...SMALL, n: 250, num_steps: 2 }).slice(1));
  await page.waitForFunction(() => window.spiketail.app.live && window.spiketail.app.run?.config?.n === 250 && window.spiketail.app.step === 0);
  assert.equal(await page.inputValue('[name="n"]'), '250');
  const auto = await open(env, hashOf({ ...SMALL, num_steps: 3 }, '&autoplay=1'));
  await waitStep(auto, 3);
  noErrors(page);
  noErrors(auto);
  await page.context().close();
  await auto.context().close();
});

const cli = new URL('../../build/spiketail', import.meta.url).pathname;
test('a run written by the native CLI opens in the page and replays to the same numbers', { skip: !existsSync(cli) && 'no build/spiketail' }, async () => {
  const { execFileSync } = await import('node:child_process');
  const { mkdtempSync, writeFileSync, rmSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const dir = mkdtempSync(`${tmpdir()}/spiketail-cli-`);
  const config = { ...SMALL, optimizer: 'adam', lr: 0.5, num_steps: 4, probe_every: 2, seed: 5 };
  writeFileSync(`${dir}/c.json`, JSON.stringify(config));
  execFileSync(cli, ['run', `${dir}/c.json`, '--eigenvalues', '--out', `${dir}/out.json`], { stdio: 'pipe' });
  const native = readFileSync(`${dir}/out.json`, 'utf8');
  rmSync(dir, { recursive: true, force: true });
  const page = await open(env);
  await page.setInputFiles('#import-file', { name: 'cli.json', mimeType: 'application/json', buffer: Buffer.from(native) });
  await page.waitForFunction(() => document.querySelector('[data-testid="step-count"]').textContent === '4' && window.spiketail.app.figures);
  assert.ok(Number(await page.getAttribute('[data-testid="esd-plot"]', 'data-points')) > 10, 'CLI eigenvalues drawn');
  const imported = await numbers(page);
  // Replaying in the page (wasm) reproduces the native numbers within the wasm/native tolerance:
  // float32 products summed in a different order, ~1e-6 per product, 1e-3 after a few steps.
  await page.click('[data-testid="play"]');
  await page.waitForFunction(() => window.spiketail.app.live && !window.spiketail.app.running && window.spiketail.app.step === 4);
  const replayed = await numbers(page);
  for (const key of ['alpha_hill', 'train_loss', 'test_loss', 'kta', 'sim_w_beta']) {
    const rel = Math.abs(replayed[key] - imported[key]) / Math.max(1e-12, Math.abs(imported[key]));
    console.log(`# page vs native CLI, ${key}: ${replayed[key]} vs ${imported[key]} (relative ${rel.toExponential(1)})`);
    assert.ok(rel < 1e-3, `${key} differs by ${rel}`);
  }
  noErrors(page);
  await page.context().close();
});
