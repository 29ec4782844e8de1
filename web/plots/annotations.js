// Annotations drawn over a figure at the moments that matter (the guided tour: MP edge, the spike, the tail's
// slope, α crossing 2), in the figure's own data coordinates, and listed in the DOM for screen readers and
// tests. A figure calls `overlay(ctx, width, height)` after each draw (plots/figure.js), also into its PNG
// export, so an annotation stays on the figure as it redraws, resizes and is exported.
//
// annotate(figure, items) replaces the figure's annotations; clearAnnotations(figure) removes them. Items:
//   {kind: 'vline', x, label}            a vertical line at x, labelled at the top
//   {kind: 'hline', y, label}            a horizontal line at y, labelled at the right
//   {kind: 'span', x0, x1, label}        a shaded band from x0 to x1 (e.g. the MP bulk), labelled inside
//   {kind: 'point', x, y, label}         a ring at (x, y) with a leader to its label; y null: on the x axis
//   {kind: 'cell', index, label}         a ring around heatmap cell `index` (figure.cells) with its label
// Every number in a label comes from the engine (the caller formats it); this module only places text.
import { FONT_SMALL, INK } from './figure.js';

const ANNOTATION_COLOR = '#7a1f5c';  // apart from the Okabe–Ito series colours, so it reads as commentary
const SPAN_FILL = 'rgba(122, 31, 92, 0.08)';
const LABEL_BG = 'rgba(255, 255, 255, 0.92)';
const LEADER = 34;  // px from a ring to its label

export function annotate(figure, items) {
  figure.annotations = (items || []).filter(Boolean);
  figure.overlay = (ctx, width, height) => drawAnnotations(figure, ctx, width, height);
  listAnnotations(figure);
  figure.render();
}

export function clearAnnotations(figure) {
  annotate(figure, []);
}

// The labels as a list under the figure: what a screen reader (and a test) reads of the drawing.
function listAnnotations(figure) {
  let list = figure.element.querySelector('.plot-annotations');
  if (!list) {
    list = document.createElement('ul');
    list.className = 'plot-annotations';
    list.dataset.testid = 'annotations';
    list.setAttribute('aria-label', 'Annotations');
    figure.element.querySelector('.plot-box').after(list);
  }
  list.replaceChildren(...figure.annotations.map((a) => {
    const li = document.createElement('li');
    li.textContent = a.label;
    li.dataset.kind = a.kind;
    return li;
  }));
  list.hidden = !figure.annotations.length;
  figure.element.dataset.annotations = String(figure.annotations.length);
}

// Where a label of width w at x (aligned) and y goes: inside the plot area, and moved by `away` px (up to
// six times) while it would cover a label already placed. Returns {left, y}; records the box in `placed`.
function place(ctx, text, x, y, { align = 'left', area, placed, away = 18 }) {
  ctx.font = `600 ${FONT_SMALL}`;
  const w = ctx.measureText(text).width;
  let left = align === 'right' ? x - w : align === 'center' ? x - w / 2 : x;
  if (area) left = Math.max(area.left + 2, Math.min(left, area.right - w - 2));
  const hits = (cy) => placed.some((b) => left - 3 < b.right && left + w + 3 > b.left && cy - 9 < b.bottom && cy + 9 > b.top);
  for (let tries = 0; tries < 6 && hits(y); tries++) y += away;
  placed.push({ left: left - 3, right: left + w + 3, top: y - 9, bottom: y + 9 });
  return { left, y, w };
}

function label(ctx, text, { left, y, w }) {
  ctx.font = `600 ${FONT_SMALL}`;
  ctx.fillStyle = LABEL_BG;
  ctx.fillRect(left - 3, y - 8, w + 6, 16);
  ctx.strokeStyle = ANNOTATION_COLOR;
  ctx.lineWidth = 1;
  ctx.setLineDash([]);
  ctx.strokeRect(left - 3 + 0.5, y - 8 + 0.5, w + 6 - 1, 16 - 1);
  ctx.fillStyle = INK;
  ctx.textAlign = 'left';
  ctx.textBaseline = 'middle';
  ctx.fillText(text, left, y);
}

function ring(ctx, x, y, r = 7) {
  ctx.strokeStyle = ANNOTATION_COLOR;
  ctx.lineWidth = 2;
  ctx.setLineDash([]);
  ctx.beginPath();
  ctx.arc(x, y, r, 0, 2 * Math.PI);
  ctx.stroke();
}

// A ring at (px, py) and its label above (or below, near the top), on the side with more room.
function pointer(ctx, px, py, text, area, placed) {
  ring(ctx, px, py);
  const up = py - LEADER > area.top + 10;
  const right = px < (area.left + area.right) / 2;
  const box = place(ctx, text, right ? px + 12 : px - 12, up ? py - LEADER : py + LEADER,
    { align: right ? 'left' : 'right', area, placed, away: up ? -18 : 18 });
  ctx.strokeStyle = ANNOTATION_COLOR;
  ctx.lineWidth = 1.2;
  ctx.beginPath();
  ctx.moveTo(px, py + (up ? -7 : 7));
  ctx.lineTo(right ? box.left : box.left + box.w, box.y);
  ctx.stroke();
  label(ctx, text, box);
}

export function drawAnnotations(figure, ctx, width, height) {
  const items = figure.annotations || [];
  figure.element.dataset.annotationsDrawn = '0';
  if (!items.length) return;
  ctx.save();
  const s = figure.scales;  // XYChart: {xs, ys, left, right, top, bottom}
  const area = s ? { left: s.left, right: s.right, top: s.top, bottom: s.bottom } : { left: 0, right: width, top: 0, bottom: height };
  const xOf = (x) => (s && x !== null && Number.isFinite(x) && (!s.xs.log || x > 0) ? s.xs.map(x) : null);
  const yOf = (y) => (s && y !== null && Number.isFinite(y) && (!s.ys.log || y > 0) ? s.ys.map(y) : null);
  const clampX = (px) => Math.max(area.left, Math.min(area.right, px));
  const placed = [];  // label boxes drawn so far: a new label moves off them
  let drawn = 0;      // items placed on the figure (one outside the axes' range is listed but not drawn)
  for (const a of items) {
    if (a.kind === 'cell') {
      const c = figure.cells?.[a.index];
      if (!c) continue;
      pointer(ctx, c.x + c.s / 2, c.y + c.s / 2, a.label, area, placed);
      drawn++;
      continue;
    }
    if (!s) continue;
    if (a.kind === 'span') {
      const x0 = xOf(a.x0), x1 = xOf(a.x1);
      if (x0 === null || x1 === null) continue;
      const l = clampX(Math.min(x0, x1)), r = clampX(Math.max(x0, x1));
      ctx.fillStyle = SPAN_FILL;
      ctx.fillRect(l, area.top, r - l, area.bottom - area.top);
      label(ctx, a.label, place(ctx, a.label, (l + r) / 2, (area.top + area.bottom) / 2, { align: 'center', area, placed }));
      drawn++;
    } else if (a.kind === 'vline') {
      const px = xOf(a.x);
      if (px === null) continue;
      ctx.strokeStyle = ANNOTATION_COLOR;
      ctx.lineWidth = 1.6;
      ctx.setLineDash([6, 3]);
      ctx.beginPath();
      ctx.moveTo(px, area.top);
      ctx.lineTo(px, area.bottom);
      ctx.stroke();
      const right = px < (area.left + area.right) / 2;
      label(ctx, a.label, place(ctx, a.label, right ? px + 6 : px - 6, area.top + 40, { align: right ? 'left' : 'right', area, placed }));
      drawn++;
    } else if (a.kind === 'hline') {
      const py = yOf(a.y);
      if (py === null) continue;
      ctx.strokeStyle = ANNOTATION_COLOR;
      ctx.lineWidth = 1.4;
      ctx.setLineDash([6, 3]);
      ctx.beginPath();
      ctx.moveTo(area.left, py);
      ctx.lineTo(area.right, py);
      ctx.stroke();
      label(ctx, a.label, place(ctx, a.label, area.right - 4, py - 12, { align: 'right', area, placed, away: -18 }));
      drawn++;
    } else if (a.kind === 'point') {
      const px = xOf(a.x);
      const py = a.y === null || a.y === undefined ? area.bottom - 8 : yOf(a.y);
      if (px === null || py === null) continue;
      pointer(ctx, px, py, a.label, area, placed);
      drawn++;
    }
  }
  ctx.restore();
  figure.element.dataset.annotationsDrawn = String(drawn);  // for tests: the figure's own scales placed them
}
