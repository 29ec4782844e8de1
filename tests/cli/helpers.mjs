// What the CLI tests that start a sweep and stop it mid-way share: waiting, a child's end, a file's runs.
import fs from 'node:fs';

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// Resolves with {code, signal} when `child` exits.
export const exited = (child) => new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));

// Resolves with the sweep document in `file` once it holds `count` runs (read again while it is being replaced).
export async function waitForRuns(file, count, timeoutMs = 120000) {
  const t0 = Date.now();
  while (Date.now() - t0 < timeoutMs) {
    try {
      const doc = JSON.parse(fs.readFileSync(file, 'utf8'));
      if (doc.runs?.length >= count) return doc;
    } catch { /* not there yet */ }
    await sleep(20);
  }
  throw new Error(`no ${count} runs in ${file} after ${timeoutMs} ms`);
}
