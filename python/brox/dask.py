"""brox on a Dask cluster: one giant `brox` call sharded by sample-index range, and many
independent `minimize` runs, over a `distributed.Client`.

Each worker process keeps one long-lived `brox serve` (a per-process cache, started on the first
task that needs it; its GPU or CPU is whatever the worker's environment gives it). Samples are
counter-based: sample i is the same point wherever it is drawn, so a worker given the range
[offset, offset + n) returns that range's winner (value, index), and the merge, lowest value then
lowest index (the engine's own tie rule), gives the winner of the whole range. A lost worker's
ranges are re-run elsewhere by Dask; they draw the same samples, so the answer does not change.

    from distributed import Client as DaskClient, LocalCluster
    import brox.dask
    with DaskClient(LocalCluster(n_workers=2, processes=True)) as dc:
        r = brox.dask.brox(dc, "rastrigin", [3.0] * 10, 1.0, samples=2**24, server={"backend": "cpu"})
"""
from __future__ import annotations

import math
import threading
import time
from typing import Any, Iterable, Iterator, Mapping

from distributed import as_completed

from . import _protocol as P
from ._shard import MAX_INDEX, MAX_SHARD, merge, merge_topk, shards
from .client import Client

__all__ = ["brox", "submit_brox", "shards", "merge", "map_minimize", "worker_client", "close_worker_clients"]

_servers: dict = {}
_servers_lock = threading.Lock()


def _key(server: Mapping) -> tuple:
    def freeze(v):
        return tuple(freeze(e) for e in v) if isinstance(v, (list, tuple)) else tuple(sorted((k, freeze(e)) for k, e in v.items())) if isinstance(v, Mapping) else v
    return freeze(dict(server))


def worker_client(server: Mapping | None = None) -> Client:
    """This process's brox.Client for these server options (started once, reused by every task;
    thread-safe, so a worker's threads pipeline into one server)."""
    server = dict(server or {})
    key = _key(server)
    with _servers_lock:
        c = _servers.get(key)
        if c is None or not c.alive:
            c = Client(**server)
            _servers[key] = c
        return c


def close_worker_clients() -> int:
    """Closes this process's cached servers (e.g. `dask_client.run(brox.dask.close_worker_clients)`)."""
    with _servers_lock:
        items = list(_servers.values())
        _servers.clear()
    for c in items:
        c.close()
    return len(items)


# ---------------------------------------------------------------------------------------------
# one call, sharded


def _brox_range(objective: Any, x: list, t: float, offset: int, samples: int, options: dict, server: dict) -> dict:
    import os
    c = worker_client(server)
    r = dict(c.brox(objective, x, t, offset=offset, samples=samples, **options))
    r["x"] = list(map(float, r["x"]))
    r["worker_pid"], r["server_pid"] = os.getpid(), c.pid
    return r


def submit_brox(dask_client: Any, objective: Any, x: Any, t: float, *, samples: int, offset: int = 0, shards_per_worker: int = 4,
                n_shards: int | None = None, server: Mapping | None = None, retries: int = 2, **options: Any) -> list:
    """The shard futures of a sharded `brox` (see `brox`); `merge(f.result() for f in futures, samples)` is its answer."""
    if options.get("rounds") not in (None, 1):
        raise ValueError("rounds: a sharded call runs one round (round r > 0 centres on the best of all shards so far)")
    bad = set(options) - {"seed", "call", "ball", "generator", "bounds", "rounds", "shrink"}
    if bad:
        raise TypeError(f"{sorted(bad)[0]}: not a brox option (seed, call, ball, generator, bounds)")
    xs = P.vector(x, "x", objective.dim if isinstance(objective, P.Objective) else None)
    t = P.scalar(t, "t", positive=True)
    if n_shards is None:
        workers = len(dask_client.scheduler_info()["workers"]) or 1
        n_shards = workers * int(P.scalar(shards_per_worker, "shards_per_worker", integer=True, positive=True))
    ranges = shards(samples, n_shards, offset)
    opts = {k: v for k, v in options.items() if v is not None}
    srv = dict(server or {})
    stamp = time.monotonic_ns()
    return [dask_client.submit(_brox_range, objective, xs, t, o, n, opts, srv, pure=False, retries=retries, key=f"brox-range-{o}-{n}-{stamp}")
            for o, n in ranges]


def brox(dask_client: Any, objective: Any, x: Any, t: float, *, samples: int, offset: int = 0, shards_per_worker: int = 4,
         n_shards: int | None = None, server: Mapping | None = None, retries: int = 2, **options: Any) -> P.Result:
    """`brox` over [offset, offset + samples), split by index range over the cluster's workers and
    merged exactly (see `merge`). samples may exceed one request's 2^32 (each shard stays below).

    n_shards: ranges to cut (default shards_per_worker per worker, for balance and cheap re-runs);
    server: brox.Client options on the workers (backend, threads, command, args, env);
    retries: Dask retries of a shard whose task raised (a lost worker's shards are re-run by the
    scheduler anyway); options: brox options (seed, call, ball, generator, bounds). `rounds` must
    be 1: a refinement round centres on the best so far. The result has `shards` besides brox's fields.
    """
    futures = submit_brox(dask_client, objective, x, t, samples=samples, offset=offset, shards_per_worker=shards_per_worker,
                          n_shards=n_shards, server=server, retries=retries, **options)
    return merge(dask_client.gather(futures), samples)


def _topk_range(objective: Any, x: list, t: float, k: int, offset: int, samples: int, options: dict, server: dict) -> dict:
    c = worker_client(server)
    r = c.topk(objective, x, t, k=k, offset=offset, samples=samples, **options)
    return {"points": [list(map(float, p)) for p in r["points"]], "values": [float(v) for v in r["values"]],
            "indices": [int(i) for i in r["indices"]], "nfev": r["nfev"], "ms": r.get("ms", 0.0), "backend": r.get("backend")}


def topk(dask_client: Any, objective: Any, x: Any, t: float, *, k: int, samples: int, offset: int = 0, shards_per_worker: int = 4,
         n_shards: int | None = None, server: Mapping | None = None, retries: int = 2, **options: Any) -> P.Result:
    """`topk` over [offset, offset + samples), split by index range over the cluster's workers:
    each shard returns its own k best, merged by (value, index) (see `merge_topk`). Options and
    sharding as `brox` (seed, call, ball, generator, bounds). The result has `shards` besides topk's fields."""
    bad = set(options) - {"seed", "call", "ball", "generator", "bounds"}
    if bad:
        raise TypeError(f"{sorted(bad)[0]}: not a topk option (seed, call, ball, generator, bounds)")
    k = int(P.scalar(k, "k", integer=True, positive=True))
    xs = P.vector(x, "x", objective.dim if isinstance(objective, P.Objective) else None)
    t = P.scalar(t, "t", positive=True)
    if n_shards is None:
        workers = len(dask_client.scheduler_info()["workers"]) or 1
        n_shards = workers * int(P.scalar(shards_per_worker, "shards_per_worker", integer=True, positive=True))
    opts = {key: v for key, v in options.items() if v is not None}
    srv = dict(server or {})
    stamp = time.monotonic_ns()
    futures = [dask_client.submit(_topk_range, objective, xs, t, k, o, n, opts, srv, pure=False, retries=retries, key=f"topk-range-{o}-{n}-{stamp}")
               for o, n in shards(samples, n_shards, offset)]
    return merge_topk(dask_client.gather(futures), k, samples)


# ---------------------------------------------------------------------------------------------
# many runs


def _minimize_run(run: dict, server: dict) -> Any:
    run = dict(run)
    objective = run.pop("objective")
    return worker_client(server).minimize(objective, **run)


def map_minimize(dask_client: Any, runs: Iterable[Mapping], *, server: Mapping | None = None, retries: int = 2) -> Iterator[tuple]:
    """Many independent `minimize` runs (each a dict of Client.minimize arguments: objective, x0,
    method, seed, ...), yielding (i, result) in the order they finish (i: the run's position)."""
    runs = [dict(r) for r in runs]
    for i, r in enumerate(runs):
        if not isinstance(r, dict) or "objective" not in r:
            raise ValueError(f"runs[{i}]: must be a dict with at least 'objective'")
    srv = dict(server or {})
    futures = [dask_client.submit(_minimize_run, r, srv, pure=False, retries=retries, key=f"brox-minimize-{i}-{time.monotonic_ns()}")
               for i, r in enumerate(runs)]
    index = {f.key: i for i, f in enumerate(futures)}
    for f in as_completed(futures):
        yield index[f.key], f.result()
