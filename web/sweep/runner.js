// The sweep view's planner and pool wiring, and the two objects they produce:
//   plan   {doc, ok, errors, runs: [{config, optimizer, lr, repeat, param, value}], config, memory}
//          the engine's expansion (expandSweep) of the form's sweep document; the latest request wins
//   sweep  {plan, results: [null | {status, message, probes, ms}], running: Map(index -> step),
//           started, ended, cancelled, source: 'run' | 'saved' | file name, workers, record}
//          the sweep on screen: run here by the pool, or placed from files or the saved copy (the engine's
//          collectSweep puts their runs on the grid), or completed here (resume: only the missing runs)
import { Planner, SweepPool } from './pool.js';
import { resultsOfEntries } from './results.js';

export class SweepRunner {
  // onPlan(): a new plan; onProgress(): a run started or stepped; onResult(): a run finished;
  // onEnd(): the pool finished every run; onFail(message): the engine could not be loaded.
  constructor({ onPlan, onProgress, onResult, onEnd, onFail }) {
    this.plan = null;
    this.planning = null;  // promise of the plan of the latest request
    this.planTicket = 0;
    this.sweep = null;
    this.starting = 0;  // the ticket of a start waiting for the engine's pool size (0: none)
    this.startTicket = 0;
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

  get active() { return this.pool.active || this.starting !== 0; }

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

  // Sweep documents onto one grid (the engine's collectSweep: Planner.collect): the answer, and when it is ok,
  // its plan ({ok, errors, runs, config, memory}; the caller adds doc) and the results of its entries.
  async collect(request) {
    const collected = await this.planner.collect(request);
    if (!collected.ok) return { collected };
    const { runs, config, memory } = collected;
    return { collected, plan: { ok: true, errors: [], runs, config, memory }, results: resultsOfEntries(collected.entries) };
  }

  // Runs every run of `plan` on at most `workers` workers (fewer when memory or the run count says so),
  // in expansion order. Resolves true once the runs are on the workers, false when cancelled before.
  start(plan, workers) {
    return this.resume(plan, workers, plan.runs.map(() => null), plan.runs.map((_, i) => i));
  }

  // Runs the runs `missing` (grid indices, in that order) of `plan`; `results` holds the others (the sweep on
  // screen's, or a file's: the engine decides which are missing, collectSweep). The pool's size is the
  // engine's (runPoolSize: the request, the runs and the memory budget).
  async resume(plan, workers, results, missing, record = 'default') {
    const ticket = this.starting = ++this.startTicket;
    const size = await this.planner.poolSize(workers, missing.length, plan.memory);
    if (this.starting !== ticket) return false;  // cancelled, or another start, while the engine answered
    this.starting = 0;
    this.sweep = { plan, results, running: new Map(), started: performance.now(), ended: 0,
      cancelled: false, source: 'run', workers: size, record };
    this.pool.start(plan.runs.map((r) => r.config), missing, size);
    return true;
  }

  // Terminates every worker now; finished runs stay. false when nothing was running (a start still waiting for
  // its pool size is dropped).
  cancel() {
    this.starting = 0;
    if (!this.pool.active || !this.sweep) return false;
    this.pool.cancel();
    this.sweep.running.clear();
    this.sweep.cancelled = true;
    this.sweep.ended = performance.now();
    return true;
  }

  // Results that were not run here (a file, the saved sweep) become the sweep on screen; record: what their
  // probes hold ('default', 'eigenvalues', 'detail': the files').
  show(plan, results, source, record = 'default') {
    this.sweep = { plan, results, running: new Map(), started: 0, ended: 0, cancelled: false, source, record };
  }
}
