"""Anchor: PyTorch on the CPU (Debian python3-torch + OpenBLAS), same network and threads as our CLI.

Network (docs/method.md §3-4): Z = X W^T / sqrt d, p = tanh(Z) a / sqrt h, L = mean (p - y)^2, full batch, Adam on W
(a frozen), float32. ESD: eigenvalues of the Gram matrix W^T W (cols x cols) in float64, like ours.
X: n x d, W: h x d, a: h. Prints one JSON object on stdout; timings in seconds (median of reps), with each sample's
CPU seconds (process_time: all threads, OpenBLAS's included).
"""
import argparse, json, statistics, sys, time

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=2000)
    ap.add_argument("--d", type=int, default=1000)
    ap.add_argument("--h", type=int, default=1500)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--reps", type=int, default=5)
    ap.add_argument("--warmup", type=int, default=1)
    args = ap.parse_args()
    try:
        import torch
    except ImportError as e:
        print(json.dumps({"available": False, "reason": f"import torch failed: {e}"}))
        return
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    n, d, h = args.n, args.d, args.h

    X = torch.randn(n, d)
    beta = torch.randn(d); beta /= beta.norm()
    y = torch.nn.functional.softplus(X @ beta) + 0.3 * torch.randn(n)
    W = torch.randn(h, d, requires_grad=True)
    a = torch.randn(h)
    opt = torch.optim.Adam([W], lr=1.0, betas=(0.9, 0.999), eps=1e-8)
    inv_sqrt_d, inv_sqrt_h = 1.0 / d ** 0.5, 1.0 / h ** 0.5

    def step():
        opt.zero_grad(set_to_none=True)
        p = torch.tanh(X @ W.T * inv_sqrt_d) @ a * inv_sqrt_h
        loss = ((p - y) ** 2).mean()
        loss.backward()
        opt.step()
        return loss.item()

    def esd():
        with torch.no_grad():
            Wd = W.detach().double()
            G = Wd.T @ Wd if h >= d else Wd @ Wd.T
            return torch.linalg.eigvalsh(G)

    def timed(fn):
        for _ in range(args.warmup):
            fn()
        samples, cpu = [], []
        for _ in range(args.reps):
            t0, c0 = time.perf_counter(), time.process_time()
            fn()
            cpu.append(time.process_time() - c0)
            samples.append(time.perf_counter() - t0)
        return {"median": statistics.median(samples), "samples": samples, "cpu": cpu}

    out = {"available": True, "version": torch.__version__, "threads": torch.get_num_threads(),
           "shape": {"n": n, "d": d, "h": h}, "step": timed(step), "esd": timed(esd)}
    print(json.dumps(out))

if __name__ == "__main__":
    sys.exit(main())
