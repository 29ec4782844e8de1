// The guided tour's captions (web/tour/stages.js) against the engine's findings (runFindings, sweepFindings) of
// runs where the stage's claim does NOT hold: each caption must then say what happened instead, and every number
// it quotes must be one the engine gave. (tests/e2e/tour.test.mjs covers the stages' own experiments, where the
// claims hold.) Runs are small configs of the Node build; the stored sweep is web/tour/lr-sweep.json.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { STAGES } from '../../web/tour/stages.js';
import { valueAt } from '../../web/tour/captions.js';
import { loadModule, root, runSession } from './module.mjs';

const M = await loadModule();
const DEFAULTS = JSON.parse(M.defaultConfig());
// The tour's scaled-down shape, with settings chosen so that the claims fail.
const SMALL = { ...DEFAULTS, n: 600, n_test: 200, d: 200, h: 300 };
const stage = (id) => STAGES.find((s) => s.id === id);

function run(overrides) {
  const config = { ...SMALL, ...overrides };
  return { config, ...runSession(M, config) };
}

const findings = (runs) => JSON.parse(M.runFindings(JSON.stringify(runs)));

// The caption's text, every quoted path checked to be a number the engine gave (or null: no fit).
function captionText(s, facts) {
  const parts = s.caption(facts).flat();
  for (const part of parts.filter((p) => p.fact !== undefined)) {
    const v = valueAt(facts, part.fact);
    assert.ok(v === null || Number.isFinite(v), `${s.id}: ${part.fact} is ${v}, not an engine number`);
  }
  return parts.map((p) => (p.fact === undefined ? p.text : `<${p.fact}>`)).join('');
}

test('tour captions: one GD step at a small η is said to make no spike and not to align W with β*', () => {
  const f = findings([run({ optimizer: 'gd', lr: 0.5, num_steps: 1 })]);
  assert.equal(f.runs[0].spike, false);
  const text = captionText(stage('spike'), f);
  assert.match(text, /no spike in this run/);
  assert.match(text, /not above its value at step 0/);
  assert.doesNotMatch(text, /: a spike\./);
});

test('tour captions: GD at Adam’s η twice — “still without a spike”, and the update sizes quoted', () => {
  const adam = run({ optimizer: 'adam', lr: 0.5, num_steps: 1 }), gd = run({ optimizer: 'gd', lr: 0.5, num_steps: 1 });
  const f = findings([adam, gd, gd]);
  const text = captionText(stage('gd'), f);
  assert.match(text, /still without a spike/);
  assert.match(text, /λ_max stays at <runs\.1\.lambda_max>, inside the bulk/);
  const u = f.runs[0].update;
  console.log(`Adam's first update ${u.norm} vs η√(hd) ${u.sign_norm}; GD's ${f.runs[1].update.norm}; GD needs η ≈ ${f.versus_first[1].lr_to_match}`);
});

test('tour captions: ten GD steps at a small η — α Hill is not said to cross 2', () => {
  const f = findings([run({ optimizer: 'gd', lr: 0.1, num_steps: 10 })]);
  const r = f.runs[0];
  assert.equal(r.alpha_crosses, false);
  const text = captionText(stage('tail'), f);
  assert.doesNotMatch(text, /to below/);
  assert.match(text, r.alpha_falls ? /not below <runs\.0\.heavy_tail_alpha> in this run/ : /no heavier tail in this run/);
});

test('tour captions: after one small GD step W’s top vectors are not said to be the update’s', () => {
  const f = findings([run({ optimizer: 'gd', lr: 0.5, num_steps: 1 })]);
  assert.equal(f.runs[0].update.aligned, false);
  assert.match(captionText(stage('overlaps'), f), /not the update’s in this run/);
});

test('tour captions: on a learning-rate grid that stops at η = 100, GD is said never to reach α < 2', () => {
  const doc = JSON.parse(fs.readFileSync(path.join(root, 'web/tour/lr-sweep.json'), 'utf8'));
  const runs = doc.runs.filter((r) => r.lr <= 100);
  const s = stage('sweep');
  const facts = s.facts(JSON.parse(M.sweepFindings(JSON.stringify(runs))));
  assert.equal(facts.gd.first_heavy_lr, null);
  assert.equal(facts.heavy_lr_ratio, null);
  const text = captionText(s, facts);
  assert.match(text, /GD’s never on this grid/);
  // The whole stored grid: Adam below 2 from a smaller η than GD, as the caption then says.
  const all = s.facts(JSON.parse(M.sweepFindings(JSON.stringify(doc.runs))));
  assert.ok(all.adam.first_heavy_lr < all.gd.first_heavy_lr, `Adam ${all.adam.first_heavy_lr}, GD ${all.gd.first_heavy_lr}`);
  assert.match(captionText(s, all), /GD’s only from η = <gd\.first_heavy_lr>, <heavy_lr_ratio>× larger/);
});
