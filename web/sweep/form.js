// The sweep's settings: the preset menu, then the form — the grid (optimisers, learning rates, repeats,
// steps), an optional varied parameter with its values, the number of workers, and the base config (every
// other field of fields.js, with the single-run view's labels and help). Inputs are named `sweep.<key>` so
// that they never collide with the single-run form's `name` = config key. Parsing only; ranges are the
// engine's (expandSweep).
import { el } from '../dom.js';
import { FIELD_BY_KEY, GROUPS, formatValue, parseValue, toFlat, toNested } from '../fields.js';
import { BASE_FIELDS, OPTIMIZERS, SWEEP_PRESETS, VARY_PARAMS, formatList, matchSweepPreset, parseList, presetSpec } from './spec.js';
import { MAX_WORKERS, coreCount } from './pool.js';

const idOf = (key) => `sweep-${key.replace(/[.[\]]/g, '-')}`;

// Labels for error lists: "Learning rates η (lr[1])", "Training samples n (n)".
const SWEEP_LABELS = { optimizer: 'Optimisers', lr: 'Learning rates η', repeat: 'Repeats', vary: 'Varied values', workers: 'Workers' };
export function errorLabel(field) {
  const f = String(field || '');
  const root = f.replace(/\[\d+\]$/, '').replace(/^vary\..*/, 'vary');
  const label = SWEEP_LABELS[root] || FIELD_BY_KEY.get(root)?.label;
  return label ? `${label} (${f})` : f;
}

export class SweepForm {
  // Builds the preset menu and the form in `container`. onInput() after every edit of the form;
  // onPreset(spec) when a preset is chosen.
  constructor(container, { onInput, onPreset }) {
    this.presetSelect = el('select', { id: 'sweep-preset' });
    for (const p of SWEEP_PRESETS) this.presetSelect.append(new Option(p.label, p.id));
    this.presetSelect.append(new Option('Custom sweep', ''));
    this.presetSelect.addEventListener('change', () => {
      const spec = presetSpec(this.presetSelect.value);
      if (spec) onPreset(spec);
    });
    this.presetAbout = el('p', { className: 'hint' });
    const form = el('form', { id: 'sweep-form', noValidate: true });
    container.append(el('div', { className: 'preset' }, el('label', { text: 'Sweep', htmlFor: 'sweep-preset' }), this.presetSelect),
      this.presetAbout, form);

    this.form = form;
    this.rows = new Map();  // error key -> {row, error, inputs}
    form.addEventListener('submit', (e) => e.preventDefault());
    const changed = () => onInput();
    form.addEventListener('input', changed);
    form.addEventListener('change', changed);

    const grid = this.fieldset('Grid', 'Every optimiser runs at every learning rate, in every repeat.');
    const opts = el('div', { className: 'sweep-checks', role: 'group', 'aria-labelledby': 'sweep-optimizer-label' });
    this.optimizerInputs = OPTIMIZERS.map(([value, text]) => {
      const input = el('input', { type: 'checkbox', name: 'sweep.optimizer', value, id: `sweep-opt-${value}` });
      opts.append(el('label', { className: 'check' }, input, text));
      return input;
    });
    grid.append(this.row('optimizer', 'Optimisers', opts, 'GD and Adam start from the same W₀ in each repeat.', { labelId: 'sweep-optimizer-label' }));
    this.lrInput = el('input', { type: 'text', name: 'sweep.lr', id: idOf('lr'), inputMode: 'decimal', spellcheck: false, autocomplete: 'off' });
    grid.append(this.row('lr', 'Learning rates η', this.lrInput, 'Separated by spaces or commas; plotted against log₁₀ η.'));
    // Whole numbers in text inputs: a number input would hand over "" for "1e", and the error could not quote it.
    this.repeatInput = el('input', { type: 'text', inputMode: 'numeric', name: 'sweep.repeat', id: idOf('repeat'), spellcheck: false, autocomplete: 'off' });
    grid.append(this.row('repeat', 'Repeats', this.repeatInput, 'Each repeat draws a fresh teacher, data and W₀; plots show mean ± std.'));
    this.baseInputs = new Map();
    grid.append(this.baseRow(FIELD_BY_KEY.get('num_steps'), 'Optimiser steps of every run.'));

    const study = this.fieldset('Parameter study', 'Vary one setting; the loss per step is drawn for each value.');
    this.varySelect = el('select', { name: 'sweep.vary', id: idOf('vary') });
    this.varySelect.append(new Option('none (learning-rate sweep)', ''));
    for (const v of VARY_PARAMS) this.varySelect.append(new Option(`${v.label} (${v.param})`, v.param));
    study.append(this.row('vary-param', 'Varied setting', this.varySelect, 'It overrides the base config’s value.'));
    this.valuesInput = el('input', { type: 'text', name: 'sweep.vary_values', id: idOf('vary-values'), inputMode: 'decimal', spellcheck: false, autocomplete: 'off' });
    study.append(this.row('vary', 'Its values', this.valuesInput, 'Separated by spaces or commas.'));

    const pool = this.fieldset('Parallel', '');
    this.workersInput = el('input', { type: 'text', inputMode: 'numeric', name: 'sweep.workers', id: idOf('workers'), spellcheck: false, autocomplete: 'off' });
    pool.append(this.row('workers', 'Workers', this.workersInput,
      `Runs at once, each in its own Web Worker. This device reports ${coreCount()} cores; more workers than cores do not help.`));

    this.baseDetails = el('details', { className: 'sweep-base' });
    this.baseDetails.append(el('summary', { text: 'Base config (every run)' }));
    for (const group of GROUPS) {
      const fields = BASE_FIELDS.filter((f) => f.group === group.id && f.key !== 'num_steps');
      if (!fields.length) continue;
      const set = el('fieldset', { className: 'group' }, el('legend', { text: group.label, title: group.help }));
      for (const f of fields) set.append(this.baseRow(f));
      this.baseDetails.append(set);
    }
    form.append(grid, study, pool, this.baseDetails);
  }

  fieldset(title, help) {
    const set = el('fieldset', { className: 'group' }, el('legend', { text: title, title: help }));
    this.form.append(set);
    return set;
  }

  // A labelled row with its help and error line, registered under `key` for error marks.
  row(key, label, input, help, { labelId } = {}) {
    const error = el('small', { className: 'field-error', id: `${idOf(key)}-error` });
    error.hidden = true;
    const helpEl = el('small', { className: 'field-help', id: `${idOf(key)}-help`, text: help });
    const labelEl = input.tagName === 'DIV'
      ? el('span', { className: 'field-label', id: labelId || `${idOf(key)}-label`, text: label })
      : el('label', { htmlFor: input.id, text: label });
    const row = el('div', { className: 'field', 'data-sweep-field': key }, labelEl, input, helpEl, error);
    for (const i of input.tagName === 'DIV' ? input.querySelectorAll('input') : [input]) {
      i.setAttribute('aria-describedby', `${helpEl.id} ${error.id}`);
    }
    this.rows.set(key, { row, error, inputs: input.tagName === 'DIV' ? [...input.querySelectorAll('input')] : [input] });
    return row;
  }

  baseRow(field, help = field.help) {
    let input;
    const id = idOf(field.key);
    if (field.type === 'choice') {
      input = el('select', { id, name: `sweep.${field.key}` });
      for (const [value, text] of field.choices) input.append(new Option(text, value));
    } else if (field.type === 'bool') {
      input = el('input', { id, name: `sweep.${field.key}`, type: 'checkbox' });
    } else {
      input = el('input', { id, name: `sweep.${field.key}`, type: 'text',
        inputMode: field.type === 'int' ? 'numeric' : 'decimal', spellcheck: false, autocomplete: 'off' });
    }
    this.baseInputs.set(field.key, { input, field });
    const row = this.row(field.key, field.label, input, help);
    row.classList.add(`field-${field.type}`);
    row.querySelector('label')?.after(el('code', { className: 'field-key', text: field.key }));
    return row;
  }

  set(spec, workers) {
    for (const i of this.optimizerInputs) i.checked = spec.optimizers.includes(i.value);
    this.lrInput.value = formatList(spec.lrs);
    this.repeatInput.value = String(spec.repeats);
    this.varySelect.value = spec.vary?.param ?? '';
    this.valuesInput.value = spec.vary ? formatList(spec.vary.values) : '';
    this.workersInput.value = String(workers);
    const flat = toFlat(spec.base);
    for (const [key, { input, field }] of this.baseInputs) {
      if (flat[key] === undefined) continue;
      if (field.type === 'bool') input.checked = !!flat[key];
      else input.value = formatValue(field, flat[key]);
    }
    this.syncVary();
  }

  // A link's values that do not parse ({key: text}, keys as specFromHash's raw), shown as they are so that
  // read() reports them.
  setText(raw) {
    const inputs = { lr: this.lrInput, repeat: this.repeatInput, vary: this.valuesInput, workers: this.workersInput };
    for (const [key, text] of Object.entries(raw)) {
      const input = inputs[key] ?? this.baseInputs.get(key)?.input;
      if (input && input.type !== 'checkbox') input.value = text;
    }
  }

  // The values box is only meaningful with a varied setting.
  syncVary() {
    this.valuesInput.disabled = !this.varySelect.value;
  }

  // -> {spec, workers, errors: [{field, message}]} (parse errors; the engine checks the rest)
  read() {
    this.syncVary();
    const errors = [];
    const optimizers = this.optimizerInputs.filter((i) => i.checked).map((i) => i.value);
    if (!optimizers.length) errors.push({ field: 'optimizer', message: 'choose at least one optimiser' });
    const lrs = parseList(this.lrInput.value, 'lr');
    errors.push(...lrs.errors);
    const repeats = parseValue({ type: 'int' }, this.repeatInput.value);
    if (repeats.error) errors.push({ field: 'repeat', message: repeats.error });
    let vary = null;
    const param = this.varySelect.value;
    if (param) {
      const values = parseList(this.valuesInput.value, `vary.${param}`, { int: param === 'n' });
      errors.push(...values.errors);
      vary = { param, values: values.tokens };
    }
    const workers = parseValue({ type: 'int' }, this.workersInput.value);
    // The pool's size is the page's: at most MAX_WORKERS (pool.js), whatever the device.
    if (workers.error) errors.push({ field: 'workers', message: workers.error });
    else if (workers.value < 1 || workers.value > MAX_WORKERS) {
      errors.push({ field: 'workers', message: `must be a whole number from 1 to ${MAX_WORKERS} (got ${workers.value})` });
    }
    const flat = {};
    for (const [key, { input, field }] of this.baseInputs) {
      const r = parseValue(field, field.type === 'bool' ? input.checked : input.value);
      if (r.error) errors.push({ field: key, message: r.error }); else flat[key] = r.value;
    }
    return {
      // Lists keep entries that do not parse as text, in their place: the engine checks the others (lr[1]).
      spec: { base: toNested(flat), optimizers, lrs: lrs.tokens, repeats: repeats.value ?? 1, vary },
      workers: workers.value,
      errors,
    };
  }

  // The row an error belongs to: lr[2] -> lr, vary.n[1] -> vary, optimizer[0] -> optimizer, memory -> h.
  rowFor(field) {
    const f = String(field || '');
    if (f === 'memory') return this.rows.get('h');
    if (f.startsWith('vary')) return this.rows.get('vary');
    return this.rows.get(f.replace(/\[\d+\]$/, ''));
  }

  markErrors(errors) {
    for (const { error, inputs } of this.rows.values()) {
      error.hidden = true;
      error.textContent = '';
      for (const i of inputs) i.removeAttribute('aria-invalid');
    }
    for (const e of errors) {
      const r = this.rowFor(e.field);
      if (!r) continue;
      for (const i of inputs(r, e.field, this)) i.setAttribute('aria-invalid', 'true');
      r.error.textContent = (r.error.textContent ? `${r.error.textContent}; ` : '') + `${e.field}: ${e.message}`;
      r.error.hidden = false;
      if (this.baseDetails.contains(r.row)) this.baseDetails.open = true;
    }
  }

  // hide= in embed mode: rows by key ('vary' is the varied setting and its values).
  hide(keys) {
    const hidden = new Set(keys);
    for (const [key, { row }] of this.rows) row.hidden = hidden.has(key) || (key === 'vary-param' && hidden.has('vary'));
  }

  focus(field) {
    this.rowFor(field)?.inputs[0]?.focus();
  }

  setDisabled(disabled) {
    for (const set of this.form.querySelectorAll('fieldset')) set.disabled = disabled;
    this.presetSelect.disabled = disabled;
  }

  // The preset menu shows the preset this spec is, or "Custom sweep".
  showPreset(spec) {
    const id = matchSweepPreset(spec);
    this.presetSelect.value = id ?? '';
    this.presetAbout.textContent = SWEEP_PRESETS.find((p) => p.id === id)?.about ?? 'Your own sweep.';
  }
}

// Inputs to mark for an error: a memory error marks n, d and h.
function inputs(row, field, form) {
  if (field !== 'memory') return row.inputs;
  return ['n', 'd', 'h'].flatMap((k) => form.rows.get(k)?.inputs || []);
}
