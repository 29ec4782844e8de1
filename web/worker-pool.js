// Workers, each a separate instance of web/worker.js (one wasm module each; no SharedArrayBuffer: every job is
// independent, its input in and its result out). Shared by the sweep view (sweep/pool.js: one run per job) and
// the Analyze view (analyze/pool.js: one layer per job).
//   RequestWorker  one long-lived worker answering requests (createRequester); a subclass says which replies
//                  resolve which request (reply)
//   WorkerPool     W workers that take the jobs in the given order, one at a time each; a worker whose job failed
//                  is replaced by a fresh one; cancel() terminates every worker at once (jobs in flight are lost,
//                  finished ones kept). A subclass posts a job (post) and reads a worker's messages (handle).
import { METHOD } from './fields.js';
import { createRequester } from './requester.js';

const WORKER_URL = new URL('./worker.js', import.meta.url);

// The pool's numbers are the engine's (core/pool_plan.hpp, methodConstants(), written into the page by
// scripts/build-web.mjs): at most one worker per core (more only compete for the cores), at most
// max_pool_workers, and few enough that W wasm heaps fit the budget. Both views ask the engine for their pool's
// size when they start it (layerPoolSize, runPoolSize); the sweep form's default is shown before any engine is
// loaded, so it is made here from the engine's two numbers.
export const MAX_WORKERS = METHOD.max_pool_workers ?? 1;
const DEFAULT_WORKERS = METHOD.default_pool_workers ?? 1;

export function coreCount() {
  return Math.max(1, navigator.hardwareConcurrency || 2);
}

export function defaultWorkers() {
  return Math.max(1, Math.min(coreCount(), DEFAULT_WORKERS, MAX_WORKERS));
}

function newWorker() {
  return new Worker(WORKER_URL, { type: 'module' });
}

export class RequestWorker {
  // onFail(message): the engine could not be loaded or the worker died. `what` names the worker in that message.
  constructor({ onFail }, what) {
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
      else this.reply(e.data);
    };
    this.worker.onerror = (e) => {
      e.preventDefault?.();
      this.onFail?.(e.message || `the ${what} failed to start`);
    };
  }

  // A reply with an id resolves its request with the whole message ('ready' and the like have none).
  reply(msg) {
    if (msg.id !== undefined) this.requests.resolve(msg.id, msg);
  }

  terminate() {
    this.worker?.terminate();
  }
}

export class WorkerPool {
  // handlers: onStart(job), onDone(), and the subclass's own (its results).
  constructor(handlers) {
    this.handlers = handlers;
    this.slots = [];
    this.queue = [];
    this.active = false;
  }

  // Runs `jobs`, first first, on at most `size` workers.
  startJobs(jobs, size) {
    this.cancel();
    this.queue = [...jobs];
    this.active = true;
    const count = Math.max(1, Math.min(size, this.queue.length));
    for (let k = 0; k < count; k++) this.slots.push(this.spawn({ job: null }));
    for (const slot of this.slots) this.next(slot);
  }

  // Workers still open (a worker closes when the queue is empty).
  get workers() {
    return this.slots.filter((s) => !s.closed).length;
  }

  spawn(slot) {
    slot.worker = newWorker();
    slot.worker.onmessage = (e) => {
      if (!this.active || slot.job === null) return;
      if (e.data.type === 'engine-error' || e.data.type === 'error') this.fail(slot, e.data.message);
      else this.handle(slot, e.data);  // 'ready' and progress: the subclass's; jobs queue behind the engine's loading
    };
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
    this.post(slot.worker, slot.job);
    this.handlers.onStart?.(slot.job);
  }

  // The slot's job is done; `broken`: its wasm instance threw and may be left broken, so a fresh one goes on.
  done(slot, broken) {
    if (broken) this.renew(slot);
    this.next(slot);
  }

  // The slot's job failed without a result (the worker died): report it, go on with a fresh worker.
  fail(slot, message) {
    if (!this.active) return;
    if (slot.job !== null) this.failed(slot.job, `the worker failed: ${message}`);
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

  // Stops everything now: every worker is terminated, jobs in flight are dropped.
  cancel() {
    for (const slot of this.slots) slot.worker.terminate();
    this.slots = [];
    this.queue = [];
    this.active = false;
  }
}
