"""brox from Python: a client of `brox serve` (Node.js; WebGPU or CPU) with numpy in and out.

    import brox, numpy as np
    r = brox.minimize("rastrigin", np.full(10, 3.0), method="cma-es", seed=1)   # scipy OptimizeResult
    b = brox.brox(brox.expr("sum(i, x[i]^2)", dim=4), np.ones(4), t=0.5, samples=2**16)

Module-level functions share one lazily started Client (closed at exit; backend from
$BROX_BACKEND, default 'auto'); pass `client=` to use your own. `brox.dask` shards calls over a
Dask cluster.
"""
from __future__ import annotations

import atexit
import os
import threading
from typing import Any

from ._protocol import (BroxError, Cancelled, Objective, Result, ServerError, Timeout, UnsupportedMethod, code, data,
                        expr)
from .client import AsyncClient, Call, Client

__version__ = "0.1.0"
__all__ = ["Client", "AsyncClient", "Call", "BroxError", "ServerError", "UnsupportedMethod", "Cancelled", "Timeout",
           "Result", "Objective", "expr", "data", "code", "minimize", "brox", "evaluate", "topk", "moments", "bpm",
           "default_client", "close_default_client"]

_default: Client | None = None
_default_lock = threading.Lock()


def default_client() -> Client:
    """The Client behind the module-level functions (started on first use, closed at exit)."""
    global _default
    with _default_lock:
        if _default is None or not _default.alive:
            _default = Client(backend=os.environ.get("BROX_BACKEND", "auto"))
        return _default


@atexit.register
def close_default_client() -> None:
    global _default
    with _default_lock:
        if _default is not None:
            _default.close()
            _default = None


def _client(client: Client | None) -> Client:
    if client is None:
        return default_client()
    if not isinstance(client, Client):
        raise TypeError(f"client: must be a brox.Client, got {type(client).__name__}")
    return client


def minimize(objective: Any, x0: Any = None, *, method: str | None = None, bounds: Any = None, client: Client | None = None, **options: Any):
    """scipy-style minimisation: see Client.minimize. Returns scipy.optimize.OptimizeResult (brox.Result without scipy)."""
    return _client(client).minimize(objective, x0, method=method, bounds=bounds, **options)


def brox(objective: Any, x: Any, t: float, *, client: Client | None = None, **options: Any):
    """One broximal step (the best sample in the ball of radius t around x): see Client.brox."""
    return _client(client).brox(objective, x, t, **options)


def evaluate(objective: Any, points: Any, *, client: Client | None = None, **options: Any):
    """f at each row of points: see Client.evaluate."""
    return _client(client).evaluate(objective, points, **options)


def bpm(objective: Any, x0: Any, *, radius: float, client: Client | None = None, **options: Any):
    """The Ball Proximal Point Method: see Client.bpm."""
    return _client(client).bpm(objective, x0, radius=radius, **options)


def topk(objective: Any, center: Any, t: float, *, client: Client | None = None, **options: Any):
    """The k best samples around center: see Client.topk (needs a brox serve that serves topk)."""
    return _client(client).topk(objective, center, t, **options)


def moments(objective: Any, center: Any, t: float, *, client: Client | None = None, **options: Any):
    """Weighted moments of the samples around center: see Client.moments (needs a brox serve that serves moments)."""
    return _client(client).moments(objective, center, t, **options)
