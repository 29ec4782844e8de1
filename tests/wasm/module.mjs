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

// The threaded build (spiketail-node-threads.cjs, Emscripten pthreads on worker_threads) with `helperThreads`
// threads besides the caller; setThreads(t) may then use up to helperThreads + 1.
export async function loadThreadedModule(helperThreads) {
  const require = createRequire(import.meta.url);
  const factory = require(path.join(root, 'build-wasm/spiketail-node-threads.cjs'));
  return factory({ helperThreads, wasmBinary: fs.readFileSync(path.join(root, 'build-wasm/spiketail-node-threads.wasm')) });
}

// Ends the threaded module's worker_threads, which would otherwise keep Node running.
export function closeThreadedModule(M) {
  M.PThread.terminateAllThreads();
}

// Runs a session to its end through the engine's own schedule (runToEnd); the parsed run document's
// status, message and probes (detail: eigenvalues, v_beta_overlap and the update analysis).
export function runSession(M, config, detail = true) {
  const session = new M.Session(JSON.stringify(config));
  if (!session.ok()) throw new Error(session.error());
  const { status, message, probes } = JSON.parse(session.runToEnd(detail, null));
  session.delete();
  return { status, message, probes };
}
