// The sweep view's run bar: Start and Cancel, the progress bar and the run counter, and the status line —
// elapsed time and the time left while the workers run, how the sweep ended, or where its results came
// from — plus the one-line summary of the plan. Rendering only: the view owns the state.
import { el, plural } from '../dom.js';
import { tally } from './results.js';

// 83 s -> "1:23", 3725 s -> "1:02:05".
function clock(ms) {
  const s = Math.max(0, Math.round(ms / 1000));
  const h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), r = s % 60;
  return h ? `${h}:${String(m).padStart(2, '0')}:${String(r).padStart(2, '0')}` : `${m}:${String(r).padStart(2, '0')}`;
}

// Time left from the optimiser steps done so far, at the rate so far. Steps rather than runs, so that
// runs in flight count too and the estimate moves while a few long runs (the study's scale) are running.
function timeLeft(sweep, elapsed) {
  const steps = sweep.plan.runs.map((r) => Math.max(1, r.config.num_steps));
  const total = steps.reduce((a, b) => a + b, 0);
  let done = 0;
  sweep.results.forEach((r, i) => { if (r) done += steps[i]; });
  for (const [, step] of sweep.running) done += step;
  return done > 0 ? (elapsed * (total - done)) / done : NaN;
}

export class SweepBar {
  // onStart(), onCancel(): the buttons.
  constructor(container, { onStart, onCancel }) {
    this.startButton = el('button', { className: 'primary', text: 'Start sweep', type: 'button', 'data-testid': 'sweep-start' });
    this.cancelButton = el('button', { text: 'Cancel', type: 'button', 'data-testid': 'sweep-cancel',
      title: 'Stop every worker now; finished runs stay on screen' });
    this.progress = el('progress', { max: 1, value: 0, 'aria-label': 'Runs done' });
    this.counter = el('span', { className: 'counter', 'data-testid': 'sweep-progress' });
    this.status = el('span', { className: 'status', role: 'status', 'aria-live': 'polite' });
    this.startButton.addEventListener('click', onStart);
    this.cancelButton.addEventListener('click', onCancel);
    container.append(el('div', { className: 'sweep-bar runbar', role: 'toolbar', 'aria-label': 'Sweep' },
      this.startButton, this.cancelButton, this.progress, this.counter, this.status));
  }

  // sweep: the sweep on screen or null; running: the pool is working; planOk: the form's sweep is valid;
  // planned: the engine has answered at least once; engineFailed: why there is no engine ('' if there is);
  // settingsChanged(): the form no longer describes the finished sweep; resumable: Start runs only the sweep
  // on screen's missing runs. linkErrors: how many errors of the link no input shows.
  update({ sweep: s, running, planOk, planned, engineFailed, linkErrors = 0, settingsChanged, resumable = false }) {
    this.startButton.disabled = running || !planOk || !!engineFailed;
    this.startButton.textContent = resumable ? 'Resume sweep' : 'Start sweep';
    this.startButton.title = resumable ? 'Run only the runs not finished yet; the finished ones stay' : '';
    this.cancelButton.disabled = !running;
    if (!s) {
      this.progress.value = 0;
      this.counter.textContent = '';
      this.status.textContent = engineFailed ? '' : linkErrors ? 'Cannot start this link: fix it (the errors are listed below), or change a setting.'
        : planOk ? 'Ready: press Start sweep.' : planned ? 'Fix the marked settings to start.' : 'Loading the engine…';
      return;
    }
    const t = tally(s);
    this.progress.max = Math.max(1, t.total);
    this.progress.value = t.done;
    this.counter.textContent = `${t.done} / ${plural(t.total, 'run')}`;
    this.counter.dataset.done = String(t.done);
    const failed = [t.diverged && `${t.diverged} diverged`, t.error && `${t.error} failed`].filter(Boolean).join(', ');
    if (running) {
      const elapsed = (s.ended || performance.now()) - s.started;
      const left = timeLeft(s, elapsed);
      this.status.textContent = `${s.workers} worker${s.workers > 1 ? 's' : ''} · ${clock(elapsed)} elapsed` +
        (Number.isFinite(left) ? ` · about ${clock(left)} left` : '') + (failed ? ` · ${failed}` : '');
    } else if (s.source === 'run') {
      const took = clock(s.ended - s.started);
      this.status.textContent = (s.cancelled ? `Cancelled after ${took}; the finished runs stay (Resume sweep runs the others).` : `Done in ${took}.`) +
        (failed ? ` ${failed}.` : '') + (settingsChanged() ? ' Settings changed: Start runs the new sweep.' : '');
    } else {
      this.status.textContent = `${s.source === 'saved' ? 'The last sweep (saved in this browser)' : `Imported from ${s.source}`}.` + (failed ? ` ${failed}.` : '');
    }
  }
}

// "90 runs = 2 optimisers × 9 learning rates × 5 repeats; 10 steps each at n = 400, d = 200, h = 300
// (about 5 MB per worker)." — empty until the plan is valid.
export function planSummary(plan) {
  if (!plan?.ok) return '';
  const d = plan.doc;
  const parts = [plural(d.optimizer.length, 'optimiser'), plural(d.lr.length, 'learning rate')];
  if (d.vary) { const [k, v] = Object.entries(d.vary)[0]; parts.push(`${plural(v.length, 'value')} of ${k}`); }
  parts.push(plural(d.repeat, 'repeat'));
  const b = plan.config;
  const mb = Math.round((plan.memory || 0) / 2 ** 20);
  return `${plural(plan.runs.length, 'run')} = ${parts.join(' × ')}; ${plural(b.num_steps, 'step')} each at n = ${b.n}, d = ${b.d}, h = ${b.h}` +
    (mb ? ` (about ${mb} MB per worker)` : '') + '.';
}
