// The bench's table: one line per comparison, values in their units, ratio = ours / anchor, and whether the
// issue's target (a bound on that ratio) is met.
export const fmtSeconds = (s) => (s >= 1 ? `${s.toFixed(2)} s` : s >= 1e-3 ? `${(s * 1e3).toFixed(1)} ms` : `${(s * 1e6).toFixed(0)} µs`);
export const fmtBytes = (b) => `${(b / 1e6).toFixed(1)} MB`;

function fmtValue(kind, v) {
  if (v == null) return '—';
  if (typeof v === 'object') return v.status ?? 'n/a';
  if (kind === 'time') return fmtSeconds(v);
  if (kind === 'bytes') return fmtBytes(v);
  return v.toFixed(1);
}

function fmtRatio(r) {
  if (r.ratio == null) return '—';
  const x = r.ratio;
  const text = x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x >= 0.1 ? x.toFixed(2) : x.toFixed(3);
  // For times, also the speed-up, which reads more easily than a small ratio.
  return r.kind === 'time' && x < 1 ? `${text} (${(1 / x).toFixed(1)}x faster)` : text;
}

// '<= 0.10' or '>= 1.0' against the ratio: 'yes', 'NO', or '' without a target.
export function targetMet(r) {
  const m = /^(<=|>=)\s*([\d.]+)$/.exec(r.target || '');
  if (!m || r.ratio == null) return '';
  const bound = Number(m[2]);
  return (m[1] === '<=' ? r.ratio <= bound : r.ratio >= bound) ? 'yes' : 'NO';
}

export function printTable(rows) {
  const header = ['', 'measure', 'shape n/d/h', 'ours', 'anchor', 'anchor value', 'ours/anchor', 'target', 'met', 'note'];
  const lines = rows.map((r) => [r.section, r.measure, r.shape, fmtValue(r.kind, r.ours), r.anchorName,
    fmtValue(r.kind, r.anchor), fmtRatio(r), r.target, targetMet(r), r.note ?? '']);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => String(l[i]).length)));
  const fmt = (cells) => cells.map((c, i) => String(c).padEnd(widths[i])).join('  ').trimEnd();
  console.log('\n' + fmt(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const l of lines) console.log(fmt(l));
  for (const r of rows) r.met = targetMet(r);
}
