// The threaded wasm module (spiketail-node-threads.cjs, 2 threads) beside the single-thread one
// (spiketail-node.cjs), in this Node process: a study-scale Adam step and the ESD of the h x d W (issue 12's
// target: <= 0.6x). Calls alternate (single, threaded, single, ...) so that a busy machine's bursts hit both;
// each call's wall time and this process's CPU time (all its threads) are kept: on a shared machine the wall
// ratio is inflated when the second thread waits for a core, and CPU time / wall time says how many cores the
// threaded call actually had.
import fs from 'node:fs';
import os from 'node:os';
import { performance } from 'node:perf_hooks';

import { loadOurWasm, makeOurStepper, ourEsd } from './ours-wasm.mjs';
import { median } from './timing.mjs';

async function loadThreaded(cjsPath, threads) {
  if (!fs.existsSync(cjsPath)) return null;
  const { createRequire } = await import('node:module');
  const factory = createRequire(import.meta.url)(cjsPath);
  const mod = await factory({ helperThreads: threads - 1, wasmBinary: fs.readFileSync(cjsPath.replace(/\.cjs$/, '.wasm')) });
  mod.setThreads(threads);
  return mod;
}

// CPU seconds of each thread of this process so far (Linux /proc, in clock ticks of 10 ms), by thread id; the
// threaded module's pthreads are worker_threads of this process. {} where /proc is missing.
function threadCpu() {
  const out = {};
  try {
    for (const tid of fs.readdirSync('/proc/self/task')) {
      const stat = fs.readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      out[tid] = (Number(fields[11]) + Number(fields[12])) / 100;  // utime + stime, USER_HZ = 100
    }
  } catch { /* not Linux */ }
  return out;
}

// fns: {name: fn}; after `warmup` calls each, `reps` rounds of one call each: {name: {median, cpu, busiest,
// samples, cpuSamples, busiestSamples}}: wall time, this process's CPU time (all threads), and the CPU time of
// its busiest thread during the call — the call's critical path, what its wall time would be with a core per
// thread; unlike the wall time it does not grow when other processes take the cores.
// /proc counts CPU time in 10 ms ticks: each sample is `batch` calls, enough for 0.4 s of CPU (per call in the
// results).
function timeWallAndCpu(fns, { warmup, reps }) {
  const names = Object.keys(fns);
  for (let i = 0; i < warmup; i++) for (const k of names) fns[k]();
  const c0 = process.cpuUsage();
  fns[names[0]]();
  const once = Math.max(1e-3, (process.cpuUsage(c0).user + process.cpuUsage(c0).system) / 1e6);
  const batch = Math.max(1, Math.ceil(0.4 / once));
  const series = () => Object.fromEntries(names.map((k) => [k, []]));
  const wall = series(), cpu = series(), busiest = series();
  for (let i = 0; i < reps; i++)
    for (const k of names) {
      const threads0 = threadCpu(), c0 = process.cpuUsage(), t0 = performance.now();
      for (let b = 0; b < batch; b++) fns[k]();
      const t1 = performance.now(), c = process.cpuUsage(c0), threads1 = threadCpu();
      wall[k].push((t1 - t0) / 1e3 / batch);
      cpu[k].push((c.user + c.system) / 1e6 / batch);
      busiest[k].push(Math.max(0, ...Object.keys(threads1).map((t) => threads1[t] - (threads0[t] ?? 0))) / batch);
    }
  return Object.fromEntries(names.map((k) => [k, { batch, median: median(wall[k]), cpu: median(cpu[k]), busiest: median(busiest[k]),
                                                   samples: wall[k], cpuSamples: cpu[k], busiestSamples: busiest[k] }]));
}

export async function threadsSection({ singlePath, threadedPath, shape, label, reps, warmup, quick, row, results, gaussian }) {
  const THREADS = 2;
  const single = await loadOurWasm(singlePath);
  const threaded = await loadThreaded(threadedPath, THREADS);
  const target = quick ? '' : '<= 0.6';
  if (!single || !threaded) {
    const missing = { status: 'not built', what: single ? threadedPath : singlePath };
    row('wasm threads', `Adam step, ${THREADS} threads vs 1`, label, 'time', missing, 'single-thread module', null, target);
    row('wasm threads', `ESD ${shape.h}x${shape.d}, ${THREADS} threads vs 1`, label, 'time', missing, 'single-thread module', null, target);
    return;
  }
  const loadStart = os.loadavg();
  const steppers = { single: makeOurStepper(single, shape), threads: makeOurStepper(threaded, shape) };
  const step = timeWallAndCpu({ single: steppers.single.step, threads: steppers.threads.step }, { warmup, reps });
  for (const s of Object.values(steppers)) s.dispose();
  const W = gaussian(shape.h * shape.d, 3);
  const esd = timeWallAndCpu({ single: () => ourEsd(single, W, shape.h, shape.d),
                               threads: () => ourEsd(threaded, W, shape.h, shape.d) }, { warmup, reps });
  threaded.PThread.terminateAllThreads();  // its worker_threads would keep this process alive
  results.wasm_threads = { threads: THREADS, step, esd, loadavg_start: loadStart, loadavg_end: os.loadavg() };
  for (const [what, m] of [[`Adam step, ${THREADS} threads vs 1`, step], [`ESD ${shape.h}x${shape.d}, ${THREADS} threads vs 1`, esd]]) {
    row('wasm threads', what, label, 'time', m.threads.median, 'single-thread module', m.single.median, target);
    row('wasm threads', `${what}: CPU, all threads`, label, 'time', m.threads.cpu, 'single-thread module', m.single.cpu);
    row('wasm threads', `${what}: CPU, busiest thread`, label, 'time', m.threads.busiest, 'single-thread module', m.single.busiest);
  }
}
