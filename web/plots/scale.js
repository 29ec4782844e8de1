// Axis scales for the canvas plots: value <-> pixel maps (linear and log10), "nice" tick positions and
// compact number labels. No drawing here.

const SUPERSCRIPT = { '-': '⁻', 0: '⁰', 1: '¹', 2: '²', 3: '³', 4: '⁴', 5: '⁵', 6: '⁶', 7: '⁷', 8: '⁸', 9: '⁹' };

// Compact label: 4 significant digits, exponent form for very large/small magnitudes.
export function formatNumber(v, digits = 4) {
  if (v === null || v === undefined) return '—';
  if (typeof v !== 'number') return String(v);
  if (Number.isNaN(v)) return '—';
  if (!Number.isFinite(v)) return v > 0 ? '∞' : '−∞';
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e5 || a < 1e-3) return v.toExponential(Math.max(0, digits - 2)).replace('e+', 'e');
  return String(Number(v.toPrecision(digits)));
}

export function powerOfTen(exponent) {
  return '10' + String(exponent).split('').map((c) => SUPERSCRIPT[c]).join('');
}

function niceStep(span, count) {
  const raw = span / Math.max(1, count);
  const mag = 10 ** Math.floor(Math.log10(raw));
  const r = raw / mag;
  return (r < 1.5 ? 1 : r < 3 ? 2 : r < 7 ? 5 : 10) * mag;
}

// Ticks for a linear axis: [{value, label}] at multiples of 1, 2 or 5 x 10^k.
export function linearTicks(lo, hi, count = 5) {
  if (!(hi > lo)) return [{ value: lo, label: formatNumber(lo) }];
  const step = niceStep(hi - lo, count);
  const values = [];
  for (let i = Math.ceil(lo / step - 1e-9); i * step <= hi + step * 1e-9; i++) values.push(i === 0 ? 0 : i * step);
  // One format for the whole axis: exponent form when the numbers are tiny or huge, else fixed decimals
  // (also for a narrow range of ordinary numbers, e.g. 1.5162 … 1.5168, which reads better than 1.5162e0).
  const big = Math.max(Math.abs(lo), Math.abs(hi));
  const decimals = Math.max(0, -Math.floor(Math.log10(step) + 1e-9));
  const label = big >= 1e5 || big < 1e-3 || decimals > 7
    ? (v) => (v === 0 ? '0' : Number(v.toPrecision(10)).toExponential().replace('e+', 'e'))
    : (v) => v.toFixed(decimals);
  return values.map((value) => ({ value, label: label(value) }));
}

// Ticks for a log10 axis over [lo, hi] (both > 0): decades, with 2 and 5 in between when few decades.
export function logTicks(lo, hi, count = 5) {
  const e0 = Math.floor(Math.log10(lo) + 1e-9);
  const e1 = Math.ceil(Math.log10(hi) - 1e-9);
  const decades = e1 - e0;
  const span = Math.log10(hi / lo);
  const ticks = [];
  if (decades <= 1) {
    // Less than a decade shown: fall back to nice linear positions, labelled as numbers.
    return linearTicks(lo, hi, count).filter((t) => t.value > 0);
  }
  const every = Math.max(1, Math.ceil(decades / (count + 1)));
  for (let e = e0; e <= e1; e++) {
    const v = 10 ** e;
    // Within a few decades of 1 plain numbers read better (0.05 0.1 0.2 0.5 1); else powers of ten.
    const plain = span <= 2.5 && e >= -3 && e <= 4;
    if ((e - e0) % every === 0 && v >= lo * 0.999 && v <= hi * 1.001) ticks.push({ value: v, label: plain ? formatNumber(v) : powerOfTen(e), major: true });
    if (span <= 2.5) {
      for (const m of [2, 5]) {
        const w = m * v;
        if (w >= lo && w <= hi) ticks.push({ value: w, label: formatNumber(w), major: false });
      }
    }
  }
  if (ticks.length < 2) return linearTicks(lo, hi, count).filter((t) => t.value > 0);
  return ticks.sort((a, b) => a.value - b.value);
}

// A scale maps domain [d0, d1] to pixels [r0, r1]; log scales map log10 of the value.
export function makeScale({ log = false, domain: [d0, d1], range: [r0, r1] }) {
  const f = log ? Math.log10 : (v) => v;
  const a = f(d0), b = f(d1);
  const k = b === a ? 0 : (r1 - r0) / (b - a);
  return {
    log,
    domain: [d0, d1],
    range: [r0, r1],
    map: (v) => r0 + (f(v) - a) * k,
    invert: (p) => {
      const u = a + (p - r0) / (k || 1);
      return log ? 10 ** u : u;
    },
    ticks: (count) => (log ? logTicks(d0, d1, count) : linearTicks(d0, d1, count)),
  };
}

// Domain covering the finite values (positive ones on a log axis), padded a little; null when none.
export function extent(arrays, { log = false, pad = 0.04, includeZero = false } = {}) {
  let lo = Infinity, hi = -Infinity;
  for (const arr of arrays) {
    if (!arr) continue;
    for (const v of arr) {
      if (v === null || !Number.isFinite(v) || (log && v <= 0)) continue;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
  }
  if (!(hi >= lo)) return null;
  if (includeZero && !log) { lo = Math.min(lo, 0); hi = Math.max(hi, 0); }
  if (log) {
    if (hi === lo) { lo /= 2; hi *= 2; }
    const l = Math.log10(lo), h = Math.log10(hi), p = (h - l) * pad;
    return [10 ** (l - p), 10 ** (h + p)];
  }
  if (hi === lo) {
    const w = Math.abs(hi) > 0 ? Math.abs(hi) * 0.1 : 1;
    return [lo - w, hi + w];
  }
  const p = (hi - lo) * pad;
  return [includeZero && lo === 0 ? 0 : lo - p, hi + p];
}
