#!/usr/bin/env python3
"""On a GPU: does merging index-range shards (brox._shard.merge) give the single call's winner?

The merge ranks shard winners by their float64 values; the WebGPU engine ranks samples by float32.
This counts how often the two disagree on real cases, and times one call against the same call cut
into shards and pipelined into the same server. No Dask, no numpy needed.

    PYTHONPATH=python python3 python/bench/gpu_shard_check.py --backend webgpu [--log2-samples 28]
"""
import argparse
import json
import time

import brox
from brox._shard import merge, shards

CASES = [("rastrigin", [2.5] * 10, 1.0), ("ackley", [0.7] * 10, 1.0), ("sphere", [0.5, 0.5], 1.0),
         ("rosenbrock", [0.0] * 10, 0.5), ("sphere", [0.0] * 100, 0.1)]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--backend", default="webgpu")
    ap.add_argument("--log2-samples", type=int, default=28)
    ap.add_argument("--shards", type=int, default=64)
    ap.add_argument("--seeds", type=int, default=6)
    ap.add_argument("--command", default="bin/brox.js")
    a = ap.parse_args()
    n = 2 ** a.log2_samples
    doc = {"backend": a.backend, "samples": n, "shards": a.shards, "cases": []}
    with brox.Client(a.command, backend=a.backend, start_timeout=300) as c:
        doc["info"] = {k: c.server_info.get(k) for k in ("version", "backend", "adapter", "reason")}
        same_all = 0
        total = 0
        for obj, x, t in CASES:
            c.brox(obj, x, t, samples=2**16)  # compile
            for seed in range(1, a.seeds + 1):
                t0 = time.perf_counter()
                one = c.brox(obj, x, t, samples=n, seed=seed, generator="lean")
                t1 = time.perf_counter()
                calls = [c.submit("brox", {"objective": obj, "x": x, "t": t, "samples": m, "offset": o, "seed": seed, "generator": "lean"})
                         for o, m in shards(n, a.shards)]
                parts = [call.result() for call in calls]
                t2 = time.perf_counter()
                merged = merge(parts, n)
                same = (merged.index, merged.fun) == (one.index, one.fun)
                same_all += same
                total += 1
                doc["cases"].append({"objective": obj, "d": len(x), "seed": seed, "same": same, "one": [one.index, one.fun],
                                     "merged": [merged.index, merged.fun], "one_s": round(t1 - t0, 4), "sharded_s": round(t2 - t1, 4)})
        doc["same"] = f"{same_all}/{total}"
    print(json.dumps(doc, indent=1))


if __name__ == "__main__":
    main()
