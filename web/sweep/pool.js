// Workers for the sweep view, each a separate instance of web/worker.js (one wasm module each; no
// SharedArrayBuffer: every run is independent, its config in and its probe records out).
//   Planner     one long-lived worker that expands and validates sweep documents (expandSweep), computes
//               the sweep's statistics (summarizeSweep) and lays out its file (formatDocument)
//   SweepPool   W workers that take the runs in the given order, one at a time each, to their end;
//               cancel() terminates every worker at once (a run in flight is lost, finished ones are kept)
import { createRequester } from '../requester.js';

const WORKER_URL = new URL('../worker.js', import.meta.url);

// The pool's size: at most one worker per core (more only compete for the cores), at most 16, and few
// enough that W wasm heaps fit in MEMORY_BUDGET.
export const MAX_WORKERS = 16;
const MEMORY_BUDGET = 4 * 2 ** 30;

export function coreCount() {
  return Math.max(1, navigator.hardwareConcurrency || 2);
}

export function defaultWorkers() {
  return Math.min(coreCount(), 8, MAX_WORKERS);
}

// Workers actually started for `runs` runs of at most `bytesPerRun` bytes each.
export function poolSize(requested, runs, bytesPerRun = 0) {
  const byMemory = bytesPerRun > 0 ? Math.max(1, Math.floor(MEMORY_BUDGET / bytesPerRun)) : MAX_WORKERS;
  return Math.max(1, Math.min(requested, MAX_WORKERS, runs, byMemory));
}

function newWorker() {
  return new Worker(WORKER_URL, { type: 'module' });
}

export class Planner {
  // onFail(message): the engine could not be loaded.
  constructor({ onFail }) {
    this.requests = createRequester((msg) => this.worker?.postMessage(msg));
    this.onFail = onFail;
    try {
      this.worker = newWorker();
    } catch (err) {
      queueMicrotask(() => onFail?.(`cannot start a worker: ${err.message}`));
      return;
    }
    this.worker.onmessage = (e) => {
      const msg = e.data;
      if (msg.type === 'engine-error') this.onFail?.(msg.message);
      if (msg.type === 'expanded') this.requests.resolve(msg.id, msg);
      if (msg.type === 'summary') this.requests.resolve(msg.id, msg.summary);
      if (msg.type === 'formatted') this.requests.resolve(msg.id, msg.text);
    };
    this.worker.onerror = (e) => {
      e.preventDefault?.();
      this.onFail?.(e.message || 'the sweep planner failed to start');
    };
  }

  // A sweep document -> {ok, errors: [{field, message}], runs: [{config, optimizer, lr, repeat, param, value}],
  // config (the document's resolved config), memory (the largest run's bytes)}
  expand(sweep) {
    return this.requests.send({ type: 'expand-sweep', sweep });
  }

  // Runs [{optimizer, lr, repeat, param, value, status?, probes}] -> the engine's mean ± std over repeats
  // (SweepSummary in wasm/spiketail.d.mts).
  summarize(runs) {
    return this.requests.send({ type: 'summarize-sweep', runs });
  }

  // A document -> its text, laid out as the CLI writes its files.
  format(document) {
    return this.requests.send({ type: 'format-document', document });
  }
}

export class SweepPool {
  // handlers: onStart(index), onStep(index, step), onResult(index, {status, message, probes, ms}), onDone()
  constructor(handlers) {
    this.handlers = handlers;
    this.slots = [];
    this.queue = [];
    this.configs = [];
    this.active = false;
  }

  // configs[i] is run i; `order` lists the indices to run, first first.
  start(configs, order, size) {
    this.cancel();
    this.configs = configs;
    this.queue = [...order];
    this.active = true;
    const count = Math.max(1, Math.min(size, this.queue.length));
    this.slots = [];
    for (let k = 0; k < count; k++) this.slots.push(this.spawn());
    for (const slot of this.slots) this.next(slot);
    if (!this.queue.length && this.slots.every((s) => s.index < 0)) this.finish();
  }

  spawn(slot = { index: -1 }) {
    slot.worker = newWorker();
    slot.worker.onmessage = (e) => this.receive(slot, e.data);
    slot.worker.onerror = (e) => {
      e.preventDefault?.();
      this.fail(slot, e.message || 'the worker stopped');
    };
    return slot;
  }

  next(slot) {
    if (!this.active) return;
    if (!this.queue.length) {
      slot.worker.terminate();
      slot.index = -1;
      slot.closed = true;
      if (this.slots.every((s) => s.closed)) this.finish();
      return;
    }
    slot.index = this.queue.shift();
    slot.worker.postMessage({ type: 'run', id: slot.index, config: this.configs[slot.index] });
    this.handlers.onStart?.(slot.index);
  }

  receive(slot, msg) {
    if (!this.active) return;
    switch (msg.type) {
      case 'run-step':
        this.handlers.onStep?.(msg.id, msg.step);
        break;
      case 'run-done': {
        const { status, message, probes, ms } = msg;
        this.handlers.onResult?.(msg.id, { status, message, probes, ms });
        if (status === 'error') this.renew(slot);  // a wasm instance that failed may be left broken
        this.next(slot);
        break;
      }
      case 'engine-error':
      case 'error':
        this.fail(slot, msg.message);
        break;
      default:  // 'ready': nothing to do, runs queue behind the engine's loading
    }
  }

  // The slot's run failed without a result (the worker died): report it, go on with a fresh worker.
  fail(slot, message) {
    if (!this.active) return;
    if (slot.index >= 0) this.handlers.onResult?.(slot.index, { status: 'error', message: `the worker failed: ${message}`, probes: [], ms: 0 });
    this.renew(slot);
    this.next(slot);
  }

  renew(slot) {
    slot.worker.terminate();
    this.spawn(slot);
  }

  finish() {
    if (!this.active) return;
    this.active = false;
    this.handlers.onDone?.();
  }

  // Stops everything now: every worker is terminated, runs in flight are dropped.
  cancel() {
    for (const slot of this.slots) slot.worker.terminate();
    this.slots = [];
    this.queue = [];
    this.active = false;
  }
}
