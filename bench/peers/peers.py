#!/usr/bin/env python3
"""The brox benchmark task in PyTorch, JAX and NumPy, for side-by-side ratios with `npm run bench`.

Task (same as brox's oracle call): N uniform samples in the Euclidean ball of radius t around a
centre (normals g, radius t * u^(1/d), y = c + t u^(1/d) g/|g|), Rastrigin at every sample, best
value and its index. Samples are drawn in chunks so memory stays bounded at large N * d.

Usage: python3 bench/peers/peers.py [--backends torch,jax,numpy] [--dims 2,10,100]
                                    [--samples N] [--repeats R] [--json]
Backends that are not installed are reported as skipped. Timings are medians of R runs after a
warm-up, with the device synchronised (torch.cuda.synchronize / block_until_ready).
"""
import argparse
import json
import math
import statistics
import sys
import time

CHUNK_COORDS = 1 << 26  # samples per chunk = CHUNK_COORDS // d


def rastrigin_best_numpy(d, n, t, seed):
    import numpy as np

    rng = np.random.default_rng(seed)
    c = np.full(d, 2.5, dtype=np.float32)
    best, best_i, done = np.inf, -1, 0
    chunk = max(1, CHUNK_COORDS // d // 16)  # the CPU gets smaller chunks
    while done < n:
        m = min(chunk, n - done)
        g = rng.standard_normal((m, d), dtype=np.float32)
        u = rng.random(m, dtype=np.float32)
        y = c + g * (t * u ** (1.0 / d) / np.linalg.norm(g, axis=1))[:, None]
        f = 10 * d + np.sum(y * y - 10 * np.cos(2 * np.pi * y), axis=1)
        i = int(np.argmin(f))
        if f[i] < best:
            best, best_i = float(f[i]), done + i
        done += m
    return best, best_i, lambda: None


def rastrigin_best_torch(d, n, t, seed):
    import torch

    dev = "cuda" if torch.cuda.is_available() else "cpu"
    gen = torch.Generator(device=dev).manual_seed(seed)
    c = torch.full((d,), 2.5, device=dev)
    best = torch.tensor(float("inf"), device=dev)
    best_i = torch.tensor(-1, device=dev)
    chunk, done = max(1, CHUNK_COORDS // d), 0
    while done < n:
        m = min(chunk, n - done)
        g = torch.randn((m, d), device=dev, generator=gen)
        u = torch.rand((m,), device=dev, generator=gen)
        y = c + g * (t * u.pow(1.0 / d) / g.norm(dim=1)).unsqueeze(1)
        f = 10 * d + (y * y - 10 * torch.cos(2 * math.pi * y)).sum(dim=1)
        v, i = torch.min(f, dim=0)
        better = v < best
        best = torch.where(better, v, best)
        best_i = torch.where(better, i + done, best_i)
        done += m
    sync = (lambda: torch.cuda.synchronize()) if dev == "cuda" else (lambda: None)
    sync()
    return float(best), int(best_i), sync


_jax_cache = {}


def rastrigin_best_jax(d, n, t, seed):
    import jax
    import jax.numpy as jnp

    chunk = max(1, min(n, CHUNK_COORDS // d))
    key = (d, chunk, t)
    if key not in _jax_cache:

        @jax.jit
        def step(k, c):
            kg, ku = jax.random.split(k)
            g = jax.random.normal(kg, (chunk, d))
            u = jax.random.uniform(ku, (chunk,))
            y = c + g * (t * u ** (1.0 / d) / jnp.linalg.norm(g, axis=1))[:, None]
            f = 10 * d + jnp.sum(y * y - 10 * jnp.cos(2 * jnp.pi * y), axis=1)
            i = jnp.argmin(f)
            return f[i], i

        _jax_cache[key] = step
    step = _jax_cache[key]
    c = jnp.full((d,), 2.5)
    k = jax.random.PRNGKey(seed)
    best, best_i, done = math.inf, -1, 0
    results = []
    while done < n:  # whole chunks (n is rounded up to a multiple of the chunk)
        k, sub = jax.random.split(k)
        results.append((done, step(sub, c)))
        done += chunk
    for off, (v, i) in results:
        v = float(v.block_until_ready())
        if v < best:
            best, best_i = v, off + int(i)
    return best, best_i, lambda: None


BACKENDS = {"numpy": rastrigin_best_numpy, "torch": rastrigin_best_torch, "jax": rastrigin_best_jax}


def device_name(backend):
    try:
        if backend == "torch":
            import torch

            return torch.cuda.get_device_name(0) if torch.cuda.is_available() else "cpu"
        if backend == "jax":
            import jax

            return str(jax.devices()[0])
        return "cpu"
    except Exception as e:  # pragma: no cover - environment dependent
        return f"unknown ({e})"


def gpu_check(backend):
    """None when the backend computes on a GPU here, else why not (a CPU-only build would run the
    GPU sizes for minutes and time nothing worth reporting)."""
    try:
        if backend == "torch":
            import torch

            return None if torch.cuda.is_available() else f"torch {torch.__version__} sees no CUDA device"
        if backend == "jax":
            import jax

            devs = jax.devices()
            return None if any(d.platform == "gpu" for d in devs) else f"jax {jax.__version__} sees no GPU ({devs})"
        return None
    except Exception as e:  # an import or driver error is a reason, never a crash
        return f"{backend} unusable: {type(e).__name__}: {e}"


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--backends", default="torch,jax,numpy")
    ap.add_argument("--dims", default="2,10,100")
    ap.add_argument("--samples", type=int, default=0, help="samples per call (default: 2^26 / d coordinates on GPU, 2^20 / d on numpy)")
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--require-gpu", action="store_true", help="torch/jax: skip (with the reason) unless they see a GPU")
    ap.add_argument("--check", action="store_true", help="only report which backends import and see a GPU")
    a = ap.parse_args()
    if a.check:
        out = {}
        for backend in a.backends.split(","):
            try:
                __import__(backend)
            except Exception as e:
                out[backend] = {"ok": False, "why": f"not installed: {e}"}
                continue
            why = gpu_check(backend) if backend != "numpy" else None
            out[backend] = {"ok": why is None, "device": device_name(backend), **({"why": why} if why else {})}
        print(json.dumps(out))
        return
    rows = []
    for backend in a.backends.split(","):
        fn = BACKENDS.get(backend)
        if fn is None:
            sys.exit(f"peers.py: --backends: unknown '{backend}'; allowed: {', '.join(BACKENDS)}")
        try:
            __import__(backend)
        except ImportError as e:
            rows.append({"backend": backend, "skipped": f"not installed: {e}"})
            continue
        why = gpu_check(backend) if a.require_gpu and backend != "numpy" else None
        if why:
            rows.append({"backend": backend, "skipped": why})
            continue
        for d in [int(x) for x in a.dims.split(",")]:
            n = a.samples or 2 ** round(math.log2((2**20 if backend == "numpy" else 2**26) / max(2, d)))
            # warm-up: the same chunk shape as the timed runs (JAX compiles per shape)
            fn(d, min(n, max(1, CHUNK_COORDS // d)), 1.0, 0)
            times, best = [], None
            for r in range(a.repeats):
                t0 = time.perf_counter()
                best, best_i, sync = fn(d, n, 1.0, r + 1)
                sync()
                times.append(time.perf_counter() - t0)
            s = statistics.median(times)
            rows.append({"backend": backend, "device": device_name(backend), "d": d, "samples": n, "ms": s * 1e3, "samplesPerSec": n / s, "coordEvalsPerSec": n * d / s, "best": best})
    if a.json:
        print(json.dumps({"schema": 1, "task": "rastrigin, uniform l2 ball, best of N", "rows": rows}, indent=2))
        return
    for r in rows:
        if "skipped" in r:
            print(f"{r['backend']:<6} skipped: {r['skipped']}")
        else:
            print(f"{r['backend']:<6} {r['device'][:28]:<28} d={r['d']:<4} N={r['samples']:<10} {r['ms']:9.1f} ms  {r['samplesPerSec']:.3e} samples/s  {r['coordEvalsPerSec']:.3e} coord-evals/s  best {r['best']:.4g}")


if __name__ == "__main__":
    main()
