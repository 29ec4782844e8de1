#!/usr/bin/env node
// The "Analyze weights" view on a GPT-2-small-sized model, in headless Chromium (issue 11's page criterion):
// 48 float32 matrices, twelve blocks of 768×2304, 768×768, 768×3072 and 3072×768 (340 MB), written once to
// a temporary file (not kept in the repository), given to the page's file input by path, analysed on the
// page's worker pool. Reports the wall time from the file input to the last row, and the peak resident memory
// of the page's renderer process (its workers run inside it), sampled from /proc every 50 ms; and, when
// build/spiketail exists, `spiketail analyze --jobs 2` on the same file.
//
//   node bench/analyze-page.mjs [--file PATH] [--blocks 12]      (needs dist/ built with the wasm)
// The generated file stays in the temporary directory for the next run (delete it when done).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { serve } from '../scripts/serve.mjs';
import { gaussian } from '../tests/wasm/model-fixtures.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const argv = process.argv.slice(2);
const arg = (name, fallback) => { const i = argv.indexOf(name); return i >= 0 ? argv[i + 1] : fallback; };
const blocks = Number(arg('--blocks', 12));
const file = arg('--file', path.join(os.tmpdir(), `spiketail-gpt2-small-${blocks}.safetensors`));
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

// GPT-2 small's four weight matrices per block, as HF's Conv1D stores them (in × out).
const BLOCK = [['attn.c_attn.weight', [768, 2304]], ['attn.c_proj.weight', [768, 768]], ['mlp.c_fc.weight', [768, 3072]], ['mlp.c_proj.weight', [3072, 768]]];

// Writes the safetensors file tensor by tensor (the header first), never holding the whole file.
function writeModel(target) {
  const header = { __metadata__: { format: 'pt' } };
  const tensors = [];
  let at = 0;
  for (let b = 0; b < blocks; b++) {
    for (const [name, shape] of BLOCK) {
      const bytes = shape[0] * shape[1] * 4;
      header[`h.${b}.${name}`] = { dtype: 'F32', shape, data_offsets: [at, at + bytes] };
      tensors.push({ shape, seed: 1000 + tensors.length });
      at += bytes;
    }
  }
  let text = JSON.stringify(header);
  while (text.length % 8) text += ' ';
  const fd = fs.openSync(target, 'w');
  const length = Buffer.alloc(8);
  length.writeBigUInt64LE(BigInt(text.length));
  fs.writeSync(fd, length);
  fs.writeSync(fd, Buffer.from(text, 'latin1'));
  for (const t of tensors) {
    // Gaussian entries scaled by 1/sqrt(in): a random layer's MP bulk (the cost does not depend on values).
    const values = gaussian(t.shape[0] * t.shape[1], t.seed);
    const s = 1 / Math.sqrt(t.shape[0]);
    for (let i = 0; i < values.length; i++) values[i] *= s;
    fs.writeSync(fd, Buffer.from(values.buffer));
  }
  fs.closeSync(fd);
}

// The renderer processes of this browser (the page and its workers).
function renderers(browserPid) {
  return fs.readdirSync('/proc').filter((p) => /^\d+$/.test(p)).filter((pid) => {
    try {
      return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('--type=renderer') && isDescendant(pid, browserPid);
    } catch { return false; }
  });
}

// CPU seconds (user + system) the renderers have used so far: the work, whatever the machine's load.
function rendererCpu(browserPid) {
  const tick = 100;  // USER_HZ on Linux
  let total = 0;
  for (const pid of renderers(browserPid)) {
    try {
      const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
      total += (Number(fields[11]) + Number(fields[12])) / tick;
    } catch { /* the process ended */ }
  }
  return total;
}

// Resident memory of the renderer processes of this browser (the page and its workers), in bytes.
function rendererRss(browserPid) {
  let total = 0;
  for (const pid of fs.readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const cmd = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      if (!cmd.includes('--type=renderer')) continue;
      const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
      if (!new RegExp(`^PPid:\\s+${browserPid}$`, 'm').test(status) && !isDescendant(pid, browserPid)) continue;
      total += Number(/VmRSS:\s+(\d+)/.exec(status)[1]) * 1024;
    } catch { /* the process ended */ }
  }
  return total;
}

function isDescendant(pid, ancestor) {
  for (let p = pid, k = 0; p && p !== '1' && k < 10; k++) {
    const parent = /^PPid:\s+(\d+)$/m.exec(fs.readFileSync(`/proc/${p}/status`, 'utf8'))?.[1];
    if (parent === String(ancestor)) return true;
    p = parent;
  }
  return false;
}

const mb = (b) => `${(b / 2 ** 20).toFixed(0)} MB`;

if (!fs.existsSync(file)) {
  const t = Date.now();
  writeModel(file);
  console.log(`wrote ${file} (${mb(fs.statSync(file).size)}) in ${((Date.now() - t) / 1000).toFixed(1)} s`);
}
const size = fs.statSync(file).size;
const { server, url } = await serve(path.join(root, 'dist'), { port: 0, quiet: true });
// A marker flag on the browser's command line finds its process (and so its renderers) in /proc.
const marker = `--spiketail-bench=${process.pid}`;
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: [...CHROMIUM_ARGS, marker] });
const browserPid = fs.readdirSync('/proc').find((p) => {
  try { return /^\d+$/.test(p) && fs.readFileSync(`/proc/${p}/cmdline`, 'utf8').split('\0').includes(marker) && !fs.readFileSync(`/proc/${p}/cmdline`, 'utf8').includes('--type='); } catch { return false; }
});
try {
  const page = await browser.newPage();
  const errors = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  await page.goto(`${url}#view=analyze`);
  await page.waitForSelector('[data-testid="analyze"]:not([hidden])');
  const cores = await page.evaluate(() => navigator.hardwareConcurrency);
  const idle = browserPid ? rendererRss(browserPid) : 0;
  const cpu0 = rendererCpu(browserPid);
  let peak = idle;
  const sampler = setInterval(() => { if (browserPid) peak = Math.max(peak, rendererRss(browserPid)); }, 50);
  const t0 = Date.now();
  await page.setInputFiles('[data-testid="analyze-file"]', file);
  await page.waitForFunction(() => {
    const a = window.spiketail.analyze?.analysis;
    return a?.files.length && !a.running && a.files.every((f) => ['done', 'error'].includes(f.state));
  }, null, { timeout: 30 * 60 * 1000, polling: 100 });
  const wall = (Date.now() - t0) / 1000;
  const cpu = rendererCpu(browserPid) - cpu0;
  clearInterval(sampler);
  const info = await page.evaluate(() => {
    const a = window.spiketail.analyze.analysis;
    return { layers: a.layers().length, failed: a.layers().filter((i) => i.row?.status !== 'success').length,
      workers: a.pool.slots.length, error: a.files[0].error, workerMs: a.files[0].workerMs };
  });
  console.log(`page: ${info.layers} layers (${info.failed} without a fit${info.error ? `; ${info.error}` : ''}) of a ${mb(size)} file in ${wall.toFixed(1)} s` +
    ` on ${cores} cores, ${info.workers} workers; CPU ${cpu.toFixed(1)} s (the workers' time on the layers: ${(info.workerMs / 1000).toFixed(1)} s in all);` +
    ` renderer RSS ${mb(idle)} before, peak ${mb(peak)} (largest layer ${mb(3072 * 768 * 4)})`);
  if (errors.length) console.log(`console errors: ${errors.join(' | ')}`);
} finally {
  await browser.close();
  server.close();
}
const cli = path.join(root, 'build/spiketail');
if (fs.existsSync(cli)) {
  const t = Date.now();
  // bash's time: the CLI's CPU seconds (user + system), as the renderer's above.
  const run = spawnSync('bash', ['-c', 'TIMEFORMAT="%U %S"; time "$0" analyze "$1" --jobs 2 --quiet --out "$2"', cli, file,
    path.join(os.tmpdir(), 'spiketail-gpt2-cli.json')], { encoding: 'utf8' });
  const [user, sys] = run.stderr.trim().split('\n').at(-1).split(' ').map(Number);
  console.log(`cli: spiketail analyze --jobs 2: ${((Date.now() - t) / 1000).toFixed(1)} s, CPU ${(user + sys).toFixed(1)} s`);
}
