// Loads the CommonJS build of the wasm module for Node tests (wasmBinary: emscripten #16913 under Node 18+).
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export async function loadModule() {
  const require = createRequire(import.meta.url);
  const factory = require(path.join(root, 'build-wasm/spiketail-node.cjs'));
  return factory({ wasmBinary: fs.readFileSync(path.join(root, 'build-wasm/spiketail-node.wasm')) });
}

// Runs a session to num_steps, probing when the schedule says so; returns the parsed probe records.
export function runSession(M, config) {
  const session = new M.Session(JSON.stringify(config));
  if (!session.ok()) throw new Error(session.error());
  const probes = [];
  const probeIfDue = () => { if (session.probeDue()) probes.push(JSON.parse(session.probe(true))); };
  probeIfDue();
  while (session.status() === 'ready') {
    session.step(1);
    if (session.status() === 'diverged') break;
    probeIfDue();
  }
  const result = { status: session.status(), message: session.message(), probes };
  session.delete();
  return result;
}
