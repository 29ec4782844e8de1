// Charts a reader can follow, two runs compared, one α message (issue 10, items 2-4): each defect the issue
// lists under "The charts are hard to compare" and "α is confusing" has a test here that failed before the
// change. Every test fails on any console error.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { hashOf, open, shot, start, text, waitStep } from './helpers.mjs';

let env;
before(async () => { env = await start(); });
after(async () => { await env?.close(); });

const noErrors = (page) => assert.deepEqual(page.errors, [], 'no console errors');
// The presets' small shape (web/presets.js).
const QUICK = { n: 600, n_test: 200, d: 200, h: 300, optimizer: 'adam', lr: 0.5 };
const domain = async (page, sel, axis = 'x') => (await page.getAttribute(sel, `data-${axis}-domain`)).split(',').map(Number);
const labels = async (page, sel) => (await page.getAttribute(sel, 'data-labels')).split('|');
const series = async (page, sel) => (await page.getAttribute(sel, 'data-series')).split('|');
const step = async (page, n) => { await page.click('[data-testid="step"]'); await waitStep(page, n); };

test('the ESD axes hold still over a run: binned by the engine over one range that only grows', async () => {
  const page = await open(env, hashOf({ ...QUICK, num_steps: 8 }));
  const domains = [await domain(page, '[data-testid="esd-plot"]')];
  for (let n = 1; n <= 8; n++) {
    await step(page, n);
    const d = await domain(page, '[data-testid="esd-plot"]');
    const range = await page.evaluate(() => window.spiketail.app.figures.esd.range.log);
    const edges = await page.evaluate(() => window.spiketail.app.figures.esd.log.current.edges);
    const pad = (range[1] - range[0]) * 0.05;
    assert.ok(d[0] <= range[0] && d[0] >= range[0] - pad && d[1] >= range[1] && d[1] <= range[1] + pad,
      `the x axis is the range the engine binned over, with a little room: ${d} vs ${range}`);
    assert.equal(edges[0], range[0]);
    assert.ok(Math.abs(edges.at(-1) - range[1]) < 1e-12);
    domains.push(d);
  }
  console.log(`# ESD x domains over 8 steps: ${domains.map((d) => d.join('..')).join(' ')}`);
  for (let i = 1; i < domains.length; i++) {
    assert.ok(domains[i][0] <= domains[i - 1][0] && domains[i][1] >= domains[i - 1][1], `step ${i}: the axis never narrows`);
  }
  const distinct = new Set(domains.map((d) => d.join())).size;
  assert.ok(distinct <= 4, `the axis changed ${distinct - 1} times in 8 steps, not at every step`);
  // The per-step figures span the planned run from the start.
  assert.deepEqual(await domain(page, '#fig-alpha'), [0, 8]);
  noErrors(page);
  await page.context().close();
});

test('the spectrum labels the bulk, the MP edge, the spike and the tail; the spike count is the figure\'s', async () => {
  const page = await open(env, hashOf({ ...QUICK, num_steps: 20 }));
  const esd = '[data-testid="esd-plot"]';
  assert.ok((await labels(page, esd)).includes('bulk'));
  assert.ok((await labels(page, esd)).includes('MP edge'));
  assert.equal(await text(page, 'spikes'), '0');
  await step(page, 1);
  const at1 = await labels(page, esd);
  const spikes = await page.evaluate(() => window.spiketail.app.figures.esd.spikes);
  console.log(`# quick preset, step 1: labels ${at1.join(' | ')}`);
  assert.equal(spikes.length, 1, 'one Adam step: one spike');
  assert.equal(await text(page, 'spikes'), '1', 'the card counts the spike the figure shows');
  assert.equal(at1.filter((l) => /^spike λ = /.test(l)).length, 1, 'the spike is labelled on the figure');
  assert.ok((await labels(page, '#fig-esd-lin')).some((l) => /^spike λ = /.test(l)), 'and on the linear ESD');
  await shot(page, 'charts-spike');
  await page.click('[data-testid="play"]');
  await waitStep(page, 20);
  const at20 = await labels(page, esd);
  console.log(`# quick preset, step 20: labels ${at20.join(' | ')}; spikes card ${await text(page, 'spikes')}`);
  assert.ok(at20.some((l) => /^tail: α Hill = 1\.9/.test(l)), 'the heavy tail is labelled with its α');
  assert.equal(Number(await text(page, 'spikes')), await page.evaluate(() => window.spiketail.app.figures.esd.spikes.length));
  await shot(page, 'charts-tail');
  noErrors(page);
  await page.context().close();
});

test('the study\'s run: "no power law" at step 0 instead of α = 28.9, α axis not set by it, 1 spike after one step (was 74)', async () => {
  const page = await open(env, '', { width: 1280 });
  await page.selectOption('#preset', 'study');
  await page.waitForFunction(() => window.spiketail.app.live && window.spiketail.app.run?.config?.n === 2000 &&
    window.spiketail.app.run.probes.length === 1, null, { timeout: 60000 });
  const r0 = await page.evaluate(() => window.spiketail.app.run.probes[0]);
  console.log(`# study run, step 0: alpha_ks ${r0.alpha_ks}, tail_shape ${JSON.stringify(r0.tail_shape)}, spikes ${r0.num_spikes}`);
  assert.equal(r0.tail_shape.ks, 'no_power_law');
  assert.equal(await text(page, 'alpha-ks'), 'no power law');
  const legend = await series(page, '[data-testid="esd-plot"]');
  assert.ok(!legend.some((l) => /α KS|28\.9/.test(l)), `no KS power law drawn: ${legend.join(' | ')}`);
  assert.match(await page.textContent('#fig-esd-log .plot-note'), /α KS: no power law/);
  await step(page, 1);
  const r1 = await page.evaluate(() => window.spiketail.app.run.probes[1]);
  const pins = (await labels(page, '[data-testid="esd-plot"]')).filter((l) => /^spike λ = /.test(l));
  console.log(`# study run, step 1: spikes ${r1.num_spikes} (figure ${pins.join(', ')}), bulk variance ${r1.mp_variance}, alpha_ks ${r1.alpha_ks}`);
  assert.equal(r1.num_spikes, 1);
  assert.equal(await text(page, 'spikes'), '1');
  assert.equal(pins.length, 1);
  // α per step: the step-0 KS value (28.9) is off the scale, drawn as ▲; the axis is set by α Hill and KS 4.25.
  const [, top] = await domain(page, '[data-testid="alpha-plot"]', 'y');
  assert.ok(top < 5, `α axis top ${top}`);
  assert.ok((await series(page, '[data-testid="alpha-plot"]')).includes('α KS: no power law (off the scale)'));
  await shot(page, 'charts-study-step1');
  noErrors(page);
  await page.context().close();
});

test('one α message: α Hill headline with its verdict, α KS read on its own terms, the two explained once', async () => {
  const page = await open(env, hashOf({ ...QUICK, num_steps: 20 }));
  assert.match(await text(page, 'alpha-verdict'), /^not heavy|^no power-law tail/);
  await page.click('[data-testid="play"]');
  await waitStep(page, 20);
  const r = await page.evaluate(() => window.spiketail.app.run.probes.at(-1));
  const heavy = await page.evaluate(async () => (await import('./fields.js')).METHOD.heavy_tail_alpha);
  console.log(`# quick preset, step 20: alpha_hill ${r.alpha_hill} (${r.tail_shape.hill}), alpha_ks ${r.alpha_ks} (${r.tail_shape.ks})`);
  // The headline's verdict is the engine's, and agrees with the number next to it.
  assert.equal(r.alpha_hill < heavy, r.tail_shape.hill === 'heavy');
  assert.match(await text(page, 'alpha-verdict'), r.alpha_hill < heavy ? /^heavy tail/ : /not heavy/);
  // α KS (2.56 here) no longer says "below 2 = heavy-tailed" next to a heavy α Hill: its help reads its own shape.
  const ksHelp = await page.textContent('[data-testid="alpha-ks"] ~ .metric-help');
  assert.doesNotMatch(ksHelp, /below 2 = heavy-tailed/);
  if (r.alpha_ks >= heavy) assert.match(ksHelp, /not heavy/);
  assert.match(await text(page, 'alpha-explain'), /α Hill .* upper half .* α KS chooses its own x_min/);
  assert.ok(await page.isVisible('[data-testid="alpha-explain"]'));
  // The feature-learning caption no longer promises that sim only rises: here it rises, then falls.
  const sims = await page.evaluate(() => window.spiketail.app.run.probes.map((p) => p.sim_w_beta));
  const peak = Math.max(...sims);
  console.log(`# sim(W, β*): ${sims[0].toFixed(2)} -> ${peak.toFixed(2)} -> ${sims.at(-1).toFixed(2)}`);
  const caption = await page.textContent('#fig-align .plot-desc');
  assert.doesNotMatch(caption, /Both rise/);
  if (sims.at(-1) < peak - 0.1) assert.match(caption, /can fall again/);
  noErrors(page);
  await page.context().close();
});

test('zoom and pan on the ESD and tail figures; double-click resets; the PNG keeps the zoom', async () => {
  const page = await open(env, hashOf({ ...QUICK, num_steps: 3 }));
  await page.click('[data-testid="play"]');
  await waitStep(page, 3);
  for (const sel of ['#fig-ccdf', '[data-testid="esd-plot"]', '#fig-esd-lin']) {
    const canvas = page.locator(`${sel} canvas`);
    await canvas.scrollIntoViewIfNeeded();
    const box = await canvas.boundingBox();
    const before = await domain(page, sel);
    const png = async () => {
      const [dl] = await Promise.all([page.waitForEvent('download'), page.click(`${sel} .plot-png`)]);
      return readFileSync(await dl.path());
    };
    const unzoomed = await png();
    await page.mouse.move(box.x + box.width * 0.7, box.y + box.height * 0.5);
    await page.mouse.wheel(0, -500);
    await page.waitForFunction((s) => document.querySelector(s).dataset.zoomed === 'true', sel);
    const zoomed = await domain(page, sel);
    assert.ok(zoomed[1] - zoomed[0] < before[1] - before[0], `${sel}: the wheel zooms in (${before} -> ${zoomed})`);
    // Drag pans: the window moves, its width (in the axis' own units) stays.
    await page.mouse.move(box.x + box.width * 0.5, box.y + box.height * 0.5);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.3, box.y + box.height * 0.5, { steps: 4 });
    await page.mouse.up();
    const panned = await domain(page, sel);
    assert.ok(panned[0] > zoomed[0], `${sel}: dragging left moves the window right`);
    assert.notDeepEqual(await png(), unzoomed, `${sel}: the PNG shows the zoomed window`);
    await canvas.dblclick({ position: { x: box.width * 0.5, y: box.height * 0.5 } });
    assert.equal(await page.getAttribute(sel, 'data-zoomed'), 'false');
    assert.deepEqual(await domain(page, sel), before, `${sel}: double-click resets`);
  }
  noErrors(page);
  await page.context().close();
});

test('every figure has a table of its numbers (the accessible alternative)', async () => {
  const page = await open(env, hashOf({ ...QUICK, num_steps: 2 }));
  await page.click('[data-testid="play"]');
  await waitStep(page, 2);
  const ids = await page.$$eval('.view-single figure.plot', (els) => els.map((e) => e.id));
  assert.equal(ids.length, 10);
  for (const id of ids) {
    await page.click(`#${id} .plot-table-toggle`);
    assert.equal(await page.getAttribute(`#${id} .plot-table-toggle`, 'aria-pressed'), 'true');
    const rows = await page.locator(`#${id}-table tbody tr`).count();
    const captions = await page.$$eval(`#${id}-table caption`, (els) => els.map((e) => e.textContent));
    assert.ok(rows > 0, `${id}: a table with rows`);
    if (id === 'fig-esd-log') {
      assert.ok(captions.some((c) => /^now/.test(c)) && captions.some((c) => /Marks and labels/.test(c)), captions.join(' | '));
      const bins = await page.evaluate(() => window.spiketail.app.figures.esd.log.current.density.length);
      assert.equal(await page.locator('#fig-esd-log-table table').first().locator('tbody tr').count() >= 1, true);
      const nowRows = await page.$$eval('#fig-esd-log-table table', (ts) => ts.find((t) => /^now/.test(t.caption.textContent)).tBodies[0].rows.length);
      assert.equal(nowRows, bins, 'one row per bin');
    }
    await page.click(`#${id} .plot-table-toggle`);
    assert.ok(await page.isHidden(`#${id}-table`));
  }
  noErrors(page);
  await page.context().close();
});

test('compare two runs: pin Adam, run GD at the same η; both in the figures, the URL and the exports', async () => {
  const config = { ...QUICK, num_steps: 4 };
  const page = await open(env, hashOf(config));
  await page.click('[data-testid="play"]');
  await waitStep(page, 4);
  const adam = await page.evaluate(() => window.spiketail.app.run.probes.map((p) => p.alpha_hill));
  await page.click('[data-testid="pin"]');
  await page.selectOption('[name="optimizer"]', 'gd');
  await page.click('[data-testid="play"]');  // a changed setting: Play starts the new run from step 0
  await page.waitForFunction(() => window.spiketail.app.run?.config?.optimizer === 'gd' &&
    window.spiketail.app.run.probes.length === 5 && !window.spiketail.app.running);
  assert.match(await text(page, 'compare'), /pinned \(optimizer=adam\).*now \(optimizer=gd\)/);
  for (const sel of ['[data-testid="esd-plot"]', '#fig-ccdf', '[data-testid="alpha-plot"]', '#fig-loss', '[data-testid="align-plot"]']) {
    assert.ok((await series(page, sel)).some((l) => /pinned \(optimizer=adam\)/.test(l)), `${sel} overlays the pinned run`);
  }
  // The two ESDs share their bins (the engine bins the pinned run over the live run's range).
  const edges = await page.evaluate(() => [window.spiketail.app.figures.esd.log.current.edges, window.spiketail.app.pinnedFigure.esd.log.current.edges]);
  assert.deepEqual(edges[0], edges[1]);
  const hash = await page.evaluate(() => window.location.hash);
  assert.match(hash, /[#&]pin=optimizer:adam(&|$)/);
  await shot(page, 'charts-compare');
  // Exports carry the pair.
  const [json_dl] = await Promise.all([page.waitForEvent('download'), page.click('#export-json')]);
  const doc = JSON.parse(readFileSync(await json_dl.path(), 'utf8'));
  assert.equal(doc.config.optimizer, 'gd');
  assert.equal(doc.pinned.config.optimizer, 'adam');
  assert.deepEqual(doc.pinned.probes.map((p) => p.alpha_hill), adam);
  const [csv_dl] = await Promise.all([page.waitForEvent('download'), page.click('#export-csv')]);
  const csv = readFileSync(await csv_dl.path(), 'utf8').trim().split('\n');
  assert.match(csv[0], /^run,step,lr,/);
  assert.equal(csv.filter((l) => l.startsWith('now,')).length, 5);
  assert.equal(csv.filter((l) => l.startsWith('pinned,')).length, 5);
  // The link reproduces the pair: the pinned run is recomputed from its settings, to the same numbers.
  const other = await open(env, hash);
  await other.waitForFunction(() => window.spiketail.app.pinned?.run?.probes?.length === 5, null, { timeout: 30000 });
  assert.deepEqual(await other.evaluate(() => window.spiketail.app.pinned.run.probes.map((p) => p.alpha_hill)), adam);
  assert.equal(await other.inputValue('[name="optimizer"]'), 'gd');
  // Unpin: the overlay goes, and so does pin= from the URL.
  await other.click('[data-testid="unpin"]');
  assert.ok(!(await series(other, '[data-testid="alpha-plot"]')).some((l) => /pinned/.test(l)));
  assert.doesNotMatch(await other.evaluate(() => window.location.hash), /pin=/);
  noErrors(page);
  noErrors(other);
  await page.context().close();
  await other.context().close();
});
