// Workers for the "Analyze weights" view, each an instance of web/worker.js (one wasm module each):
//   ModelPlanner  one long-lived worker for the quick calls: which reader a file goes to, a file's index (its
//                 header only), a layer's figures, the analysis document (JSON or CSV)
//   LayerPool     W workers that take the layers in order, one at a time each; a File is posted, not its
//                 bytes: each worker reads its own layer's slices. cancel() terminates every worker at once.
// The pool's size follows the sweep's (sweep/pool.js): one worker per core, at most 8 by default.
import { createRequester } from '../requester.js';
import { defaultWorkers, poolSize } from '../sweep/pool.js';

const WORKER_URL = new URL('../worker.js', import.meta.url);

function newWorker() {
  return new Worker(WORKER_URL, { type: 'module' });
}

// A request to the planner: a reply with `error` rejects with that message, any other resolves with the reply.
async function ask(requests, msg) {
  const reply = await requests.send(msg);
  if (reply.error !== undefined) throw new Error(reply.error);
  return reply;
}

export class ModelPlanner {
  // onFail(message): the engine could not be loaded or the worker died.
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
      if (e.data.type === 'engine-error') this.onFail?.(e.data.message);
      else if (e.data.id !== undefined) this.requests.resolve(e.data.id, e.data);
    };
    this.worker.onerror = (e) => {
      e.preventDefault?.();
      this.onFail?.(e.message || 'the analysis worker failed to start');
    };
  }

  // File names -> the engine's reader of each ('' for none: a TF.js shard, or not a model file).
  async formats(names) {
    return (await ask(this.requests, { type: 'model-formats', names })).formats;
  }

  // A file's table of contents (ModelIndexResult "ok"); rejects with the engine's message naming the offset.
  async index(file, format, shards, options) {
    return (await ask(this.requests, { type: 'model-index', file, format, shards, options })).index;
  }

  // A layer's figures (EsdFigure) from its eigenvalues and its row's N, M, rf.
  async figure(eigenvalues, { N, M, rf }) {
    return (await ask(this.requests, { type: 'layer-figure', eigenvalues, N, M, rf })).figure;
  }

  // The analysis document (AnalyzedFile[] in): its JSON text as the CLI writes it, or its CSV.
  async document(files, csv = false) {
    return (await ask(this.requests, { type: 'analyze-document', files, csv })).text;
  }

  terminate() {
    this.worker?.terminate();
  }
}

export class LayerPool {
  // handlers: onStart(job), onResult(job, {row, eigenvalues, ms} | {error}), onDone()
  constructor(handlers) {
    this.handlers = handlers;
    this.slots = [];
    this.queue = [];
    this.active = false;
  }

  // Workers for these jobs: one per core, no more than jobs, and few enough that each can hold the largest
  // layer's analysis at once (the engine's memory_bytes of each tensor) within the sweep's budget for all heaps.
  static size(jobs) {
    return poolSize(defaultWorkers(), jobs.length, jobs.reduce((most, j) => Math.max(most, j.tensor.memory_bytes || 0), 0));
  }

  // jobs: [{file, shards, tensor, options}], analysed first first.
  start(jobs, size = LayerPool.size(jobs)) {
    this.cancel();
    this.queue = [...jobs];
    this.active = true;
    const count = Math.max(1, Math.min(size, this.queue.length));
    for (let k = 0; k < count; k++) this.slots.push(this.spawn({ job: null }));
    for (const slot of this.slots) this.next(slot);
    if (!this.queue.length && this.slots.every((s) => !s.job)) this.finish();
  }

  get workers() {
    return this.slots.filter((s) => !s.closed).length;
  }

  spawn(slot) {
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
      slot.job = null;
      slot.closed = true;
      if (this.slots.every((s) => s.closed)) this.finish();
      return;
    }
    slot.job = this.queue.shift();
    const { file, shards, tensor, options } = slot.job;
    slot.worker.postMessage({ type: 'analyze-layer', id: 1, file, shards, tensor, options });
    this.handlers.onStart?.(slot.job);
  }

  receive(slot, msg) {
    if (!this.active || !slot.job) return;
    if (msg.type === 'engine-error') { this.fail(slot, msg.message); return; }
    if (msg.type !== 'layer-done') return;  // 'ready': the job waits behind the engine's loading
    const job = slot.job;
    this.handlers.onResult?.(job, msg);
    // A wasm instance whose call threw (e.g. its heap could not grow) may be left broken: a fresh one goes on.
    if (msg.error !== undefined) this.renew(slot);
    this.next(slot);
  }

  fail(slot, message) {
    if (!this.active) return;
    if (slot.job) this.handlers.onResult?.(slot.job, { error: `the worker failed: ${message}` });
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

  // Stops everything now: every worker is terminated, layers in flight are dropped, finished ones kept.
  cancel() {
    for (const slot of this.slots) slot.worker.terminate();
    this.slots = [];
    this.queue = [];
    this.active = false;
  }
}
