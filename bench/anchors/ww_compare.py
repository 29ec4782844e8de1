#!/usr/bin/env python3
"""WeightWatcher (0.7.5.5, run from its source) against `spiketail analyze` on the same matrices.

Usage (Debian's python3 with python3-torch, -pandas, -sklearn, -scipy, -tqdm, -matplotlib installed):
  /usr/bin/python3 bench/anchors/ww_compare.py --ww-src DIR [--spiketail build/spiketail] [--timing] [--out FILE]

DIR holds the `weightwatcher` package of github.com/CalculatedContent/WeightWatcher and powerlaw 1.5's single
`powerlaw.py` (github.com/jeffalstott/powerlaw, the last commit before it was split into a package); neither is
part of this repository. WeightWatcher imports `safetensors` at the top; when it is missing a stub module is put
on the path (none of its functions is called here).

Both programs get the same float32 matrices: WeightWatcher as a state dict {name.weight: array} (its
PyStateDictLayer path: 2-D dense, 4-D conv2d), spiketail as an .npz written by numpy.savez. For each layer the
script prints and compares alpha, xmin and D (WeightWatcher's default fit, its own WWFit over eigenvalues
> 1e-5) and the other shared columns, and exits 1 when a difference is above the tolerances below.
--timing also times both on a GPT-2-small-sized set (12 x 768x2304, 768x768, 768x3072, 3072x768) and one
4096x4096 matrix (docs/method.md §15, bench/NOTES.md).
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

import numpy as np

# Tolerances: both compute the squared singular values in float64 from the same float32 numbers (WW by an SVD,
# spiketail from the Gram matrix, summed in float32): eigenvalues agree to ~1e-7 of lambda_max. alpha, xmin
# and D come from the same formula, so they agree to that level unless two candidate x_min have KS distances
# within it of each other (then the argmin may pick the other one: reported, not hidden).
REL_TOL = {"alpha": 1e-4, "xmin": 1e-4, "D": 1e-4, "lambda_max": 1e-5, "norm": 1e-5, "sigma": 1e-4,
           "alpha_weighted": 1e-4, "log_alpha_norm": 1e-4, "stable_rank": 1e-5, "entropy": 1e-5, "log_norm": 1e-6,
           "log_spectral_norm": 1e-6, "num_pl_spikes": 0, "num_evals": 0, "N": 0, "M": 0}


def matrices(rng):
    """name -> float32 array: random, planted spike, power-law spectra, heavy-tailed and structured layers."""
    out = {}
    out["gaussian_1000x500"] = rng.standard_normal((1000, 500))
    out["gaussian_768x3072"] = rng.standard_normal((768, 3072))
    n, m, theta = 2000, 500, 2.0
    u = rng.standard_normal(n); u /= np.linalg.norm(u)
    v = rng.standard_normal(m); v /= np.linalg.norm(v)
    out["spike_2000x500"] = rng.standard_normal((n, m)) + theta * np.sqrt(n) * np.outer(u, v)
    for alpha in (2.5, 4.0):
        n, m = 800, 400
        lam = (1 - (np.arange(m) + 0.5) / m) ** (-1 / (alpha - 1))
        q1, _ = np.linalg.qr(rng.standard_normal((n, m)))
        q2, _ = np.linalg.qr(rng.standard_normal((m, m)))
        out[f"powerlaw_a{alpha}"] = (q1 * np.sqrt(lam)) @ q2.T
    out["student_t_768x768"] = rng.standard_t(2.5, size=(768, 768)) * 0.02
    low = rng.standard_normal((1024, 20)) @ rng.standard_normal((20, 512))
    out["lowrank_plus_noise"] = 0.05 * low + rng.standard_normal((1024, 512))
    cov = np.arange(1, 513) ** -1.0
    out["correlated_1024x512"] = rng.standard_normal((1024, 512)) * np.sqrt(cov)
    out["conv_64x32x3x3"] = rng.standard_t(3.0, size=(64, 32, 3, 3)) * 0.05
    return {k: v.astype(np.float32) for k, v in out.items()}


def import_weightwatcher(src):
    sys.path.insert(0, src)
    try:
        import safetensors  # noqa: F401
    except ImportError:
        stub = tempfile.mkdtemp()
        os.makedirs(os.path.join(stub, "safetensors"))
        with open(os.path.join(stub, "safetensors", "__init__.py"), "w") as f:
            f.write("def safe_open(*args, **kwargs):\n    raise RuntimeError('stub')\n")
        sys.path.insert(0, stub)
    os.environ.setdefault("MPLBACKEND", "Agg")
    import logging
    import weightwatcher as ww
    import powerlaw
    logging.getLogger("weightwatcher").setLevel(logging.ERROR)
    return ww, powerlaw


def run_ww(ww, mats):
    model = {f"{name}.weight": w for name, w in mats.items()}
    watcher = ww.WeightWatcher(model=model)
    start = time.perf_counter()
    details = watcher.analyze()  # the defaults: WWFit power law, no plots, no MP fit, no randomisation
    seconds = time.perf_counter() - start
    rows = {row["name"]: row for row in details.to_dict("records")}
    return rows, seconds


def run_spiketail(binary, mats, workdir, jobs=1):
    path = os.path.join(workdir, "layers.npz")
    np.savez(path, **{f"{name}.weight": w for name, w in mats.items()})
    out = os.path.join(workdir, "layers.json")
    start = time.perf_counter()
    subprocess.run([binary, "analyze", path, "--out", out, "--jobs", str(jobs), "--quiet"], check=True)
    seconds = time.perf_counter() - start
    with open(out) as f:
        doc = json.load(f)
    rows = {row["name"][: -len(".weight")]: row for row in doc["layers"]}
    return rows, seconds


def compare(ww_rows, st_rows):
    report, worst, failures = [], {}, []
    for name, w in ww_rows.items():
        s = st_rows.get(name)
        if s is None:
            failures.append(f"{name}: not in spiketail's output")
            continue
        line = {"name": name}
        for column, tol in REL_TOL.items():
            a, b = w.get(column), s.get(column)
            if a is None or b is None:
                continue
            rel = abs(float(a) - float(b)) / max(abs(float(a)), 1e-300)
            line[column] = {"ww": float(a), "spiketail": float(b), "rel": rel}
            worst[column] = max(worst.get(column, 0.0), rel)
            if rel > tol:
                failures.append(f"{name}: {column} ww {a} spiketail {b} (rel {rel:.2e} > {tol:g})")
        report.append(line)
    return report, worst, failures


def gpt2_small(rng):
    mats = {}
    for block in range(12):
        for part, shape in (("attn.c_attn", (768, 2304)), ("attn.c_proj", (768, 768)), ("mlp.c_fc", (768, 3072)),
                            ("mlp.c_proj", (3072, 768))):
            mats[f"h.{block}.{part}"] = (0.02 * rng.standard_normal(shape)).astype(np.float32)
    return mats


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--ww-src", required=True)
    parser.add_argument("--spiketail", default="build/spiketail")
    parser.add_argument("--timing", action="store_true")
    parser.add_argument("--out")
    args = parser.parse_args()
    ww, powerlaw = import_weightwatcher(args.ww_src)
    rng = np.random.default_rng(20261130)
    mats = matrices(rng)
    result = {"weightwatcher": ww.__version__, "powerlaw": powerlaw.__version__, "numpy": np.__version__}
    with tempfile.TemporaryDirectory() as workdir:
        ww_rows, _ = run_ww(ww, mats)
        st_rows, _ = run_spiketail(args.spiketail, mats, workdir)
        report, worst, failures = compare(ww_rows, st_rows)
        result.update({"layers": report, "worst_relative": worst, "failures": failures})
        print(f"{'layer':22} {'alpha ww':>10} {'spiketail':>10} {'xmin ww':>11} {'spiketail':>11} {'D ww':>8} {'spiketail':>9}")
        for line in report:
            a, x, d = line["alpha"], line["xmin"], line["D"]
            print(f"{line['name']:22} {a['ww']:10.5f} {a['spiketail']:10.5f} {x['ww']:11.5g} {x['spiketail']:11.5g} "
                  f"{d['ww']:8.5f} {d['spiketail']:9.5f}")
        print("worst relative difference per column:", json.dumps({k: float(f"{v:.3g}") for k, v in worst.items()}))
        if args.timing:
            timing = {}
            for label, set_ in (("gpt2_small_48", gpt2_small(rng)),
                                ("square_4096", {"w4096": (0.02 * rng.standard_normal((4096, 4096))).astype(np.float32)})):
                _, ww_seconds = run_ww(ww, set_)
                _, st_seconds = run_spiketail(args.spiketail, set_, workdir, jobs=os.cpu_count() or 1)
                timing[label] = {"weightwatcher_s": ww_seconds, "spiketail_cli_s": st_seconds,
                                 "ratio": st_seconds / ww_seconds}
                print(f"{label}: WeightWatcher {ww_seconds:.1f} s, spiketail analyze {st_seconds:.1f} s "
                      f"(ratio {st_seconds / ww_seconds:.2f})")
            result["timing"] = timing
    for f in failures:
        print("DIFFERENCE:", f)
    if args.out:
        with open(args.out, "w") as f:
            json.dump(result, f, indent=1)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
