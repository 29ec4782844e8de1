// The config form: one input per config field (name = its config key), grouped as in fields.js.
// Reads typed values, writes a config back, shows each field's error next to it, hides fields (hide=).
import { FIELDS, GROUPS, FIELD_BY_KEY, formatValue, parseValue, toFlat, toNested } from './fields.js';

const idOf = (key) => `field-${key.replace(/\./g, '-')}`;

export class Controls {
  // form: a <form> element; onInput(key) after every edit.
  constructor(form, { onInput }) {
    this.form = form;
    this.inputs = new Map();
    for (const group of GROUPS) {
      const set = document.createElement('fieldset');
      set.className = 'group';
      set.dataset.group = group.id;
      const legend = document.createElement('legend');
      legend.textContent = group.label;
      legend.title = group.help;
      set.append(legend);
      for (const field of FIELDS.filter((f) => f.group === group.id)) set.append(this.fieldRow(field));
      form.append(set);
    }
    form.addEventListener('submit', (e) => e.preventDefault());
    const changed = (e) => {
      const key = e.target.name;
      if (FIELD_BY_KEY.has(key)) onInput(key);
    };
    form.addEventListener('input', changed);
    form.addEventListener('change', changed);
  }

  fieldRow(field) {
    const row = document.createElement('div');
    row.className = `field field-${field.type}`;
    row.dataset.field = field.key;
    const id = idOf(field.key);
    let input;
    if (field.type === 'choice') {
      input = document.createElement('select');
      for (const [value, text] of field.choices) input.append(new Option(text, value));
    } else {
      input = document.createElement('input');
      if (field.type === 'bool') input.type = 'checkbox';
      // Text, not type=number, for integers too: a number input hands over "" for text it cannot read ("1e"),
      // and the error could then only say "enter a value" instead of quoting what was typed.
      else {
        input.type = 'text';
        input.inputMode = field.type === 'int' ? 'numeric' : 'decimal';
        input.spellcheck = false;
        input.autocomplete = 'off';
      }
    }
    input.id = id;
    input.name = field.key;
    input.setAttribute('aria-describedby', `${id}-help ${id}-error`);
    const label = document.createElement('label');
    label.htmlFor = id;
    label.textContent = field.label;
    const key = document.createElement('code');
    key.className = 'field-key';
    key.textContent = field.key;
    const help = document.createElement('small');
    help.className = 'field-help';
    help.id = `${id}-help`;
    help.textContent = field.help;
    const error = document.createElement('small');
    error.className = 'field-error';
    error.id = `${id}-error`;
    error.hidden = true;
    if (field.type === 'bool') {
      const wrap = document.createElement('div');
      wrap.className = 'check';
      wrap.append(input, label);
      row.append(wrap, key, help, error);
    } else {
      row.append(label, key, input, help, error);
    }
    this.inputs.set(field.key, { input, row, error, field });
    return row;
  }

  setConfig(nested) {
    const flat = toFlat(nested);
    for (const [key, { input, field }] of this.inputs) {
      if (flat[key] === undefined) continue;
      if (field.type === 'bool') input.checked = !!flat[key];
      else if (field.type === 'choice' && ![...input.options].some((o) => o.value === flat[key])) input.value = field.default;
      else input.value = field.type === 'number' || field.type === 'int' ? formatValue(field, flat[key]) : flat[key];
    }
  }

  // Text as given (a link's value that does not parse), shown as it is so that read() reports it.
  // A menu gets the link's value as an extra entry, removed once another is chosen.
  setText(texts) {
    for (const [key, text] of Object.entries(texts)) {
      const item = this.inputs.get(key);
      if (!item || item.field.type === 'bool') continue;
      if (item.field.type === 'choice') {
        const option = new Option(`${text} (from the link)`, text);
        option.dataset.fromLink = '1';
        item.input.append(option);
        item.input.addEventListener('change', () => { if (!option.selected) option.remove(); }, { once: true });
      }
      item.input.value = text;
    }
  }

  // -> {config (nested), errors: [{field, message}]} — parse errors only; ranges are the engine's.
  read() {
    const flat = {};
    const errors = [];
    for (const [key, { input, field }] of this.inputs) {
      const parsed = parseValue(field, field.type === 'bool' ? input.checked : input.value);
      if (parsed.error) errors.push({ field: key, message: parsed.error });
      else flat[key] = parsed.value;
    }
    return { config: toNested(flat), errors };
  }

  // errors: [{field, message}]; a field of "memory" marks n, d and h.
  markErrors(errors) {
    for (const { input, error } of this.inputs.values()) {
      input.removeAttribute('aria-invalid');
      error.hidden = true;
      error.textContent = '';
    }
    for (const e of errors) {
      const keys = e.field === 'memory' ? ['n', 'd', 'h'] : [e.field];
      for (const key of keys) {
        const item = this.inputs.get(key);
        if (!item) continue;
        item.input.setAttribute('aria-invalid', 'true');
        if (e.field !== 'memory' || key === 'h') {
          item.error.textContent = e.message;
          item.error.hidden = false;
        }
      }
    }
  }

  // keys: config keys (hide=); other names (the page's parts) are not the form's.
  hide(keys) {
    const hidden = new Set(keys);
    for (const [key, { row }] of this.inputs) row.hidden = hidden.has(key);
    for (const set of this.form.querySelectorAll('fieldset.group')) {
      set.hidden = [...set.querySelectorAll('.field')].every((r) => r.hidden);
    }
  }

  focus(key) {
    this.inputs.get(key)?.input.focus();
  }
}
