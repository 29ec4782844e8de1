"""Anchor: NumPy's eigvalsh (LAPACK dsyevd through NumPy's BLAS/LAPACK; OpenBLAS when Debian's libopenblas0-pthread
provides libblas.so.3/liblapack.so.3) of the smaller Gram matrix, float64, for bench/run.mjs (issue 11, item 6).

For each shape rows x cols: W uniform in [-1, 1) as float32 (as the weights WeightWatcher reads), G = the smaller
Gram in float64, then np.linalg.eigvalsh(G) timed alone (the issue's "NumPy eigvalsh of a 4096² Gram ≈ 12 s") and
the Gram alone. Threads: OPENBLAS_NUM_THREADS (set by the caller). One JSON object per shape and line on stdout.
Usage: numpy_eigvalsh.py --reps N --shapes 4096x4096,768x2304
"""
import argparse, json, statistics, time


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--warmup", type=int, default=1)
    ap.add_argument("--shapes", required=True)
    args = ap.parse_args()
    try:
        import numpy as np
    except ImportError as e:
        print(json.dumps({"available": False, "reason": f"import numpy failed: {e}"}))
        return
    np.linalg.eigvalsh(np.eye(2))

    def blas_loaded():
        # The library actually mapped (Debian's libblas.so.3 is an alternative: reference BLAS or OpenBLAS).
        try:
            with open("/proc/self/maps") as f:
                libs = {line.split()[-1] for line in f if "blas" in line or "lapack" in line}
            return "OpenBLAS" if any("openblas" in l for l in libs) else ",".join(sorted(libs)) or "unknown"
        except OSError:
            return "unknown"

    blas = blas_loaded()
    rng = np.random.default_rng(0)
    for shape in args.shapes.split(","):
        rows, cols = (int(x) for x in shape.split("x"))
        W = rng.uniform(-1, 1, size=(rows, cols)).astype(np.float32).astype(np.float64)

        def gram():
            return W.T @ W if rows >= cols else W @ W.T

        G = gram()
        for _ in range(args.warmup):
            np.linalg.eigvalsh(G)
        eig, grm = [], []
        for _ in range(args.reps):
            t0 = time.perf_counter(); G = gram(); t1 = time.perf_counter()
            ev = np.linalg.eigvalsh(G); t2 = time.perf_counter()
            grm.append(t1 - t0); eig.append(t2 - t1)
        print(json.dumps({"available": True, "numpy": np.__version__, "blas": blas, "rows": rows, "cols": cols,
                          "median": statistics.median(eig), "samples": eig,
                          "gram_median": statistics.median(grm), "lambda_max": float(ev[-1])}), flush=True)


if __name__ == "__main__":
    main()
