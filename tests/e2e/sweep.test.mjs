// The sweep view in Chromium: a tiny sweep on 2 workers (every run present), Cancel (every worker
// terminated, the count of finished runs frozen), export + re-import, a `spiketail sweep` file opened in
// the page and compared with the page's own export, a `spiketail sweep --shard` part imported with its missing
// runs and resumed (only those run; the export equals the whole sweep), shards imported together (the export
// is the CLI's whole sweep), a part of another sweep refused, a click on a point opening that
// run in the single-run view, errors naming the field, a parameter study. Every test fails on any console error.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { after, before, test } from 'node:test';
import { SMALL, openCountingWorkers, shot, start } from './helpers.mjs';

let env;
before(async () => { env = await start(); });
after(async () => { await env?.close(); });

const cli = new URL('../../build/spiketail', import.meta.url).pathname;
const noErrors = (page) => assert.deepEqual(page.errors, [], 'no console errors');

// A small grid: 2 optimisers × 3 η × 2 repeats, 3 steps (12 runs of a few ms each).
const TINY = { ...SMALL, num_steps: 3, probe_every: 3, optimizer: ['gd', 'adam'], lr: [0.01, 1, 1000], repeat: 2 };
// Native and wasm sum float32 products in different orders; tests/wasm/sweep.test.mjs explains the bound.
const k_rel_tol = 1e-3;

function sweepHash(doc, workers = 2) {
  const params = new URLSearchParams({ view: 'sweep' });
  for (const [k, v] of Object.entries(doc)) {
    if (k === 'vary') for (const [p, values] of Object.entries(v)) params.set(`vary.${p}`, values.join(','));
    else params.set(k, Array.isArray(v) ? v.join(',') : String(v));
  }
  params.set('workers', String(workers));
  return '#' + params.toString();
}

// A page on the sweep view; counts the Web Workers it creates and terminates.
async function openSweep(hash, { width = 1280, height = 900 } = {}) {
  const page = await openCountingWorkers(env, hash, { width, height });
  if (hash.includes('view=sweep')) await page.waitForFunction(() => window.spiketail?.sweep?.plan?.ok !== undefined, null, { timeout: 30000 });
  else await page.waitForFunction(() => window.spiketail?.app?.engineReady, null, { timeout: 30000 });
  return page;
}

const runSweep = async (page, timeout = 60000) => {
  await page.click('[data-testid="sweep-start"]');
  await page.waitForFunction(() => { const v = window.spiketail.sweep; return v.sweep?.ended > 0 && !v.pool.active; }, null, { timeout });
};

async function download(page, testid) {
  const [file] = await Promise.all([page.waitForEvent('download'), page.click(`[data-testid="${testid}"]`)]);
  return readFileSync(await file.path(), 'utf8');
}

const relErr = (a, b) => Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b), 1e-12);

let page;       // the page of the first test, reused by the export and click tests
let exported;   // its JSON export

test('a tiny LR sweep on 2 workers: every run present, figures drawn, workers closed at the end', async () => {
  page = await openSweep(sweepHash(TINY));
  assert.match(await page.textContent('[data-testid="sweep-summary"]'), /^12 runs = 2 optimisers × 3 learning rates × 2 repeats/);
  assert.equal(await page.inputValue('[name="sweep.workers"]'), '2');
  const before_start = await page.evaluate(() => window.__workers.length);
  await runSweep(page);
  assert.equal(await page.textContent('[data-testid="sweep-progress"]'), '12 / 12 runs');
  const statuses = await page.$$eval('[data-testid="sweep-run"]', (els) => els.map((e) => e.dataset.status));
  assert.equal(statuses.length, 12);
  assert.ok(statuses.every((s) => s === 'finished'), statuses.join(' '));
  const pool = await page.evaluate((n) => ({ used: window.spiketail.sweep.sweep.workers, created: window.__workers.length - n,
    open: window.__workers.slice(n).filter((w) => !w.terminated).length }), before_start);
  assert.deepEqual(pool, { used: 2, created: 2, open: 0 }, 'two pool workers, terminated when the sweep ended');
  for (const key of ['alpha_hill', 'alpha_ks', 'sim_w_beta', 'kta', 'train_loss', 'test_loss']) {
    const drawn = Number(await page.getAttribute(`[data-testid="sweep-plot-${key}"]`, 'data-points'));
    assert.ok(drawn >= 6 + 12, `${key}: 6 means and 12 repeats drawn, got ${drawn}`);
  }
  // Hovering a mean point names it.
  const pt = await page.evaluate(() => { const p = window.spiketail.sweep.figures.lrCharts[0].chart.points.find((q) => q.item && q.s.type === 'linepoints'); return { x: p.px, y: p.py }; });
  const box = await page.locator('#sweep-fig-alpha_hill canvas').boundingBox();
  await page.mouse.move(box.x + pt.x, box.y + pt.y);
  assert.match(await page.textContent('#sweep-fig-alpha_hill .plot-tip'), /(GD|Adam), η = [\d.]+: [\d.]+ ± [\d.]+ \(2 repeats\)/);
  await shot(page, 'sweep-tiny');
  // A reload brings the finished sweep back (localStorage), without running it again.
  await page.reload();
  await page.waitForFunction(() => window.spiketail?.sweep?.sweep?.source === 'saved');
  assert.equal(await page.textContent('[data-testid="sweep-progress"]'), '12 / 12 runs');
  noErrors(page);
});

test('export JSON has the CLI schema; re-importing it round-trips; CSV has one row per run × probe', async () => {
  exported = JSON.parse(await download(page, 'sweep-export-json'));
  assert.deepEqual(Object.keys(exported), ['config', 'runs']);
  assert.deepEqual(exported.config.optimizer, ['gd', 'adam']);
  assert.deepEqual(exported.config.lr, TINY.lr);
  assert.equal(exported.config.repeat, 2);
  assert.equal(exported.runs.length, 12);
  assert.deepEqual(Object.keys(exported.runs[0]), ['optimizer', 'lr', 'repeat', 'param', 'value', 'config', 'status', 'message', 'probes']);
  assert.deepEqual(exported.runs[0].probes.map((p) => p.step), [0, 3]);
  const csv = (await download(page, 'sweep-export-csv')).trim().split('\n');
  assert.equal(csv.length, 1 + 12 * 2);
  assert.match(csv[0], /^optimizer,lr,repeat,param,value,status,message,step,lr,train_loss/);

  const other = await openSweep('#view=sweep');
  // A fresh page opens on the reduced LR sweep; editing a field away and back finds the preset again.
  assert.equal(await other.inputValue('#sweep-preset'), 'reduced-lr');
  await other.fill('[name="sweep.repeat"]', '3');
  await other.waitForFunction(() => document.querySelector('#sweep-preset').value === '');
  await other.fill('[name="sweep.repeat"]', '5');
  await other.waitForFunction(() => document.querySelector('#sweep-preset').value === 'reduced-lr');
  await other.setInputFiles('#sweep-import-file', { name: 'page.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(exported)) });
  await other.waitForFunction(() => window.spiketail.sweep.sweep?.source === 'page.json');
  assert.equal(await other.textContent('[data-testid="sweep-progress"]'), '12 / 12 runs');
  assert.equal(await other.inputValue('[name="sweep.lr"]'), '0.01, 1, 1000');
  assert.match(await other.evaluate(() => window.location.hash), /optimizer=gd,adam&lr=0.01,1,1000/);
  const again = JSON.parse(await download(other, 'sweep-export-json'));
  assert.deepEqual(again, exported, 'import then export gives the same document');
  noErrors(other);
  await other.context().close();
});

test('a `spiketail sweep` file opens in the page; the page\'s export of the same sweep matches it', { skip: !existsSync(cli) && 'no build/spiketail' }, async () => {
  const dir = mkdtempSync(`${tmpdir()}/spiketail-sweep-`);
  writeFileSync(`${dir}/s.json`, JSON.stringify(TINY));
  execFileSync(cli, ['sweep', `${dir}/s.json`, '--jobs', '2', '--quiet', '--out', `${dir}/out.json`], { stdio: 'pipe' });
  const text = readFileSync(`${dir}/out.json`, 'utf8');
  rmSync(dir, { recursive: true, force: true });
  const native = JSON.parse(text);
  // Same document shape, same config, same runs in the same order, statuses and (within tolerance) numbers.
  assert.deepEqual(exported.config, native.config);
  assert.deepEqual(exported.runs.map((r) => [r.optimizer, r.lr, r.repeat, r.param, r.value, r.status]),
    native.runs.map((r) => [r.optimizer, r.lr, r.repeat, r.param, r.value, r.status]));
  let worst = 0;
  native.runs.forEach((nr, i) => {
    const pr = exported.runs[i];
    assert.deepEqual(pr.config, nr.config);
    assert.deepEqual(Object.keys(pr.probes[0]).sort(), Object.keys(nr.probes[0]).sort(), 'same probe fields');
    if (nr.lr > 1) return;  // large η amplifies the float32 differences (see tests/wasm/sweep.test.mjs)
    pr.probes.forEach((p, j) => {
      for (const k of ['train_loss', 'test_loss', 'kta', 'sim_w_beta', 'alpha_hill']) {
        const e = relErr(p[k], nr.probes[j][k]);
        worst = Math.max(worst, e);
        assert.ok(e < k_rel_tol, `run ${i} step ${p.step} ${k}: page ${p[k]} CLI ${nr.probes[j][k]}`);
      }
    });
  });
  console.log(`# page vs spiketail sweep at η ≤ 1: worst relative difference ${worst.toExponential(2)} (tolerance ${k_rel_tol})`);

  // Opened from the single-run view's Import: the page switches to the sweep view.
  const other = await openSweep('');
  await other.setInputFiles('#import-file', { name: 'cli.json', mimeType: 'application/json', buffer: Buffer.from(text) });
  await other.waitForFunction(() => window.spiketail.sweep?.sweep?.source === 'cli.json');
  assert.equal(await other.evaluate(() => window.spiketail.app.view), 'sweep');
  assert.equal(await other.isVisible('#sweep-view'), true);
  assert.equal(await other.textContent('[data-testid="sweep-progress"]'), '12 / 12 runs');
  const statuses = await other.$$eval('[data-testid="sweep-run"]', (els) => els.map((e) => e.dataset.status));
  assert.ok(statuses.every((s) => s === 'finished'));
  assert.ok(Number(await other.getAttribute('[data-testid="sweep-plot-alpha_hill"]', 'data-points')) >= 18);
  await shot(other, 'sweep-imported-cli');
  noErrors(other);
  await other.context().close();
});

const importFiles = async (p, files) => {
  await p.setInputFiles('#sweep-import-file', files.map(({ name, text }) => ({ name, mimeType: 'application/json', buffer: Buffer.from(text) })));
};
// The run grid's statuses by plan index (the grid lays the squares out by optimiser and η).
const statuses = (p) => p.$$eval('[data-testid="sweep-run"]', (els) => {
  const out = [];
  for (const e of els) out[Number(e.dataset.index)] = e.dataset.status;
  return out;
});

test('a `spiketail sweep --shard` part opens with its missing runs; Resume runs only those; parts together are the whole sweep', { skip: !existsSync(cli) && 'no build/spiketail' }, async () => {
  const dir = mkdtempSync(`${tmpdir()}/spiketail-sweep-parts-`);
  writeFileSync(`${dir}/s.json`, JSON.stringify(TINY));
  writeFileSync(`${dir}/other.json`, JSON.stringify({ ...TINY, seed: 7 }));
  const sweep = (config, out, ...args) => {
    execFileSync(cli, ['sweep', `${dir}/${config}`, '--quiet', ...args, '--out', `${dir}/${out}`], { stdio: 'pipe' });
    return { name: out, text: readFileSync(`${dir}/${out}`, 'utf8') };
  };
  const whole = sweep('s.json', 'whole.json');
  const [part1, part2] = [1, 2].map((k) => sweep('s.json', `part-${k}.json`, '--shard', `${k}/2`));
  const otherPart = sweep('other.json', 'other-1.json', '--shard', '1/2');
  rmSync(dir, { recursive: true, force: true });
  const held = JSON.parse(part1.text).partial.run_indices;
  const missing = [...Array(12).keys()].filter((i) => !held.includes(i));
  const native = JSON.parse(whole.text);

  // One part: its runs on the grid, the others missing; the export is the partial document again.
  const p = await openSweep(sweepHash(TINY));
  await importFiles(p, [part1]);
  await p.waitForFunction(() => window.spiketail.sweep.sweep?.source === 'part-1.json');
  assert.equal(await p.textContent('[data-testid="sweep-progress"]'), `${held.length} / 12 runs`);
  assert.deepEqual((await statuses(p)).map((st, i) => [i, st]).filter(([, st]) => st === 'pending').map(([i]) => i), missing);
  assert.match(await p.textContent('[data-testid="sweep-error"]'), new RegExp(`Imported part-1\\.json: ${held.length} of 12 runs; ${missing.length} missing: Resume sweep runs only those`));
  assert.equal(await p.textContent('[data-testid="sweep-start"]'), 'Resume sweep');
  await shot(p, 'sweep-part-imported');
  const pagePart = JSON.parse(await download(p, 'sweep-export-json'));
  const cliPart = JSON.parse(part1.text);
  assert.deepEqual(pagePart, { ...cliPart, partial: { ...cliPart.partial, shard: null } }, 'the page exports the part it holds as a partial document');

  // Resume: only the missing runs go to the workers; the finished ones stay as the file has them.
  await p.evaluate(() => {
    const pool = window.spiketail.sweep.pool;
    const post = pool.post.bind(pool);
    window.__posted = [];
    pool.post = (worker, index) => { window.__posted.push(index); post(worker, index); };
  });
  await runSweep(p);
  assert.deepEqual(await p.evaluate(() => [...window.__posted].sort((a, b) => a - b)), missing, 'Resume runs only the missing runs');
  assert.equal(await p.textContent('[data-testid="sweep-progress"]'), '12 / 12 runs');
  assert.equal(await p.textContent('[data-testid="sweep-start"]'), 'Start sweep');
  const resumed = JSON.parse(await download(p, 'sweep-export-json'));
  assert.deepEqual(Object.keys(resumed), ['config', 'runs'], 'complete: no partial object');
  for (const i of held) assert.deepEqual(resumed.runs[i], native.runs[i], `run ${i}: the part's copy`);
  for (const i of missing) assert.deepEqual(resumed.runs[i], exported.runs[i], `run ${i}: as the page's whole sweep computed it`);
  noErrors(p);

  // The page's own partial export, imported into another page and resumed: the same whole document.
  const q = await openSweep(sweepHash(TINY));
  await importFiles(q, [{ name: 'page-part.json', text: JSON.stringify(pagePart) }]);
  await q.waitForFunction(() => window.spiketail.sweep.sweep?.source === 'page-part.json');
  await runSweep(q);
  assert.deepEqual(JSON.parse(await download(q, 'sweep-export-json')), resumed);

  // Both parts at once: the whole sweep, exported as `spiketail sweep` wrote it (the same values: JS writes 1.0 as 1).
  await importFiles(q, [part1, part2]);
  await q.waitForFunction(() => window.spiketail.sweep.sweep?.source === 'part-1.json, part-2.json');
  assert.equal(await q.textContent('[data-testid="sweep-progress"]'), '12 / 12 runs');
  assert.deepEqual(JSON.parse(await download(q, 'sweep-export-json')), native, 'the parts exported together are the CLI\'s whole sweep');

  // A part of another sweep is refused, naming it; the sweep on screen stays.
  await importFiles(q, [part1, otherPart]);
  await q.waitForFunction(() => /Could not import/.test(document.querySelector('[data-testid="sweep-error"]').textContent));
  assert.match(await q.textContent('[data-testid="sweep-error"]'),
    /Could not import part-1\.json, other-1\.json: other-1\.json: belongs to another sweep \(sweep_id [0-9a-f]{16}; part-1\.json's is [0-9a-f]{16}\)/);
  assert.equal(await q.evaluate(() => window.spiketail.sweep.sweep.source), 'part-1.json, part-2.json');
  noErrors(q);
  await p.context().close();
  await q.context().close();
});

test('clicking a point opens that run in the single-run view, recomputed to the same numbers', async () => {
  const target = await page.evaluate(() => {
    const chart = window.spiketail.sweep.figures.lrCharts[0].chart;  // PL_Alpha_Hill
    const p = chart.points.find((q) => q.item && q.s.type === 'points');
    const v = window.spiketail.sweep;
    return { x: p.px, y: p.py, index: p.item.index, config: v.sweep.plan.runs[p.item.index].config,
      last: v.sweep.results[p.item.index].probes.at(-1) };
  });
  const box = await page.locator('#sweep-fig-alpha_hill canvas').boundingBox();
  await page.mouse.click(box.x + target.x, box.y + target.y);
  await page.waitForFunction((n) => { const a = window.spiketail.app; return a.view === 'single' && a.live && !a.running && a.step === n; },
    target.config.num_steps, { timeout: 30000 });
  const single = await page.evaluate(() => ({ config: window.spiketail.app.run.config, probes: window.spiketail.app.run.probes }));
  assert.deepEqual({ ...single.config, probe_every: target.config.probe_every }, target.config, 'the run\'s exact config');
  assert.equal(single.config.probe_every, 1, 'probed at every step: the whole spectrum history');
  assert.deepEqual(single.probes.map((p) => p.step), [0, 1, 2, 3]);
  assert.ok(single.probes.at(-1).eigenvalues.length > 0);
  for (const k of ['alpha_hill', 'train_loss', 'test_loss', 'kta', 'sim_w_beta']) assert.equal(single.probes.at(-1)[k], target.last[k], k);
  assert.equal(await page.isVisible('#sweep-view'), false);
  await shot(page, 'sweep-opened-run');
  // Back returns to the sweep, results still there.
  await page.goBack();
  await page.waitForFunction(() => window.spiketail.app.view === 'sweep');
  assert.equal(await page.textContent('[data-testid="sweep-progress"]'), '12 / 12 runs');
  noErrors(page);
  await page.context().close();
});

test('Cancel terminates every worker at once; finished runs stay and the count stops', async () => {
  const doc = { n: 400, n_test: 100, d: 200, h: 300, num_steps: 10, probe_every: 10, optimizer: ['gd', 'adam'], lr: [0.01, 0.1, 1, 10, 100, 1000], repeat: 3 };
  const p = await openSweep(sweepHash(doc));
  const n0 = await p.evaluate(() => window.__workers.length);
  await p.click('[data-testid="sweep-start"]');
  await p.waitForFunction(() => Number(document.querySelector('[data-testid="sweep-progress"]').dataset.done) >= 3, null, { timeout: 30000 });
  await p.click('[data-testid="sweep-cancel"]');
  const at_cancel = await p.evaluate((n) => ({ done: window.spiketail.sweep.sweep.results.filter(Boolean).length,
    open: window.__workers.slice(n).filter((w) => !w.terminated).length, created: window.__workers.length - n, active: window.spiketail.sweep.pool.active }), n0);
  console.log(`# cancelled with ${at_cancel.done} of 36 runs done`);
  assert.equal(at_cancel.created, 2);
  assert.equal(at_cancel.open, 0, 'every pool worker terminated');
  assert.equal(at_cancel.active, false);
  assert.ok(at_cancel.done < 36, 'cancelled before the end');
  await p.waitForTimeout(1500);
  const later = await p.evaluate(() => ({ done: window.spiketail.sweep.sweep.results.filter(Boolean).length,
    statuses: [...document.querySelectorAll('[data-testid="sweep-run"]')].map((e) => e.dataset.status) }));
  assert.equal(later.done, at_cancel.done, 'no run finishes after Cancel');
  assert.equal(later.statuses.filter((s) => s === 'finished' || s === 'diverged').length, at_cancel.done);
  assert.ok(!later.statuses.includes('running'));
  assert.match(await p.textContent('.view-sweep .status'), /Cancelled after/);
  assert.equal(await p.isEnabled('[data-testid="sweep-start"]'), true);
  const partial = JSON.parse(await download(p, 'sweep-export-json'));
  assert.equal(partial.runs.length, at_cancel.done, 'a cancelled sweep exports its finished runs');
  assert.equal(partial.partial.runs_total, 36, 'as a partial document');
  await shot(p, 'sweep-cancelled');
  // Resume runs the others only: the finished runs are not run again.
  assert.equal(await p.textContent('[data-testid="sweep-start"]'), 'Resume sweep');
  const before = await p.evaluate(() => window.spiketail.sweep.sweep.results.map((r) => r && JSON.stringify(r.probes)));
  await p.click('[data-testid="sweep-start"]');
  await p.waitForFunction(() => { const v = window.spiketail.sweep; return v.sweep.results.every(Boolean) && !v.pool.active; }, null, { timeout: 120000 });
  const after = await p.evaluate(() => ({ done: window.spiketail.sweep.sweep.results.filter(Boolean).length,
    probes: window.spiketail.sweep.sweep.results.map((r) => r && JSON.stringify(r.probes)) }));
  assert.equal(after.done, 36);
  before.forEach((b, i) => { if (b) assert.equal(after.probes[i], b, `run ${i} kept as it was`); });
  assert.equal(await p.textContent('[data-testid="sweep-start"]'), 'Start sweep');
  noErrors(p);
  await p.context().close();
});

test('errors name the field and keep Start disabled; a parameter study draws a curve per value', async () => {
  const p = await openSweep(sweepHash({ ...SMALL, optimizer: ['adam'], lr: [1], repeat: 2, num_steps: 4, probe_every: 1, vary: { label_noise_std: [0.1, 0.5] } }));
  await p.waitForFunction(() => window.spiketail.sweep.plan?.ok);
  assert.match(await p.textContent('[data-testid="sweep-summary"]'), /^4 runs/);
  await p.fill('[name="sweep.lr"]', '1, 0');
  await p.waitForFunction(() => !document.querySelector('[data-testid="sweep-error"]').hidden);
  assert.match(await p.textContent('[data-testid="sweep-error"]'), /lr\[1\]\): must be finite and > 0/);
  assert.equal(await p.getAttribute('[name="sweep.lr"]', 'aria-invalid'), 'true');
  assert.equal(await p.isDisabled('[data-testid="sweep-start"]'), true);
  await p.fill('[name="sweep.vary_values"]', '0.1, x');
  await p.waitForFunction(() => /vary\.label_noise_std\[1\]/.test(document.querySelector('[data-testid="sweep-error"]').textContent));
  await p.fill('[name="sweep.vary_values"]', '0.1, 0.5');
  await p.click('.sweep-base summary');  // the base config is folded by default
  await p.fill('[name="sweep.h"]', '2000000');
  await p.waitForFunction(() => /memory/.test(document.querySelector('[data-testid="sweep-error"]').textContent));
  await p.fill('[name="sweep.h"]', String(SMALL.h));
  await p.fill('[name="sweep.lr"]', '1');
  await p.waitForFunction(() => document.querySelector('[data-testid="sweep-error"]').hidden && window.spiketail.sweep.plan?.ok);
  await runSweep(p);
  assert.equal(await p.isVisible('[data-testid="sweep-plot-step-train_loss"]'), true);
  assert.equal(await p.isVisible('[data-testid="sweep-plot-alpha_hill"]'), false, 'one η: no plot against η');
  const drawn = Number(await p.getAttribute('[data-testid="sweep-plot-step-train_loss"]', 'data-points'));
  assert.equal(drawn, 2 * 5, 'two curves of five steps');
  await shot(p, 'sweep-study');
  noErrors(p);
  await p.context().close();
});

test('the tabs switch between the views, the single run stays, and a reload comes back to the last view', async () => {
  const p = await openSweep('');
  await p.waitForFunction(() => window.spiketail.app.run?.probes?.length > 0);
  assert.equal(await p.isVisible('#sweep-view'), false);
  assert.equal(await p.getAttribute('[data-testid="tab-single"]', 'aria-current'), 'page');
  await p.click('[data-testid="tab-sweep"]');
  await p.waitForFunction(() => window.spiketail.sweep?.plan?.ok);
  assert.equal(await p.isVisible('#sweep-view'), true);
  assert.equal(await p.isVisible('[data-testid="play"]'), false, 'the single run\'s controls are hidden');
  assert.equal(await p.inputValue('#sweep-preset'), 'reduced-lr');
  assert.match(await p.evaluate(() => window.location.hash), /^#view=sweep&.*optimizer=gd,adam/);
  await p.click('[data-testid="tab-single"]');
  assert.equal(await p.isVisible('[data-testid="play"]'), true);
  assert.equal(await p.evaluate(() => window.spiketail.app.run.probes.length > 0), true, 'the run on screen stays');
  await p.click('[data-testid="tab-sweep"]');
  await p.waitForTimeout(800);  // the page saves its state 0.6 s after a change
  await p.goto(env.url);
  await p.waitForFunction(() => window.spiketail?.sweep?.plan?.ok);
  assert.equal(await p.evaluate(() => window.spiketail.app.view), 'sweep');
  noErrors(p);
  await p.context().close();
});
