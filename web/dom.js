// The page's small DOM helpers, one copy each: building elements, downloading a file, and localStorage.
// Views and controllers import these instead of carrying their own.

// The element of index.html with this id.
export const $ = (id) => document.getElementById(id);

// el('button', {className: 'primary', text: 'Start', type: 'button', 'data-testid': 'x'}, child, 'text', …)
// Keys that are properties of the element (id, type, value, htmlFor, hidden, inputMode…) are set as
// properties; the others (aria-*, data-*) as attributes. Null, undefined and false children are skipped.
export function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined) continue;
    if (k === 'className') e.className = v;
    else if (k === 'text') e.textContent = v;
    else if (k in e) e[k] = v;
    else e.setAttribute(k, v);
  }
  e.append(...children.filter((c) => c !== null && c !== undefined && c !== false));
  return e;
}

// Saves a Blob as a file named `name` (an object URL and a clicked <a download>).
export function download(blob, name) {
  const a = el('a', { href: URL.createObjectURL(blob), download: name });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 1000);
}

// localStorage, or null where it is unavailable (a sandboxed iframe throws on access).
function localStore() {
  try { return globalThis.localStorage ?? null; } catch { return null; }
}

// One JSON value kept under `key`. Storage can be missing, full or throwing (private mode, sandboxed
// iframes): load() then gives null and save() false, and the page goes on without it.
export function createStore(key, storage = null) {
  const target = () => storage ?? localStore();
  return {
    load() {
      try {
        const text = target()?.getItem(key);
        return text ? JSON.parse(text) : null;
      } catch {
        return null;
      }
    },
    // Saves `value`; when it does not fit (quota exceeded) saves `smaller` instead, if given.
    // true when `value` itself was saved.
    save(value, smaller) {
      const s = target();
      if (!s) return false;
      try {
        s.setItem(key, JSON.stringify(value));
        return true;
      } catch {
        if (smaller !== undefined) {
          try { s.setItem(key, JSON.stringify(smaller)); } catch { /* storage unavailable */ }
        }
        return false;
      }
    },
  };
}

// "1 step", "2 steps": every count the page writes in words.
export const plural = (count, word) => `${count} ${word}${count === 1 ? '' : 's'}`;
