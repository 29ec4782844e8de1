// Captions whose numbers are the engine's: a caption is a template whose holes are paths into the findings
// the engine computed for the run on screen (RunsFindings / SweepFindings, wasm/spiketail.d.mts), never
// numbers typed in. `` t`the spike sits at λ = ${'runs.0.lambda_max'}` `` -> parts; render(parts) -> a <p>
// in which each number is a <span data-fact="runs.0.lambda_max"> (so a test can compare it with the readout).
import { formatNumber } from '../plots/scale.js';

// A path 'runs.0.update.norm' in an object; undefined where it leads nowhere.
export function valueAt(object, path) {
  return String(path).split('.').reduce((o, key) => (o === null || o === undefined ? undefined : o[key]), object);
}

// Numbers as the readout shows them (readout.js: 4 significant digits); whole numbers as they are.
export function formatFact(value) {
  if (Number.isInteger(value)) return String(value);
  return formatNumber(value, 4);
}

// The caption tag: t`text ${'path'} text` -> [{text} | {fact: path}]. A hole may also be a plain string
// wrapped as {text: ...} (a name, not a number).
export function t(strings, ...holes) {
  const parts = [];
  strings.forEach((s, i) => {
    if (s) parts.push({ text: s });
    if (i < holes.length) parts.push(typeof holes[i] === 'object' ? holes[i] : { fact: holes[i] });
  });
  return parts;
}

// Caption parts (or a list of them, one after the other) -> a paragraph, numbers filled from `facts`. A number
// the engine could not give (null: a fit that failed) shows as "—". The stages' texts use the same templates
// with the experiment's settings (its preset's config) as the facts: {className: 'tour-text', testid: null}.
export function renderCaption(parts, facts, { className = 'tour-caption', testid = 'tour-caption' } = {}) {
  const p = document.createElement('p');
  p.className = className;
  if (testid) p.dataset.testid = testid;
  for (const part of parts.flat()) {
    if (part.fact === undefined) {
      p.append(part.text);
      continue;
    }
    const span = document.createElement('span');
    span.className = 'fact';
    span.dataset.fact = part.fact;
    span.textContent = formatFact(valueAt(facts, part.fact));
    p.append(span);
  }
  return p;
}
