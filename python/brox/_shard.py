"""Cutting one brox call into index ranges and merging the ranges' answers (no Dask needed)."""
from __future__ import annotations

import math
from typing import Iterable, Mapping

from . import _protocol as P

MAX_SHARD = 2**32  # samples per request that `brox serve` accepts by default (--max-samples)
MAX_INDEX = 2**53 - 1  # the engine's bound on offset + samples (indices exact below 2^53)


def shards(samples: int, parts: int, offset: int = 0, max_shard: int = MAX_SHARD) -> list:
    """[(offset_i, n_i)]: [offset, offset + samples) cut into at least `parts` contiguous ranges
    of near-equal size, none above max_shard."""
    samples = int(P.scalar(samples, "samples", integer=True, positive=True))
    parts = int(P.scalar(parts, "shards", integer=True, positive=True))
    offset = int(P.scalar(offset, "offset", integer=True))
    if offset < 0:
        raise ValueError(f"offset: must be >= 0, got {offset}")
    if offset + samples > MAX_INDEX:
        raise ValueError(f"samples: offset + samples must stay below 2^53, got {offset} + {samples}")
    parts = max(min(parts, samples), math.ceil(samples / max_shard))
    base, extra = divmod(samples, parts)
    out, at = [], offset
    for i in range(parts):
        n = base + (1 if i < extra else 0)
        out.append((at, n))
        at += n
    return out


def merge_topk(results: Iterable[Mapping], k: int, samples: int | None = None) -> P.Result:
    """The k best of the whole range from its shards' top-k answers: every shard's candidates
    ordered by (value, index) — the engine's order, ties to the lowest index — and the first k kept.
    Each shard returned its own k best, so the whole range's k best are among them. Exact when
    the server ranks by the float64 values it reports (the CPU backend)."""
    results = list(results)
    if not results:
        raise ValueError("results: no shard results to merge")
    k = int(P.scalar(k, "k", integer=True, positive=True))
    cands = []
    for r in results:
        for p, v, i in zip(r["points"], r["values"], r["indices"]):
            cands.append((P.number(v), int(i), p))
    cands.sort(key=lambda c: (c[0], c[1]))
    top = cands[:k]
    out = P.Result(results[0])
    out["points"] = P.array([list(map(float, c[2])) for c in top]) if top else P.array([])
    out["values"] = P.array([c[0] for c in top])
    out["indices"] = [c[1] for c in top]
    out["nfev"] = samples if samples is not None else sum(int(r["nfev"]) for r in results)
    out["shards"] = len(results)
    out["ms"] = max(float(r.get("ms", 0.0)) for r in results)
    for key in ("worker_pid", "server_pid"):
        out.pop(key, None)
    return out


def merge(results: Iterable[Mapping], samples: int | None = None) -> P.Result:
    """The whole range's answer from its shards' answers (each a `brox` result over its range).

    Winner: among shards that improved on the centre, the lowest `fun`, then the lowest `index`
    (the engine's rule: ties go to the lowest index). No shard improved: the centre (index -1),
    as a single call answers. Exact when the server ranks samples by the float64 values it reports
    (the CPU backend); WebGPU ranks by float32, see the README.
    """
    results = list(results)
    if not results:
        raise ValueError("results: no shard results to merge")
    best = None
    for r in results:
        if r["improved"] and (best is None or (P.number(r["fun"]), r["index"]) < (P.number(best["fun"]), best["index"])):
            best = r
    base = best if best is not None else results[0]
    out = P.Result(base)
    out["x"] = P.array(list(base["x"]) if not isinstance(base["x"], list) else base["x"])
    out["fun"] = P.number(base["fun"])
    out["funCenter"] = P.number(base["funCenter"])
    n = samples if samples is not None else sum(int(r["nfev"]) - 1 for r in results)
    out["nfev"] = n + 1  # as one call counts: its samples and the centre
    out["shards"] = len(results)
    out["ms"] = max(float(r.get("ms", 0.0)) for r in results)  # the slowest shard's own time
    for k in ("worker_pid", "server_pid"):
        out.pop(k, None)
    return out
