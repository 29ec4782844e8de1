// The guided tour's stages: the study's findings in order, each an experiment of the page's presets (single
// runs: presets.js; sweeps: sweep/spec.js — the configs live there, not here), what to look for, a caption
// and the annotations of its figures. Captions and labels are filled from the engine's findings of the runs
// on screen (core/findings.hpp): a claim is made only when the engine's yes/no says it holds for this run.
//
// A stage: {id, title, text: [paragraphs: caption parts whose holes are paths into the experiment's settings,
//   {runs: [config, ...]} or {sweep: spec} (sweep/spec.js) with lastLr], kind: 'runs' | 'sweep-file' | 'sweep-live',
//   runs: [{preset, until}]  single runs, in order (until: steps to take; default the preset's num_steps)
//   show: index of the run whose figures are drawn first (default the last; a table lets the reader pick)
//   sweep: sweep preset id; file: the stored sweep document (kind 'sweep-file')
//   figures: the figures shown (SingleView's members, or SweepFigures' metric keys)
//   facts(findings) -> the object the caption's paths read (default: the findings)
//   caption(facts) -> caption parts (captions.js)
//   annotations(facts, context) -> {figure name: [annotation items]} (plots/annotations.js); context: {run,
//     shown} (the run on the figures and its index) for single runs, {pointOf, stepPointOf} for sweeps
//   full: the full-size experiment to link ({preset} or {sweep})}
import { formatFact as n, t } from './captions.js';

const sweepCurves = (f) => ({
  ...f,
  adam: f.curves.find((c) => c.optimizer === 'adam') || {},
  gd: f.curves.find((c) => c.optimizer === 'gd') || {},
});

export const STAGES = [
  {
    id: 'bulk',
    title: 'The random bulk',
    text: [
      t`At initialisation every entry of W (${'runs.0.h'} × ${'runs.0.d'}) is an independent N(0, 1) draw. The eigenvalues of WᵀW then follow the Marchenko–Pastur (MP) law: a bulk between two edges, and nothing beyond the upper one.`,
      t`Look at the histogram against the orange MP curve, and at α Hill: a random matrix has no heavy tail.`,
    ],
    kind: 'runs',
    runs: [{ preset: 'adam-one', until: 0 }],
    figures: ['esdLin', 'esdLog'],
    caption: (f) => {
      const r = f.runs[0];
      return [
        t`At step 0, ${'runs.0.bulk_count'} of the ${'runs.0.eigenvalue_count'} eigenvalues lie inside the MP bulk [${'runs.0.mp_lower'}, ${'runs.0.mp_threshold'}] (up to the edge ${'runs.0.mp_upper'} plus a Tracy–Widom margin).`,
        r.inside_bulk_initial
          ? t` The largest, λ = ${'runs.0.lambda_max'}, is inside: no spike.`
          : t` The largest, λ = ${'runs.0.lambda_max'}, is already past the margin: a fluctuation of this small matrix.`,
        r.heavy_tail
          ? t` α Hill = ${'runs.0.alpha_hill'}, already below ${'runs.0.heavy_tail_alpha'}.`
          : t` α Hill = ${'runs.0.alpha_hill'}, above ${'runs.0.heavy_tail_alpha'}: the value of a random bulk, not a heavy tail.`,
      ];
    },
    annotations: (f) => {
      const r = f.runs[0];
      return {
        esdLin: [
          { kind: 'span', x0: r.mp_lower, x1: r.mp_upper, label: 'bulk: the MP law of a random W' },
          { kind: 'vline', x: r.mp_upper, label: `MP edge λ₊ = ${n(r.mp_upper)}` },
          { kind: 'point', x: r.lambda_max, y: null, label: `largest λ = ${n(r.lambda_max)}` },
        ],
      };
    },
    full: { preset: 'study' },
  },
  {
    id: 'spike',
    title: 'One large Adam step: a spike',
    text: [
      t`Now one full-batch Adam step at a large learning rate, η = ${'runs.0.lr'}. Adam’s first step moves every weight by about ±η, and the gradient’s dominant direction comes from the teacher, so the update is close to rank one.`,
      t`Look for one eigenvalue far to the right of the MP edge — the spike — and at how well W’s top right singular vector v₁ now points at the teacher direction β*.`,
    ],
    kind: 'runs',
    runs: [{ preset: 'adam-one' }],
    figures: ['esdLin', 'vbeta'],
    caption: (f) => {
      const r = f.runs[0];
      return [
        r.spike
          ? t`After one Adam step at η = ${'runs.0.update.lr'}, the top eigenvalue sits at λ = ${'runs.0.lambda_max'}, ${'runs.0.edge_ratio'}× the MP edge ${'runs.0.mp_upper'}: a spike.`
          : t`After one Adam step at η = ${'runs.0.update.lr'}, the top eigenvalue is λ = ${'runs.0.lambda_max'}, ${'runs.0.edge_ratio'}× the MP edge: no spike in this run.`,
        r.sim_rises
          ? t` Its alignment with β* is sim(W, β*) = ${'runs.0.sim'}, ${'runs.0.sim_gain'}× its value at step 0 (${'runs.0.sim_initial'}): W has picked up the teacher’s direction.`
          : t` Its alignment with β* is sim(W, β*) = ${'runs.0.sim'}, not above its value at step 0 (${'runs.0.sim_initial'}).`,
      ];
    },
    annotations: (f) => {
      const r = f.runs[0];
      return {
        esdLin: [
          { kind: 'vline', x: r.mp_upper, label: `MP edge ${n(r.mp_upper)}` },
          { kind: 'point', x: r.lambda_max, y: null, label: `${r.spike ? 'spike' : 'largest'} λ = ${n(r.lambda_max)}, sim(W, β*) = ${n(r.sim)}` },
        ],
        vbeta: [{ kind: 'point', x: 1, y: r.sim, label: `v₁ (the spike’s): |⟨v₁, β*⟩| = ${n(r.sim)}` }],
      };
    },
    full: { preset: 'study' },
  },
  {
    id: 'gd',
    title: 'GD needs a far larger η',
    text: [
      t`The same step with full-batch GD. GD moves W by η times the gradient, which is small; Adam divides the gradient by its own size, so its first update has a Frobenius norm of about η√(hd) whatever the gradient.`,
      t`Three runs of ${'runs.0.num_steps'} step: Adam at η = ${'runs.0.lr'}, GD at η = ${'runs.1.lr'} and GD at η = ${'runs.2.lr'}. The table lists each update’s size as the engine measures it; the figures show the last run, and a run’s name in the table shows its own.`,
    ],
    kind: 'runs',
    runs: [{ preset: 'adam-one' }, { preset: 'gd-one' }, { preset: 'gd-one-huge' }],
    figures: ['esdLin', 'singular'],
    table: true,
    caption: (f) => {
      const [, small, large] = f.runs;
      return [
        t`Adam’s first update at η = ${'runs.0.update.lr'} has ‖M‖_F = ${'runs.0.update.norm'}, close to η√(hd) = ${'runs.0.update.sign_norm'}.`,
        t` GD’s at the same η has ‖M‖_F = ${'runs.1.update.norm'}, ${'versus_first.1.update_norm_ratio'}× smaller`,
        small.spike ? t`.` : t`, and λ_max stays at ${'runs.1.lambda_max'}, inside the bulk.`,
        t` GD needs η ≈ ${'versus_first.1.lr_to_match'} for an update of Adam’s size.`,
        large.spike
          ? t` At η = ${'runs.2.update.lr'} its update is ${'runs.2.update.norm'} and it too makes a spike, λ = ${'runs.2.lambda_max'} (${'runs.2.edge_ratio'}× the edge), with sim(W, β*) = ${'runs.2.sim'}.`
          : t` At η = ${'runs.2.update.lr'} its update is ${'runs.2.update.norm'}, still without a spike.`,
      ];
    },
    annotations: (f, { run, shown }) => {
      const r = f.runs[shown];
      const name = run.config.optimizer === 'adam' ? 'Adam' : 'GD';
      return {
        esdLin: [
          { kind: 'vline', x: r.mp_upper, label: `MP edge ${n(r.mp_upper)}` },
          { kind: 'point', x: r.lambda_max, y: null, label: `${name}, η = ${n(r.update?.lr)}: λ_max = ${n(r.lambda_max)}` },
        ],
        singular: r.update ? [{ kind: 'point', x: 1, y: r.update.top, label: `σ₁(M) = ${n(r.update.top)} of ‖M‖_F = ${n(r.update.norm)}` }] : [],
      };
    },
    full: { preset: 'study' },
  },
  {
    id: 'tail',
    title: 'Keep stepping: a heavy tail',
    text: [
      t`Keep going: ${'runs.0.num_steps'} Adam steps at η = ${'runs.0.lr'} — the study’s single run on a smaller network, probed at every step. Each update adds to the spike’s direction and spreads the bulk, and the upper part of the spectrum turns into a power law p(λ) ∝ λ^−α.`,
      t`Watch α Hill per step against the line α = ${'heavy_tail_alpha'}, and the tail on the log–log plot, where a power law is a straight line of slope 1 − α.`,
    ],
    kind: 'runs',
    runs: [{ preset: 'adam-ten' }],
    figures: ['alpha', 'ccdf', 'esdLog'],
    caption: (f) => {
      const r = f.runs[0];
      return [
        r.alpha_crosses
          ? t`α Hill falls from ${'runs.0.alpha_hill_initial'} at step 0 to below ${'runs.0.heavy_tail_alpha'} at step ${'runs.0.first_heavy_step'} and ends at ${'runs.0.alpha_hill'} after ${'runs.0.last_step'} steps: a heavy tail.`
          : r.alpha_falls
            ? t`α Hill falls from ${'runs.0.alpha_hill_initial'} at step 0 to ${'runs.0.alpha_hill'} after ${'runs.0.last_step'} steps, not below ${'runs.0.heavy_tail_alpha'} in this run.`
            : t`α Hill goes from ${'runs.0.alpha_hill_initial'} at step 0 to ${'runs.0.alpha_hill'} after ${'runs.0.last_step'} steps: no heavier tail in this run.`,
        r.alpha_ks !== null
          ? t` The KS fit puts the tail above x_min = ${'runs.0.ks_xmin'} with α KS = ${'runs.0.alpha_ks'}: a line of slope ${'runs.0.ks_slope'} on the log–log plot.`
          : t` The KS fit could not be made.`,
        t` ${'runs.0.beyond_threshold'} eigenvalues are now beyond the bulk’s spike threshold, ${'runs.0.num_spikes'} of them standing apart as spikes: the rest is the tail.`,
      ];
    },
    annotations: (f, { run }) => {
      const r = f.runs[0];
      const at = r.first_heavy_step === null ? null : run.probes.find((p) => p.step === r.first_heavy_step);
      return {
        alpha: at ? [{ kind: 'point', x: at.step, y: at.alpha_hill, label: `α Hill < ${n(r.heavy_tail_alpha)} from step ${at.step}: ${n(at.alpha_hill)}` }] : [],
        ccdf: r.ks_xmin !== null ? [{ kind: 'vline', x: r.ks_xmin, label: `tail from x_min = ${n(r.ks_xmin)}: slope 1 − α = ${n(r.ks_slope)}` }] : [],
      };
    },
    full: { preset: 'study' },
  },
  {
    id: 'sweep',
    title: 'The learning-rate sweep: GD vs Adam',
    text: [
      t`The study’s central experiment: GD and Adam at ${'sweep.lrs.length'} learning rates from ${'sweep.lrs.0'} to ${'sweep.lastLr'}, ${'sweep.base.num_steps'} steps each, ${'sweep.repeats'} repeats (mean ± std), on a reduced network. It opens from a stored file made by the command line; “Recompute live” runs every run of it here on parallel workers.`,
      t`Compare where each optimiser’s α Hill drops below ${'heavy_tail_alpha'}, and where sim(W, β*) jumps.`,
    ],
    kind: 'sweep-file',
    sweep: 'reduced-lr',
    file: 'tour/lr-sweep.json',
    figures: ['alpha_hill', 'sim_w_beta', 'train_loss', 'test_loss'],
    facts: sweepCurves,
    caption: (f) => [
      f.adam.first_heavy_lr !== null
        ? t`Adam’s mean α Hill goes from ${'adam.alpha_hill_smallest_lr'} at the smallest η to below ${'heavy_tail_alpha'} from η = ${'adam.first_heavy_lr'}`
        : t`Adam’s mean α Hill stays above ${'heavy_tail_alpha'} on this grid (lowest ${'adam.alpha_hill_min'})`,
      f.gd.first_heavy_lr !== null
        ? (f.heavy_lr_ratio !== null
          ? t`; GD’s only from η = ${'gd.first_heavy_lr'}, ${'heavy_lr_ratio'}× larger.`
          : t`; GD’s from η = ${'gd.first_heavy_lr'}.`)
        : t`; GD’s never on this grid (lowest ${'gd.alpha_hill_min'}).`,
      t` sim(W, β*) peaks at ${'adam.sim_max'} for Adam (η = ${'adam.sim_max_lr'}) and ${'gd.sim_max'} for GD (η = ${'gd.sim_max_lr'}).`,
    ],
    annotations: (f, { pointOf }) => ({
      alpha_hill: ['adam', 'gd'].map((o) => {
        const c = f[o];
        const p = c.first_heavy_lr === null ? null : pointOf('alpha_hill', o, c.first_heavy_lr);
        return p && { kind: 'point', ...p, label: `${o === 'adam' ? 'Adam' : 'GD'}: α < ${n(f.heavy_tail_alpha)} from η = ${n(c.first_heavy_lr)}` };
      }),
      sim_w_beta: ['adam'].map((o) => {
        const p = f[o].sim_max === null ? null : pointOf('sim_w_beta', o, f[o].sim_max_lr);
        return p && { kind: 'point', ...p, label: `Adam’s largest sim: ${n(f[o].sim_max)}` };
      }),
    }),
    full: { sweep: 'study-lr' },
  },
  {
    id: 'study',
    title: 'A parameter study: decaying the learning rate',
    text: [
      t`The study also varies one setting at a time. Here the learning rate η = ${'sweep.lrs.0'} is multiplied by γ after every step (StepLR): with a small γ the large steps stop after the first few.`,
      t`Small runs for ${'sweep.vary.values.length'} values of γ × ${'sweep.repeats'} repeats, on parallel workers. Compare α Hill per step, and the test loss, across γ.`,
    ],
    kind: 'sweep-live',
    sweep: 'reduced-gamma',
    figures: ['alpha_hill', 'test_loss', 'train_loss', 'sim_w_beta'],
    facts: (f) => ({ ...f, first: f.points[0] || {}, last: f.points.at(-1) || {} }),
    caption: (f) => [
      t`After ${'last_step'} steps α Hill is ${'first.alpha_hill'} at γ = ${'first.value'} and ${'last.alpha_hill'} at γ = ${'last.value'}`,
      f.alpha_hill_trend < 0 ? t`: the slower the decay, the heavier the tail.`
        : f.alpha_hill_trend > 0 ? t`: the slower the decay, the lighter the tail.` : t`, not in order of γ.`,
      f.test_loss_trend > 0 ? t` The test loss rises with γ, from ${'first.test_loss'} to ${'last.test_loss'}.`
        : f.test_loss_trend < 0 ? t` The test loss falls with γ, from ${'first.test_loss'} to ${'last.test_loss'}.`
          : t` The test loss goes from ${'first.test_loss'} to ${'last.test_loss'}, not in order of γ.`,
    ],
    annotations: (f, { stepPointOf }) => ({
      alpha_hill: [f.first, f.last].map((p) => {
        const at = p.value === undefined ? null : stepPointOf('alpha_hill', p.value);
        return at && { kind: 'point', ...at, label: `γ = ${n(p.value)}: α Hill ${n(at.y)}` };
      }),
    }),
    full: { sweep: 'vary-gamma' },
  },
  {
    id: 'overlaps',
    title: 'Why: the singular vectors of W and of the update',
    text: [
      t`Where does the spike come from? Compare the top singular vectors of W before and after one step with those of the update M = W₁ − W₀ (Adam, η = ${'runs.0.lr'}). Each heatmap shows the squared overlaps ⟨wᵢ, mⱼ⟩² of the top ${'runs.0.top_k'} vectors.`,
      t`Before the step W knows nothing of M’s directions; after it, look at the top-left square of the W(t) panels.`,
    ],
    kind: 'runs',
    runs: [{ preset: 'adam-ten', until: 1 }],
    figures: ['overlap', 'singular'],
    caption: (f) => {
      const u = f.runs[0].update || {};
      return [
        t`Before the step ⟨v₁(W₀), v₁(M)⟩² = ${'runs.0.update.v_overlap_prev_top'}; after it ⟨v₁(W₁), v₁(M)⟩² = ${'runs.0.update.v_overlap_top'} and ⟨u₁(W₁), u₁(M)⟩² = ${'runs.0.update.u_overlap_top'}`,
        u.aligned ? t`: the spike’s singular vectors are the update’s.` : t`: W’s top vectors are not the update’s in this run.`,
        t` M’s top singular value ${'runs.0.update.top'}, of ‖M‖_F = ${'runs.0.update.norm'}, carries a share ${'runs.0.update.top_share'} of its squared norm`,
        u.near_rank_one ? t`: the update is close to rank one.` : t`: the update is not close to rank one.`,
      ];
    },
    annotations: (f, { run }) => {
      const u = f.runs[0].update;
      const k = run.probes.at(-1)?.update?.k;
      if (!u || !k) return {};
      // The heatmap's panels: U before, U after, V before, V after (views/single.js); cell (1, 1) of each.
      return {
        overlap: [
          { kind: 'cell', index: 2 * k * k, label: `before: ${n(u.v_overlap_prev_top)}` },
          { kind: 'cell', index: 3 * k * k, label: `after: ${n(u.v_overlap_top)}` },
        ],
        singular: [{ kind: 'point', x: 1, y: u.top, label: `σ₁(M) = ${n(u.top)}: a share ${n(u.top_share)} of ‖M‖²` }],
      };
    },
    full: { preset: 'study' },
  },
];

export const stageIndex = (id) => STAGES.findIndex((s) => s.id === id);
