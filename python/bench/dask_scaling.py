#!/usr/bin/env python3
"""Scaling of one large sharded brox call on a LocalCluster: 1 vs 2 worker processes (each one
`brox serve --backend cpu --threads 1`), against one server alone (1 thread, and 2 threads of brox's
own CPU pool). Every sharded answer is checked against the single call (index, value, x).

    PYTHONPATH=python /usr/bin/python3 python/bench/dask_scaling.py [--samples 16777216] [--repeats 3] [--dim 10]

Prints one JSON object (wall seconds per call, median and range over repeats, samples/s, the 1-min
load average before each timed call). The configurations take turns within each repeat.
"""
import argparse
import contextlib
import json
import logging
import os
import platform
import statistics
import time

import brox
import brox.dask as bd
import distributed


def timed(fn, repeats):
    out, walls = None, []
    for _ in range(repeats):
        t0 = time.perf_counter()
        out = fn()
        walls.append(time.perf_counter() - t0)
    return out, walls


def summary(walls, samples):
    med = statistics.median(walls)
    return {"wall_s_median": round(med, 3), "wall_s_min": round(min(walls), 3), "wall_s_max": round(max(walls), 3),
            "samples_per_s": round(samples / med), "walls": [round(w, 3) for w in walls]}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--samples", type=int, default=2**24)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--dim", type=int, default=10)
    ap.add_argument("--shards-per-worker", type=int, default=4)
    a = ap.parse_args()
    logging.getLogger("distributed").setLevel(logging.ERROR)
    x, t, kw = [2.5] * a.dim, 1.0, {"samples": a.samples, "seed": 1}
    doc = {"objective": "rastrigin", "dim": a.dim, "samples": a.samples, "repeats": a.repeats, "cpus": os.cpu_count(),
           "machine": platform.processor() or platform.machine(), "runs": {}, "loadavg_1min": []}
    server = {"backend": "cpu", "threads": 1}
    with contextlib.ExitStack() as stack:
        # everything started first, then the configurations take turns: each repeat sees the same load
        c1 = stack.enter_context(brox.Client(**server))
        c2 = stack.enter_context(brox.Client(backend="cpu", threads=2))
        configs = {"one server, 1 thread": lambda: c1.brox("rastrigin", x, t, **kw),
                   "one server, 2 threads (brox's own CPU pool)": lambda: c2.brox("rastrigin", x, t, **kw)}
        for n in (1, 2):
            lc = stack.enter_context(distributed.LocalCluster(n_workers=n, threads_per_worker=1, processes=True, dashboard_address=":0"))
            dc = stack.enter_context(distributed.Client(lc))
            bd.brox(dc, "rastrigin", x, t, samples=1000 * n, server=server)  # start the workers' servers
            configs[f"dask, {n} worker process{'es' if n > 1 else ''} x 1 thread"] = (
                lambda dc=dc: bd.brox(dc, "rastrigin", x, t, server=server, shards_per_worker=a.shards_per_worker, **kw))
        c1.brox("rastrigin", x, t, samples=1000)
        c2.brox("rastrigin", x, t, samples=1000)
        walls = {k: [] for k in configs}
        ref = None
        for _ in range(a.repeats):
            for name, fn in configs.items():
                doc["loadavg_1min"].append(round(os.getloadavg()[0], 2))
                t0 = time.perf_counter()
                r = fn()
                walls[name].append(time.perf_counter() - t0)
                ref = ref or r
                exact = (r.index, r.fun, list(r.x)) == (ref.index, ref.fun, list(ref.x))
                assert exact, (name, r, ref)
        for name, w in walls.items():
            doc["runs"][name] = {**summary(w, a.samples), "exact": True}
    doc["winner"] = {"index": ref.index, "fun": ref.fun}
    print(json.dumps(doc, indent=1))


if __name__ == "__main__":
    main()
