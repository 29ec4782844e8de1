// The guided tour in Chromium: every stage loads, runs and draws its annotations without a console error,
// walked in order with tour-next; `&stage=N` links one stage (and `autoplay` runs it); the sweep stage opens
// from the stored file without training anything (no run is sent to a worker) and recomputes it live; and
// the captions' numbers are the engine's values shown elsewhere on screen (the readout, the run table, the
// sweep figures) and in the run's records. Screenshots: tests/e2e/screenshots/tour-*.png.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { formatNumber } from '../../web/plots/scale.js';
import { shot, start } from './helpers.mjs';

let env;
before(async () => { env = await start(); });
after(async () => { await env?.close(); });

const STAGE_COUNT = 7;
const noErrors = (page) => assert.deepEqual(page.errors, [], 'no console errors');

// A page on the tour that records console errors and every message posted to a worker.
async function openTour(hash, { width = 1280, height = 1000 } = {}) {
  const ctx = await env.browser.newContext({ viewport: { width, height } });
  await ctx.addInitScript(() => {
    window.__posted = [];
    const post = Worker.prototype.postMessage;
    Worker.prototype.postMessage = function (msg, ...rest) { window.__posted.push(msg?.type); return post.call(this, msg, ...rest); };
  });
  const page = await ctx.newPage();
  page.errors = [];
  page.on('console', (m) => { if (m.type() === 'error') page.errors.push(`console: ${m.text()}`); });
  page.on('pageerror', (e) => page.errors.push(`pageerror: ${e.message}`));
  await page.goto(env.url + hash);
  await page.waitForFunction(() => window.spiketail?.tour, null, { timeout: 30000 });
  return page;
}

// The stage on screen has its caption from the engine (its findings) and nothing is running.
async function waitExplained(page, stage, timeout = 120000) {
  await page.waitForFunction((n) => {
    const t = window.spiketail.tour;
    return t.state.stage === n && t.state.facts && !t.state.running && !t.state.error;
  }, stage, { timeout });
}

const visibleStage = (page) => page.$eval('[data-testid="tour"] [data-testid="tour-stage"]:not([hidden])', (a) => Number(a.dataset.stage));
const fact = (page, path) => page.$eval(`[data-testid="tour-stage"]:not([hidden]) .tour-caption [data-fact="${path}"]`, (s) => s.textContent);
// A number of the tour's readout, by its label.
const readout = (page, label) => page.$$eval('[data-testid="tour"] .readout .metric', (ms, l) =>
  ms.find((m) => m.querySelector('dt').textContent === l)?.querySelector('.metric-value').textContent, label);
const annotations = (page) => page.$$eval('[data-testid="tour"] figure:not([hidden]) [data-testid="annotations"] li', (li) => li.map((x) => x.textContent));

test('tour: tour-next walks every stage in order; each runs, is annotated and captioned with the engine’s numbers', async () => {
  const page = await openTour('#view=tour');
  assert.equal(await visibleStage(page), 1);
  assert.equal(await page.locator('[data-testid="tour-stage"]').count(), STAGE_COUNT);
  await page.click('[data-testid="tour-run"]');
  for (let stage = 1; stage <= STAGE_COUNT; stage++) {
    if (stage > 1) await page.click('[data-testid="tour-next"]');
    await waitExplained(page, stage);
    assert.equal(await visibleStage(page), stage, `stage ${stage} on screen`);
    assert.match(page.url(), new RegExp(`#view=tour&stage=${stage}$`), 'the URL names the stage');
    const facts = await page.$$eval('[data-testid="tour-stage"]:not([hidden]) .tour-caption .fact', (s) => s.map((x) => x.textContent));
    assert.ok(facts.length >= 3, `stage ${stage}: the caption quotes the engine's numbers (${facts.join(', ')})`);
    assert.ok(facts.every((f) => f !== '—' && f !== ''), `stage ${stage}: every quoted number is there: ${facts.join(', ')}`);
    const notes = await annotations(page);
    assert.ok(notes.length >= 1, `stage ${stage}: annotations drawn (${notes.join(' | ')})`);
    // Each listed annotation was placed on its figure by the figure's own scales (not only listed).
    const counts = await page.$$eval('[data-testid="tour"] figure:not([hidden])[data-annotations]', (fs) =>
      fs.map((f) => [f.id, Number(f.dataset.annotations), Number(f.dataset.annotationsDrawn)]));
    for (const [id, listed, drawn] of counts) assert.equal(drawn, listed, `${id}: ${drawn} of ${listed} annotations drawn`);
    await page.waitForTimeout(300);  // let the figures settle for the screenshot
    await shot(page, `tour-${stage}`);

    const state = await page.evaluate(() => {
      const t = window.spiketail.tour;
      return { runs: t.state.runs?.map((r) => ({ config: r.config, last: r.probes.at(-1) })), facts: t.state.facts, id: t.stage.id };
    });
    if (state.id === 'bulk' || state.id === 'tail') {
      // α Hill and λ_max of the caption are the readout's (the probe on screen) and the record's.
      assert.equal(await fact(page, 'runs.0.alpha_hill'), await page.textContent('[data-testid="tour"] [data-testid="alpha-hill"]'));
      assert.equal(await fact(page, 'runs.0.alpha_hill'), formatNumber(state.runs[0].last.alpha_hill, 4));
    }
    if (state.id === 'bulk') {
      assert.equal(state.runs[0].last.step, 0);
      assert.equal(await fact(page, 'runs.0.mp_upper'), formatNumber(state.runs[0].last.mp_upper, 4));
    }
    if (state.id === 'spike') {
      assert.equal(await fact(page, 'runs.0.lambda_max'), await readout(page, 'λ_max'));
      assert.equal(await fact(page, 'runs.0.sim'), await readout(page, 'sim(W, β*)'));
      assert.ok(state.facts.runs[0].spike, 'one Adam step makes a spike (the caption says so only then)');
    }
    if (state.id === 'gd') {
      // The table and the caption show the same engine values; ‖M‖_F is √(Σσ²) of the record's update.
      for (const path of ['runs.0.update.norm', 'runs.1.update.norm', 'runs.2.update.norm']) {
        const inTable = await page.$eval(`[data-testid="tour-table"] [data-fact="${path}"]`, (c) => c.textContent);
        assert.equal(await fact(page, path), inTable, path);
      }
      for (const [i, run] of state.runs.entries()) {
        const s = run.last.update.singular_values;
        const norm = Math.sqrt(s.reduce((a, v) => a + v * v, 0));
        assert.ok(Math.abs(state.facts.runs[i].update.norm - norm) <= 1e-9 * norm, `run ${i}: ‖M‖_F = √(Σσ²) of the record`);
      }
      assert.equal(await fact(page, 'runs.2.lambda_max'), await readout(page, 'λ_max'), 'the figures show the last run');
      assert.ok(state.facts.versus_first[1].update_norm_ratio > 100, 'GD’s first update at Adam’s η is far smaller');
      // A run's name in the table shows its figures and annotations: GD at Adam's η, no spike.
      await page.click('[data-testid="tour-table"] tbody tr:nth-child(2) .tour-show');
      const inTable = await page.$eval('[data-testid="tour-table"] [data-fact="runs.1.lambda_max"]', (c) => c.textContent);
      assert.equal(await readout(page, 'λ_max'), inTable);
      assert.ok((await annotations(page)).some((a) => a.startsWith(`GD, η = ${formatNumber(state.runs[1].config.lr, 4)}`)));
      await shot(page, 'tour-3-gd-small');
    }
    if (state.id === 'sweep' || state.id === 'study') {
      // The caption's means are the ones the figure draws.
      const drawn = await page.evaluate((id) => {
        const t = window.spiketail.tour, f = t.state.facts;
        return id === 'sweep'
          ? t.sweeps.pointOf('alpha_hill', 'adam', f.adam.lrs[0])?.y
          : t.sweeps.stepPointOf('alpha_hill', f.first.value)?.y;
      }, state.id);
      const path = state.id === 'sweep' ? 'adam.alpha_hill_smallest_lr' : 'first.alpha_hill';
      assert.equal(await fact(page, path), formatNumber(drawn, 4), `${path} is the figure's point`);
    }
    if (state.id === 'overlaps') {
      assert.equal(state.runs[0].last.step, 1);
      assert.equal(await fact(page, 'runs.0.update.v_overlap_top'), formatNumber(state.runs[0].last.update.v_overlap_cur[0], 4));
    }
  }
  assert.equal(await page.isDisabled('[data-testid="tour-next"]'), true, 'the last stage has no next');
  noErrors(page);
  await page.context().close();
});

test('tour: &stage=N links one stage; autoplay runs it; a bad stage is reported', async () => {
  const page = await openTour('#view=tour&stage=4&autoplay=1');
  await waitExplained(page, 4, 60000);
  assert.equal(await visibleStage(page), 4);
  const notes = await annotations(page);
  assert.ok(notes.some((n) => n.startsWith('tail from x_min')), `the tail is annotated: ${notes.join(' | ')}`);
  const facts = await page.evaluate(() => window.spiketail.tour.state.facts.runs[0]);
  if (facts.alpha_crosses) assert.ok(notes.some((n) => n.startsWith('α Hill <')), 'α crossing 2 is annotated');
  // Leaving a stage while it runs: the next stage's Run is not left disabled by the stopped run.
  await page.click('[data-testid="tour-next"]');
  await page.click('[data-testid="tour-next"]');  // stage 6 starts its sweep ...
  await page.click('[data-testid="tour-prev"]');  // ... and is left at once for the stored sweep
  await waitExplained(page, 5, 30000);
  assert.equal(await page.isEnabled('[data-testid="tour-run"]'), true, 'Recompute live is enabled');
  assert.equal(await page.evaluate(() => window.spiketail.tour.sweeps.running), false, 'the left stage\'s sweep stopped');
  noErrors(page);
  // A bad stage or an unknown key is reported, naming the key; nothing runs and the address stays as given.
  for (const hash of ['#view=tour&stage=9&autoplay=1', '#view=tour&stage=2&colour=red&autoplay=1']) {
    await page.goto(env.url + hash);
    const key = hash.includes('colour') ? 'colour' : 'stage';
    await page.waitForFunction((k) => (document.querySelector('[data-testid="tour-status"]')?.textContent || '').includes(`The link’s ${k}:`), key);
    assert.equal(await visibleStage(page), hash.includes('stage=2') ? 2 : 1);
    await page.waitForTimeout(500);
    assert.equal(await page.evaluate(() => window.spiketail.tour.state.facts ?? null), null, 'nothing ran');
    assert.ok(page.url().endsWith(hash), `the address stays as given: ${page.url()}`);
  }
  await page.click('[data-testid="tour-run"]');  // the reader takes over: the stage runs and the URL follows
  await waitExplained(page, 2);
  assert.match(page.url(), /#view=tour&stage=2$/);
  await page.context().close();
});

test('tour: the sweep stage opens from the stored file without training, and recomputes it live', async () => {
  const page = await openTour('#view=tour&stage=5');
  await waitExplained(page, 5, 30000);
  const posted = await page.evaluate(() => window.__posted);
  assert.ok(!posted.includes('run') && !posted.includes('init'), `nothing trained: ${[...new Set(posted)].join(', ')}`);
  assert.equal(await page.evaluate(() => window.spiketail.tour.state.sweepSource), 'stored');
  const points = await page.$eval('#sweep-fig-alpha_hill', (f) => Number(f.dataset.points));
  assert.ok(points > 0, 'the α figure is drawn from the file');
  const storedCaption = await page.textContent('[data-testid="tour-stage"]:not([hidden]) .tour-caption');
  await page.click('[data-testid="tour-run"]');
  await page.waitForFunction(() => window.spiketail.tour.state.sweepSource === 'live' && !window.spiketail.tour.state.running, null, { timeout: 180000 });
  const liveCaption = await page.textContent('[data-testid="tour-stage"]:not([hidden]) .tour-caption');
  assert.ok((await page.evaluate(() => window.__posted)).includes('run'), 'the runs went to the workers');
  // The same sweep, native (the file) vs wasm (live): the captions' claims agree (their numbers may differ
  // in the last digits at the largest η, tests/wasm/sweep.test.mjs).
  assert.equal(liveCaption.replace(/[\d.e−-]+/g, '#'), storedCaption.replace(/[\d.e−-]+/g, '#'));
  await shot(page, 'tour-5-live');
  noErrors(page);
  await page.context().close();
});

test('tour: embedded at 800×600, a stage shows its caption and its first figure within the frame', async () => {
  const page = await openTour('#view=tour&stage=2&embed=1&autoplay=1', { width: 800, height: 600 });
  await waitExplained(page, 2, 60000);
  await page.waitForTimeout(300);
  const box = async (selector) => page.$eval(selector, (e) => { const r = e.getBoundingClientRect(); return { top: r.top, bottom: r.bottom, height: r.height }; });
  const caption = await box('[data-testid="tour-stage"]:not([hidden]) .tour-caption');
  const canvas = await box('#tour-fig-esd-lin canvas');
  assert.ok(caption.height > 0 && caption.bottom <= 600, `the caption is in the frame (${JSON.stringify(caption)})`);
  assert.ok(canvas.height > 150 && canvas.bottom <= 600, `the spectrum is in the frame (${JSON.stringify(canvas)})`);
  assert.equal(await page.isVisible('[data-testid="tour-run"]'), true);
  await page.screenshot({ path: new URL('./screenshots/tour-embed.png', import.meta.url).pathname });
  noErrors(page);
  await page.context().close();
});
