// Labels drawn on a chart's plot area, so a reader sees what each part of a figure is without a legend:
//   spans  [{x0, x1, label, color}]  a bracket along the top over [x0, x1] (e.g. "bulk", "power-law tail")
//   pins   [{x, label, color}]       an arrow at the bottom pointing at x (e.g. a spike), its label above
// Positions are data units; the caller says what to label (the engine's numbers), this file only places it.
import { FONT_SMALL } from './figure.js';

const ROW = 15;  // px between stacked labels

function textBox(ctx, text, x, y, color, align) {
  const w = ctx.measureText(text).width;
  const x0 = align === 'right' ? x - w : align === 'center' ? x - w / 2 : x;
  ctx.fillStyle = 'rgba(255, 255, 255, 0.85)';  // readable over the curves
  ctx.fillRect(x0 - 2, y - 1, w + 4, 13);
  ctx.fillStyle = color;
  ctx.fillText(text, x0, y);
  return [x0 - 2, x0 + w + 2];
}

// Returns the hover targets [{px, py, text}] of what it drew.
export function drawSpans(ctx, spans, xs, box) {
  const targets = [];
  ctx.font = FONT_SMALL;
  ctx.textBaseline = 'top';
  spans.forEach((s, i) => {
    if (!Number.isFinite(s.x0) || !Number.isFinite(s.x1) || (xs.log && (s.x0 <= 0 || s.x1 <= 0))) return;
    const a = Math.max(box.left, Math.min(xs.map(s.x0), xs.map(s.x1)));
    const b = Math.min(box.right, Math.max(xs.map(s.x0), xs.map(s.x1)));
    if (!(b > a)) return;
    const y = box.top + 6 + (s.row ?? i) * ROW;
    ctx.strokeStyle = s.color;
    ctx.lineWidth = 1.2;
    ctx.setLineDash([]);
    ctx.beginPath();
    ctx.moveTo(a, y + 5);
    ctx.lineTo(a, y);
    ctx.lineTo(b, y);
    ctx.lineTo(b, y + 5);
    ctx.stroke();
    const mid = (a + b) / 2;
    textBox(ctx, s.label, Math.max(box.left + 2, Math.min(mid, box.right - 2)), y + 2, s.color, 'center');
    targets.push({ px: mid, py: y, text: s.text || s.label });
  });
  return targets;
}

export function drawPins(ctx, pins, xs, box) {
  const targets = [];
  ctx.font = FONT_SMALL;
  ctx.textBaseline = 'top';
  let lastEnd = -Infinity, row = 0;
  const sorted = pins.filter((p) => Number.isFinite(p.x) && (!xs.log || p.x > 0))
    .map((p) => ({ ...p, px: xs.map(p.x) })).sort((a, b) => a.px - b.px);
  for (const p of sorted) {
    if (p.px < box.left - 1 || p.px > box.right + 1) continue;  // zoomed out of view
    const tip = box.bottom - 2;
    ctx.fillStyle = p.color;
    ctx.beginPath();
    ctx.moveTo(p.px, tip);
    ctx.lineTo(p.px - 5, tip - 9);
    ctx.lineTo(p.px + 5, tip - 9);
    ctx.closePath();
    ctx.fill();
    const w = ctx.measureText(p.label).width;
    const align = p.px + w / 2 > box.right ? 'right' : p.px - w / 2 < box.left ? 'left' : 'center';
    const start = align === 'right' ? p.px - w : align === 'left' ? p.px : p.px - w / 2;
    row = start < lastEnd + 4 ? row + 1 : 0;  // stack labels that would overlap
    const y = tip - 24 - row * ROW;
    const [, end] = textBox(ctx, p.label, p.px, y, p.color, align);
    lastEnd = Math.max(lastEnd, end);
    targets.push({ px: p.px, py: tip - 5, text: p.text || p.label });
  }
  return targets;
}
