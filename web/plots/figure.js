// The frame every plot shares: a <figure> with a title, a canvas sized for the screen's devicePixelRatio
// (crisp on high-DPI), redraw on resize, a hover/keyboard tooltip, PNG export via canvas.toBlob, and a
// "Table" toggle that shows the figure's numbers as HTML tables (for screen readers and for copying).
// Subclasses implement draw(ctx, width, height) in CSS pixels, pick(x, y) -> {x, y, text} | null, and
// tables() -> [{caption, columns: [..], rows: [[..]]}] (the numbers the figure draws, as drawn).
import { download } from '../dom.js';
import { formatNumber } from './scale.js';

// Okabe–Ito colours: distinguishable with the common colour-vision deficiencies.
export const PALETTE = {
  blue: '#0072B2', orange: '#E69F00', green: '#009E73', red: '#D55E00',
  purple: '#CC79A7', sky: '#56B4E9', yellow: '#F0E442', black: '#222222', grey: '#8a8f98',
};
export const FONT = '12px system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';
export const FONT_SMALL = '11px system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';
export const INK = '#1d232b';
export const MUTED = '#5b6573';
export const GRID = '#e6e9ee';

let figureCount = 0;
// A table shows at most this many rows of one series (a 400-point curve is still readable; the rest is counted).
const TABLE_ROWS = 400;

function cellText(v) {
  return typeof v === 'number' ? formatNumber(v, 6) : v === null || v === undefined ? '—' : String(v);
}

export class Figure {
  // options: {id, title, description, height, filename}
  constructor(container, options) {
    this.options = { height: 240, ...options };
    this.id = options.id || `figure-${++figureCount}`;
    this.note = '';
    this.pngName = options.filename || this.id;

    const el = (this.element = document.createElement('figure'));
    el.className = 'plot';
    el.id = this.id;
    if (options.testid) el.dataset.testid = options.testid;

    const head = document.createElement('div');
    head.className = 'plot-head';
    const caption = document.createElement('figcaption');
    caption.textContent = options.title;
    caption.id = `${this.id}-title`;
    const png = document.createElement('button');
    png.type = 'button';
    png.className = 'plot-png';
    png.textContent = 'PNG';
    png.title = `Download “${options.title}” as a PNG image`;
    png.setAttribute('aria-label', `Download ${options.title} as PNG`);
    png.addEventListener('click', () => this.downloadPng());
    const table = (this.tableButton = document.createElement('button'));
    table.type = 'button';
    table.className = 'plot-table-toggle';
    table.textContent = 'Table';
    table.title = `Show the numbers of “${options.title}” as a table`;
    table.setAttribute('aria-pressed', 'false');
    table.setAttribute('aria-controls', `${this.id}-table`);
    table.addEventListener('click', () => this.toggleTable());
    head.append(caption, table, png);

    const box = (this.box = document.createElement('div'));
    box.className = 'plot-box';
    box.style.height = `${this.options.height}px`;
    const canvas = (this.canvas = document.createElement('canvas'));
    canvas.tabIndex = 0;
    canvas.setAttribute('role', 'img');
    canvas.setAttribute('aria-labelledby', caption.id);
    if (options.description) canvas.setAttribute('aria-description', options.description);
    const tip = (this.tip = document.createElement('div'));
    tip.className = 'plot-tip';
    tip.hidden = true;
    tip.setAttribute('role', 'status');
    box.append(canvas, tip);

    const desc = document.createElement('p');
    desc.className = 'plot-desc';
    desc.textContent = options.description || '';
    this.noteElement = document.createElement('p');
    this.noteElement.className = 'plot-note';
    this.noteElement.hidden = true;

    this.tableElement = document.createElement('div');
    this.tableElement.className = 'plot-tables';
    this.tableElement.id = `${this.id}-table`;
    this.tableElement.hidden = true;

    el.append(head, box, this.noteElement, desc, this.tableElement);
    container.append(el);

    canvas.addEventListener('mousemove', (e) => {
      const r = canvas.getBoundingClientRect();
      this.showTip(this.pick(e.clientX - r.left, e.clientY - r.top));
    });
    canvas.addEventListener('mouseleave', () => this.showTip(null));
    canvas.addEventListener('blur', () => this.showTip(null));
    canvas.addEventListener('keydown', (e) => {
      if (e.key !== 'ArrowLeft' && e.key !== 'ArrowRight') return;
      const hit = this.pickStep?.(e.key === 'ArrowRight' ? 1 : -1);
      if (hit) { e.preventDefault(); this.showTip(hit); }
    });

    this.resizeObserver = new ResizeObserver(() => this.render());
    this.resizeObserver.observe(box);
  }

  setNote(text) {
    this.note = text || '';
    this.noteElement.textContent = this.note;
    this.noteElement.hidden = !this.note;
  }

  size() {
    return { width: Math.max(120, this.box.clientWidth), height: Math.max(80, this.box.clientHeight) };
  }

  // Resizes the backing store to CSS size × devicePixelRatio and redraws.
  render() {
    const { width, height } = this.size();
    const dpr = window.devicePixelRatio || 1;
    const w = Math.round(width * dpr), h = Math.round(height * dpr);
    if (this.canvas.width !== w || this.canvas.height !== h) {
      this.canvas.width = w;
      this.canvas.height = h;
    }
    this.canvas.style.width = `${width}px`;
    this.canvas.style.height = `${height}px`;
    const ctx = this.canvas.getContext('2d');
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.fillStyle = '#ffffff';  // opaque, so the exported PNG is readable on any background
    ctx.fillRect(0, 0, width, height);
    ctx.font = FONT;
    ctx.lineJoin = 'round';
    this.draw(ctx, width, height);
    this.overlay?.(ctx, width, height);  // annotations (plots/annotations.js), drawn over the figure
    if (!this.tableElement.hidden) this.renderTable();
  }

  tables() { return []; }

  toggleTable(show = this.tableElement.hidden) {
    this.tableElement.hidden = !show;
    this.tableButton.setAttribute('aria-pressed', String(show));
    this.tableButton.textContent = show ? 'Hide table' : 'Table';
    if (show) this.renderTable();
  }

  // One <table> per series (or panel), with a caption, header row and at most TABLE_ROWS rows.
  renderTable() {
    const out = this.tableElement;
    out.replaceChildren();
    const tables = this.tables().filter((t) => t.rows.length);
    if (!tables.length) {
      const p = document.createElement('p');
      p.textContent = this.data?.empty || 'No data yet';
      out.append(p);
      return;
    }
    for (const t of tables) {
      const table = document.createElement('table');
      const caption = document.createElement('caption');
      caption.textContent = t.rows.length > TABLE_ROWS ? `${t.caption} (first ${TABLE_ROWS} of ${t.rows.length} rows)` : t.caption;
      const head = document.createElement('tr');
      for (const c of t.columns) {
        const th = document.createElement('th');
        th.scope = 'col';
        th.textContent = c;
        head.append(th);
      }
      const thead = document.createElement('thead');
      thead.append(head);
      const body = document.createElement('tbody');
      for (const row of t.rows.slice(0, TABLE_ROWS)) {
        const tr = document.createElement('tr');
        for (const v of row) {
          const td = document.createElement('td');
          td.textContent = cellText(v);
          tr.append(td);
        }
        body.append(tr);
      }
      table.append(caption, thead, body);
      out.append(table);
    }
  }

  draw() {}

  // The placeholder of a figure with nothing to plot yet (no points to hover).
  drawEmpty(ctx, width, height) {
    ctx.fillStyle = MUTED;
    ctx.textAlign = 'center';
    ctx.textBaseline = 'middle';
    ctx.fillText(this.data.empty || 'No data yet', width / 2, height / 2);
    this.element.dataset.points = '0';
  }
  pick() { return null; }

  showTip(hit) {
    if (!hit) { this.tip.hidden = true; return; }
    this.tip.textContent = hit.text;
    this.tip.hidden = false;
    const { width } = this.size();
    const tw = this.tip.offsetWidth;
    const left = Math.min(Math.max(0, hit.x + 12), Math.max(0, width - tw - 4));
    this.tip.style.left = `${hit.x + 12 + tw > width ? Math.max(0, hit.x - tw - 12) : left}px`;
    this.tip.style.top = `${Math.max(0, hit.y - 30)}px`;
  }

  // PNG at the screen's resolution, with the title drawn above the plot.
  downloadPng() {
    const { width, height } = this.size();
    const dpr = Math.max(2, window.devicePixelRatio || 1);
    const out = document.createElement('canvas');
    const titleHeight = 28;
    out.width = Math.round(width * dpr);
    out.height = Math.round((height + titleHeight) * dpr);
    const ctx = out.getContext('2d');
    ctx.scale(dpr, dpr);
    ctx.fillStyle = '#ffffff';
    ctx.fillRect(0, 0, width, height + titleHeight);
    ctx.fillStyle = INK;
    ctx.font = `600 ${FONT}`;
    ctx.textBaseline = 'middle';
    ctx.fillText(this.options.title + (this.note ? ` — ${this.note}` : ''), 10, titleHeight / 2);
    ctx.translate(0, titleHeight);
    ctx.font = FONT;
    this.draw(ctx, width, height);
    this.overlay?.(ctx, width, height);
    out.toBlob((blob) => {
      if (blob) download(blob, `spiketail-${this.pngName}.png`);
    }, 'image/png');
  }
}
