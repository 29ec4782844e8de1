// Shared set-up for the browser tests: a static server on a free port serving dist/, Debian's Chromium
// through playwright-core, pages that record every console error, and small waits on the page's state.
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { serve } from '../../scripts/serve.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const dist = join(root, 'dist');
export const screenshots = join(root, 'tests/e2e/screenshots');

export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

// A small, fast config (a few ms per step) for most checks.
export const SMALL = { n: 300, n_test: 100, d: 80, h: 120 };

// isolated: false serves without the cross-origin isolation headers (a host that sets none): the page then
// runs the single-thread engine; with them (the default, as `npm start`) the threaded one.
export async function start({ isolated = true } = {}) {
  if (!existsSync(join(dist, 'index.html')) || !existsSync(join(dist, 'spiketail.wasm'))) {
    throw new Error('dist/ is missing or has no spiketail.wasm: run "npm run build" first');
  }
  mkdirSync(screenshots, { recursive: true });
  const { server, url } = await serve(dist, { port: 0, quiet: true, isolated });
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  return {
    url,
    browser,
    async close() {
      await browser.close();
      await new Promise((r) => server.close(r));
    },
  };
}

// A page in a fresh context (own localStorage) that records console errors and uncaught exceptions.
export async function open(env, hash = '', { width = 1280, height = 900, context = null } = {}) {
  const ctx = context || await env.browser.newContext({ viewport: { width, height }, acceptDownloads: true });
  const page = await ctx.newPage();
  page.errors = [];
  page.warnings = [];
  page.on('console', (m) => {
    if (m.type() === 'error') page.errors.push(`console: ${m.text()}`);
    if (m.type() === 'warning') page.warnings.push(m.text());
  });
  page.on('pageerror', (e) => page.errors.push(`pageerror: ${e.message}`));
  await page.goto(env.url + hash);
  await waitReady(page);
  return page;
}

// The engine has loaded and the page's run has probed step 0 (or shows a saved run).
// A page at `hash` whose Web Workers are counted: window.__workers lists every one created, each with
// `terminated` set when the page ends it (the pools' tests). page.errors collects console errors.
export async function openCountingWorkers(env, hash, { width = 1280, height = 900 } = {}) {
  const ctx = await env.browser.newContext({ viewport: { width, height }, acceptDownloads: true });
  await ctx.addInitScript(() => {
    const Native = window.Worker;
    window.__workers = [];
    window.Worker = class extends Native {
      constructor(...args) { super(...args); this.terminated = false; window.__workers.push(this); }
      terminate() { this.terminated = true; super.terminate(); }
    };
  });
  const page = await ctx.newPage();
  page.errors = [];
  page.on('console', (m) => { if (m.type() === 'error') page.errors.push(`console: ${m.text()}`); });
  page.on('pageerror', (e) => page.errors.push(`pageerror: ${e.message}`));
  await page.goto(env.url + hash);
  return page;
}

export async function waitReady(page, timeout = 30000) {
  await page.waitForFunction(() => window.spiketail?.app?.engineReady && window.spiketail.app.run?.probes?.length > 0 &&
    !window.spiketail.app.running, null, { timeout });
}

// Waits until the run is idle at `step` optimiser steps.
export async function waitStep(page, step, timeout = 60000) {
  await page.waitForFunction((n) => {
    const app = window.spiketail.app;
    return !app.running && app.live && document.querySelector('[data-testid="step-count"]').textContent === String(n) &&
      app.run?.probes?.at(-1)?.step === n;
  }, step, { timeout });
}

export async function text(page, testid) {
  return (await page.textContent(`[data-testid="${testid}"]`)).trim();
}

export async function numbers(page) {
  return page.evaluate(() => {
    const p = window.spiketail.app.run.probes.at(-1);
    return { step: p.step, alpha_hill: p.alpha_hill, alpha_ks: p.alpha_ks, train_loss: p.train_loss,
      test_loss: p.test_loss, kta: p.kta, sim_w_beta: p.sim_w_beta, num_spikes: p.num_spikes };
  });
}

export async function setFields(page, values) {
  for (const [key, value] of Object.entries(values)) {
    const input = page.locator(`[name="${key}"]`);
    if (typeof value === 'boolean') await input.setChecked(value);
    else if (await input.evaluate((el) => el.tagName === 'SELECT')) await input.selectOption(String(value));
    else await input.fill(String(value));
  }
}

export async function shot(page, name) {
  await page.screenshot({ path: join(screenshots, `${name}.png`), fullPage: true });
}

export function hashOf(config, extra = '') {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(config)) params.set(k, typeof v === 'boolean' ? (v ? '1' : '0') : String(v));
  return `#${params.toString()}${extra}`;
}
