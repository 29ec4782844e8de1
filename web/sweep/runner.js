// The sweep view's planner and pool wiring, and the two objects they produce:
//   plan   {doc, ok, errors, runs: [{config, optimizer, lr, repeat, param, value}], config, memory}
//          the engine's expansion (expandSweep) of the form's sweep document; the latest request wins
//   sweep  {plan, results: [null | {status, message, probes, ms}], running: Map(index -> step),
//           started, ended, cancelled, source: 'run' | 'saved' | file name, workers}
//          the sweep on screen: run here by the pool, or placed from a file or the saved copy
import { Planner, SweepPool, poolSize } from './pool.js';

export class SweepRunner {
  // onPlan(): a new plan; onProgress(): a run started or stepped; onResult(): a run finished;
  // onEnd(): the pool finished every run; onFail(message): the engine could not be loaded.
  constructor({ onPlan, onProgress, onResult, onEnd, onFail }) {
    this.plan = null;
    this.planning = null;  // promise of the plan of the latest request
    this.planTicket = 0;
    this.sweep = null;
    this.onPlan = onPlan;
    this.planner = new Planner({ onFail });
    this.pool = new SweepPool({
      onStart: (i) => { this.sweep?.running.set(i, 0); onProgress(); },
      onStep: (i, step) => { if (this.sweep?.running.has(i)) this.sweep.running.set(i, step); onProgress(); },
      onResult: (i, result) => {
        if (!this.sweep) return;
        this.sweep.results[i] = result;
        this.sweep.running.delete(i);
        onResult();
      },
      onDone: () => {
        if (this.sweep) this.sweep.ended = performance.now();
        onEnd();
      },
    });
  }

  get active() { return this.pool.active; }

  // The engine's expansion of a sweep document, not made current (an import checks its file's first).
  expand(doc) {
    return this.planner.expand(doc);
  }

  // Expands `doc` and makes it the current plan, unless a newer request was made meanwhile; the promise
  // resolves to the newest plan either way.
  replan(doc) {
    const ticket = ++this.planTicket;
    this.planning = this.planner.expand(doc).then((plan) => {
      if (ticket !== this.planTicket) return this.planning;
      this.plan = { ...plan, doc };
      this.onPlan();
      return this.plan;
    });
    return this.planning;
  }

  // A plan made elsewhere (an import's) becomes current; a request still in flight is dropped.
  adopt(plan) {
    this.plan = plan;
    this.planTicket++;
    this.planning = Promise.resolve(plan);
  }

  // Runs every run of `plan` on at most `workers` workers (fewer when memory or the run count says so),
  // in expansion order.
  start(plan, workers) {
    const size = poolSize(workers, plan.runs.length, plan.memory);
    this.sweep = { plan, results: plan.runs.map(() => null), running: new Map(), started: performance.now(), ended: 0,
      cancelled: false, source: 'run', workers: size };
    this.pool.start(plan.runs.map((r) => r.config), plan.runs.map((_, i) => i), size);
  }

  // Terminates every worker now; finished runs stay. false when nothing was running.
  cancel() {
    if (!this.pool.active || !this.sweep) return false;
    this.pool.cancel();
    this.sweep.running.clear();
    this.sweep.cancelled = true;
    this.sweep.ended = performance.now();
    return true;
  }

  // Results that were not run here (a file, the saved sweep) become the sweep on screen.
  show(plan, results, source) {
    this.sweep = { plan, results, running: new Map(), started: 0, ended: 0, cancelled: false, source };
  }
}
