#!/usr/bin/env node
// The "Analyze weights" view in headless Chromium, against WeightWatcher's times (issue 11) and against the page's
// memory goal; bench/run.mjs's "page" section, or on its own:
//
//   node bench/analyze-page.mjs [--quick] [--sets gpt2,big,mem]     (needs dist/ with the wasm)
//   node bench/analyze-page.mjs --file PATH [--dist DIR]            one file through the page (another build's dist/)
//
// Sets, each a float32 .safetensors written once to the temporary directory (not kept in the repository) and
// given to the page's file input by path:
//   gpt2  the 48 weight matrices of a GPT-2-small-sized model (twelve blocks of 768×2304, 768×768, 768×3072,
//         3072×768; 340 MB)
//   big   one 4096×4096 layer (67 MB)
//   mem   a 1 GB file of four 16384×4096 layers (268 MB each; the Gram is the smaller side, 4096²)
// (--quick: the same with tiny shapes, to check that it runs.) For each: the wall time from the file input to the
// last row, the renderer's CPU seconds (user + system of the renderer processes, whose threads include the
// workers, from /proc/PID/stat), its resident memory before and at the peak (sampled every 50 ms from
// /proc/PID/status) and the peak's growth over the largest layer; and `spiketail analyze --jobs 2` on gpt2 and
// big (wall and CPU seconds), when build/spiketail exists. The load average is recorded beside every number.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { serve } from '../scripts/serve.mjs';
import { WEIGHTWATCHER_SECONDS } from './eig/section.mjs';
import { gaussian } from '../tests/wasm/model-fixtures.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

// The issue's goals, as ratios: the page ≤ 0.5× WeightWatcher on gpt2 and < 1× on big, the CLI ≤ 0.3× on both,
// the page's peak memory growth ≤ 3× the largest layer.
const TARGETS = { page: { gpt2: '<= 0.5', big: '<= 1.0' }, cli: '<= 0.3', memory: '<= 3.0' };

// GPT-2 small's four weight matrices per block, as HF's Conv1D stores them (in × out).
const GPT2_BLOCK = [['attn.c_attn.weight', [768, 2304]], ['attn.c_proj.weight', [768, 768]], ['mlp.c_fc.weight', [768, 3072]], ['mlp.c_proj.weight', [3072, 768]]];

// name -> [[tensor name, [rows, cols]]]
function sets(quick) {
  const scale = quick ? 32 : 1;
  const block = (b) => GPT2_BLOCK.map(([n, [r, c]]) => [`h.${b}.${n}`, [r / scale, c / scale]]);
  return {
    gpt2: Array.from({ length: quick ? 2 : 12 }, (_, b) => block(b)).flat(),
    big: [['w', [4096 / scale, 4096 / scale]]],
    mem: Array.from({ length: 4 }, (_, i) => [`layers.${i}.weight`, [16384 / scale, 4096 / scale]]),
  };
}

// Writes a float32 safetensors file tensor by tensor (the header first), never holding the whole file. Entries:
// Gaussian, scaled by 1/sqrt(rows) (a random layer's MP bulk; the cost does not depend on the values).
export function writeSafetensors(target, tensors) {
  const header = { __metadata__: { format: 'pt' } };
  let at = 0;
  for (const [name, shape] of tensors) {
    const bytes = shape[0] * shape[1] * 4;
    header[name] = { dtype: 'F32', shape, data_offsets: [at, at + bytes] };
    at += bytes;
  }
  let text = JSON.stringify(header);
  while (text.length % 8) text += ' ';
  const fd = fs.openSync(target, 'w');
  const length = Buffer.alloc(8);
  length.writeBigUInt64LE(BigInt(text.length));
  fs.writeSync(fd, length);
  fs.writeSync(fd, Buffer.from(text, 'latin1'));
  tensors.forEach(([, shape], k) => {
    const values = gaussian(shape[0] * shape[1], 1000 + k);
    const s = 1 / Math.sqrt(shape[0]);
    for (let i = 0; i < values.length; i++) values[i] *= s;
    fs.writeSync(fd, Buffer.from(values.buffer));
  });
  fs.closeSync(fd);
}

function proc(pid, what) {
  try { return fs.readFileSync(`/proc/${pid}/${what}`, 'utf8'); } catch { return ''; }
}

// The renderer processes of this browser (the page and its workers).
function renderers(browserPid) {
  return fs.readdirSync('/proc').filter((p) => /^\d+$/.test(p))
    .filter((pid) => proc(pid, 'cmdline').includes('--type=renderer') && isDescendant(pid, browserPid));
}

function isDescendant(pid, ancestor) {
  for (let p = pid, k = 0; p && p !== '1' && k < 10; k++) {
    const parent = /^PPid:\s+(\d+)$/m.exec(proc(p, 'status'))?.[1];
    if (parent === String(ancestor)) return true;
    p = parent;
  }
  return false;
}

// CPU seconds (user + system) the renderers have used so far: the work, whatever the machine's load.
function rendererCpu(pids) {
  let total = 0;
  for (const pid of pids) {
    const fields = proc(pid, 'stat').split(') ')[1]?.split(' ');
    if (fields) total += (Number(fields[11]) + Number(fields[12])) / 100;  // USER_HZ
  }
  return total;
}

// Resident memory of the renderers, in bytes.
function rendererRss(pids) {
  let total = 0;
  for (const pid of pids) total += Number(/VmRSS:\s+(\d+)/.exec(proc(pid, 'status'))?.[1] ?? 0) * 1024;
  return total;
}

const load = () => Number(os.loadavg()[0].toFixed(2));

// One file through the page in a fresh browser: {wall, cpu, before, peak, layers, failed, workers, error, load}.
export async function measurePage(file, dist = path.join(root, 'dist')) {
  const { server, url } = await serve(dist, { port: 0, quiet: true });
  // A marker flag on the browser's command line finds its process (and so its renderers) in /proc.
  const marker = `--spiketail-bench=${process.pid}-${Date.now()}`;
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: [...CHROMIUM_ARGS, marker] });
  const browserPid = fs.readdirSync('/proc').find((p) => /^\d+$/.test(p) &&
    proc(p, 'cmdline').split('\0').includes(marker) && !proc(p, 'cmdline').includes('--type='));
  try {
    const page = await browser.newPage();
    const errors = [];
    page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
    await page.goto(`${url}#view=analyze`);
    await page.waitForSelector('[data-testid="analyze"]:not([hidden])');
    const cores = await page.evaluate(() => navigator.hardwareConcurrency);
    await page.waitForTimeout(500);  // the page's own start settles
    let pids = renderers(browserPid);
    const before = rendererRss(pids), cpu0 = rendererCpu(pids), load0 = load();
    let peak = before;
    const sampler = setInterval(() => {
      pids = renderers(browserPid);
      peak = Math.max(peak, rendererRss(pids));
    }, 50);
    const t0 = Date.now();
    await page.setInputFiles('[data-testid="analyze-file"]', file);
    await page.waitForFunction(() => {
      const a = window.spiketail.analyze?.analysis;
      return a?.files.length && !a.running && a.files.every((f) => ['done', 'error'].includes(f.state));
    }, null, { timeout: 30 * 60 * 1000, polling: 100 });
    const wall = (Date.now() - t0) / 1000;
    clearInterval(sampler);
    const cpu = rendererCpu(renderers(browserPid)) - cpu0;
    const info = await page.evaluate(() => {
      const a = window.spiketail.analyze.analysis;
      return { layers: a.layers().length, failed: a.layers().filter((i) => i.row?.status !== 'success').length,
        workers: a.pool.slots.length, error: a.files[0].error };
    });
    return { wall, cpu, before, peak, cores, ...info, errors, load: [load0, load()] };
  } finally {
    await browser.close();
    server.close();
  }
}

// `spiketail analyze FILE --jobs 2`: {wall, cpu, load} (bash's time gives the CPU seconds, user + system).
export function measureCli(cli, file) {
  const load0 = load(), t = Date.now();
  const run = spawnSync('bash', ['-c', 'TIMEFORMAT="%U %S"; time "$0" analyze "$1" --jobs 2 --quiet --out "$2"', cli, file,
    path.join(os.tmpdir(), `spiketail-bench-cli-${process.pid}.json`)], { encoding: 'utf8' });
  const wall = (Date.now() - t) / 1000;
  if (run.status !== 0) return { status: `exit ${run.status}: ${run.stderr.trim().split('\n')[0]}` };
  const [user, sys] = run.stderr.trim().split('\n').at(-1).split(' ').map(Number);
  return { wall, cpu: user + sys, load: [load0, load()] };
}

// The file of a set, written once (kept in the temporary directory for the next run).
function setFile(name, tensors, quick) {
  const file = path.join(os.tmpdir(), `spiketail-bench-${name}${quick ? '-quick' : ''}.safetensors`);
  if (!fs.existsSync(file)) {
    const t = Date.now();
    writeSafetensors(file, tensors);
    console.log(`  wrote ${file} (${(fs.statSync(file).size / 1e6).toFixed(0)} MB) in ${((Date.now() - t) / 1000).toFixed(1)} s`);
  }
  return file;
}

const note = (m) => `CPU ${m.cpu.toFixed(1)} s, load ${m.load[0]}→${m.load[1]}`;

// bench/run.mjs's "page" section: rows of its table (row(section, measure, shape, kind, ours, anchorName, anchor,
// target, note)), every measurement in results.page.
export async function analyzePageSection({ quick, row, results, only = ['gpt2', 'big', 'mem'], cli = path.join(root, 'build/spiketail') }) {
  const out = (results.page = {});
  const dist = path.join(root, 'dist');
  if (!fs.existsSync(path.join(dist, 'spiketail.wasm'))) {
    row('page', 'Analyze view', '', 'time', { status: 'not built' }, 'dist/ (node scripts/build-web.mjs)', null);
    return;
  }
  const all = sets(quick);
  for (const name of only) {
    const tensors = all[name];
    const file = setFile(name, tensors, quick);
    const largest = Math.max(...tensors.map(([, [r, c]]) => 4 * r * c));
    const label = `${tensors.length} × ${[...new Set(tensors.map(([, s]) => s.join('×')))].join(', ')}`;
    const m = await measurePage(file, dist);
    out[name] = { file, bytes: fs.statSync(file).size, largest_layer_bytes: largest, page: m };
    console.log(`  page ${name}: ${m.layers} layers (${m.failed} without a fit${m.error ? `; ${m.error}` : ''}) in ${m.wall.toFixed(1)} s, ` +
      `${note(m)}, ${m.workers} worker${m.workers === 1 ? '' : 's'} on ${m.cores} cores; renderer RSS ${(m.before / 1e6).toFixed(0)} MB before, ` +
      `peak ${(m.peak / 1e6).toFixed(0)} MB (+${((m.peak - m.before) / 1e6).toFixed(0)} MB; largest layer ${(largest / 1e6).toFixed(0)} MB)` +
      (m.errors.length ? `; console errors: ${m.errors.join(' | ')}` : ''));
    const ww = quick ? null : WEIGHTWATCHER_SECONDS[name];
    if (name !== 'mem') {
      row('page', `Analyze view, ${m.workers} worker${m.workers === 1 ? '' : 's'}`, label, 'time', m.wall, 'WeightWatcher (issue 11)', ww, TARGETS.page[name], note(m));
      const c = fs.existsSync(cli) ? measureCli(cli, file) : { status: 'not built' };
      out[name].cli = c;
      row('native', 'spiketail analyze --jobs 2', label, 'time', c.wall ?? c, 'WeightWatcher (issue 11)', ww, TARGETS.cli,
        c.cpu !== undefined ? note(c) : '');
    }
    row('page', `Analyze view: peak memory growth, ${m.workers} worker${m.workers === 1 ? '' : 's'}`, label, 'bytes',
      m.peak - m.before, 'largest layer', largest, name === 'mem' ? TARGETS.memory : '',
      `RSS ${(m.before / 1e6).toFixed(0)} → ${(m.peak / 1e6).toFixed(0)} MB; ${note(m)}; wall ${m.wall.toFixed(1)} s`);
  }
}

// On its own: the section's rows printed.
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const argv = process.argv.slice(2);
  const arg = (name) => { const i = argv.indexOf(name); return i >= 0 ? argv[i + 1] : undefined; };
  const quick = argv.includes('--quick');
  const rows = [];
  const row = (...cells) => rows.push(cells);
  if (arg('--file')) {
    const m = await measurePage(path.resolve(arg('--file')), path.resolve(arg('--dist') ?? path.join(root, 'dist')));
    console.log(JSON.stringify(m));
  } else {
    await analyzePageSection({ quick, row, results: {}, only: (arg('--sets') ?? 'gpt2,big,mem').split(',') });
    for (const r of rows) console.log(r.map((x) => (typeof x === 'number' ? Number(x.toPrecision(4)) : typeof x === 'object' ? x?.status : x)).join(' | '));
  }
}
