"""Encoding of requests (numpy in, checked, finite), decoding of answers, errors, objective specs."""
from __future__ import annotations

import hashlib
import json
import math
import numbers
from typing import Any, Mapping, Sequence

try:  # numpy is optional: without it arrays come back as lists of floats
    import numpy as _np
except ImportError:  # pragma: no cover - exercised only where numpy is absent
    _np = None


# ---------------------------------------------------------------------------------------------
# errors


class BroxError(Exception):
    """An error answered by `brox serve`: `code` (e.g. 'INVALID_ARGUMENT'), `argument` when one is named."""

    def __init__(self, message: str, code: str = "INTERNAL", argument: str | None = None, method: str | None = None):
        super().__init__(message)
        self.code = code
        self.argument = argument
        self.method = method


class ServerError(BroxError):
    """The server could not be started, or exited / broke the protocol while calls were pending."""


class UnsupportedMethod(BroxError, NotImplementedError):
    """The running `brox serve` does not know this method (an older brox)."""


class Cancelled(BroxError):
    """The call was cancelled (`Call.cancel()` / `Client.cancel()`); the server aborted its work."""


class Timeout(BroxError, TimeoutError):
    """The call ran past its timeout (client side: the server was told to cancel it) or past the
    server's own deadline (`brox serve --timeout-ms`)."""


# JSON-RPC 2.0 error codes, should the server answer with them (a conforming `brox serve`).
_RPC_CODES = {-32700: "PARSE_ERROR", -32600: "INVALID_REQUEST", -32601: "METHOD_NOT_FOUND", -32602: "INVALID_ARGUMENT", -32603: "INTERNAL"}


def error_from_answer(err: Any, method: str) -> BroxError:
    """The exception for an `error` member of an answer (brox's string codes or JSON-RPC's numbers)."""
    if not isinstance(err, Mapping):
        return ServerError(f"{method}: malformed error answer {err!r}", "INTERNAL", method=method)
    code = err.get("code", "INTERNAL")
    data = err.get("data") if isinstance(err.get("data"), Mapping) else {}
    if isinstance(code, int):  # JSON-RPC: brox's own code may ride in data
        code = data.get("code") or _RPC_CODES.get(code, f"RPC_{code}")
    argument = err.get("argument", data.get("argument"))
    message = str(err.get("message", ""))
    if code == "METHOD_NOT_FOUND":
        return UnsupportedMethod(
            f"this brox serve does not serve '{method}' ({message}): it needs a brox whose serve has '{method}'",
            code, argument, method)
    cls = Cancelled if code == "ABORTED" else Timeout if code == "TIMEOUT" else BroxError
    text = f"{method}: {code}: {message}"
    return cls(text, code, argument, method)


# ---------------------------------------------------------------------------------------------
# encoding


def _is_np_array(v: Any) -> bool:
    return _np is not None and isinstance(v, _np.ndarray)


def encode(value: Any, path: str) -> Any:
    """A JSON-ready copy of `value`: numpy arrays and scalars (np.float32 ...) become lists and
    Python numbers; non-finite numbers raise ValueError naming `path` (brox takes finite inputs)."""
    if value is None or isinstance(value, (str, bool)):
        return value
    if _np is not None and isinstance(value, _np.bool_):
        return bool(value)
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, numbers.Real):  # float, np.float32, np.float64, fractions ...
        f = float(value)
        if not math.isfinite(f):
            raise ValueError(f"{path}: must be finite, got {f}")
        return f
    if _is_np_array(value):
        if value.dtype.kind not in "biuf":
            raise TypeError(f"{path}: must be a numeric array, got dtype {value.dtype}")
        if value.dtype.kind == "f" and not _np.all(_np.isfinite(value)):
            bad = tuple(int(i) for i in _np.argwhere(~_np.isfinite(value))[0])
            raise ValueError(f"{path}{list(bad)}: must be finite, got {value[bad]}")
        return value.tolist()
    if isinstance(value, Mapping):
        return {str(k): encode(v, f"{path}.{k}") for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [encode(v, f"{path}[{i}]") for i, v in enumerate(value)]
    if hasattr(value, "__array__") and _np is not None:
        return encode(_np.asarray(value), path)
    raise TypeError(f"{path}: cannot send a {type(value).__name__} to brox (numbers, lists, numpy arrays)")


def vector(value: Any, path: str, dim: int | None = None) -> list:
    """A finite 1-D vector (list, tuple, numpy array) as a list of floats."""
    if value is None or isinstance(value, (str, bytes, Mapping)):
        raise TypeError(f"{path}: must be a vector of numbers, got {type(value).__name__}")
    if isinstance(value, numbers.Real):
        raise TypeError(f"{path}: must be a vector of numbers, got a scalar ({value!r})")
    out = encode(value, path)
    if not isinstance(out, list) or not out or any(not isinstance(v, (int, float)) or isinstance(v, bool) for v in out):
        raise ValueError(f"{path}: must be a non-empty 1-D vector of numbers")
    if dim is not None and len(out) != dim:
        raise ValueError(f"{path}: must have {dim} entries, got {len(out)}")
    return out


def matrix(value: Any, path: str) -> list:
    out = encode(value, path)
    if not isinstance(out, list) or not out or not all(isinstance(r, list) and r for r in out) or len({len(r) for r in out}) != 1:
        raise ValueError(f"{path}: must be a non-empty 2-D array (rows of equal length)")
    return out


def scalar(value: Any, path: str, *, integer: bool = False, positive: bool = False) -> float | int:
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or (_is_np_array(value)):
        raise TypeError(f"{path}: must be a number, got {type(value).__name__}")
    if integer:
        if not isinstance(value, numbers.Integral) and not float(value).is_integer():
            raise ValueError(f"{path}: must be an integer, got {value!r}")
        v: float | int = int(value)
    else:
        v = float(value)
        if not math.isfinite(v):
            raise ValueError(f"{path}: must be finite, got {v}")
    if positive and v <= 0:
        raise ValueError(f"{path}: must be > 0, got {v}")
    return v


MAX_RUNS = 1024  # minimize()'s MAX_RUNS (src/methods/minimize.ts)


def runs(value: Any) -> int:
    """minimize's runs=: an integer in [1, MAX_RUNS], refused here before anything is sent."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or _is_np_array(value):
        raise TypeError(f"runs: must be an integer in [1, {MAX_RUNS}], got {type(value).__name__}")
    if not float(value).is_integer() or not 1 <= value <= MAX_RUNS:
        raise ValueError(f"runs: must be an integer in [1, {MAX_RUNS}], got {value!r}")
    return int(value)


def bounds(value: Any, dim: int | None, path: str = "bounds") -> Any:
    """scipy-style bounds -> brox's [lo, hi].

    None: the objective's usual domain (server default); "none": unbounded; a pair of scalars
    (lo, hi) for every coordinate; a sequence of (lo, hi) pairs, one per coordinate; or a
    scipy.optimize.Bounds(lb, ub). Bounds must be finite.
    """
    if value is None:
        return None
    if isinstance(value, str):
        if value == "none":
            return "none"
        raise ValueError(f"{path}: must be (lo, hi), a sequence of (lo, hi) pairs, scipy.optimize.Bounds, 'none' or None; got {value!r}")
    if hasattr(value, "lb") and hasattr(value, "ub"):  # scipy.optimize.Bounds
        lo, hi = encode(value.lb, f"{path}.lb"), encode(value.ub, f"{path}.ub")
        if isinstance(lo, list) and dim is not None and len(lo) != dim:
            raise ValueError(f"{path}.lb: must have {dim} entries, got {len(lo)}")
        return [lo, hi]
    v = encode(value, path)
    if isinstance(v, list) and len(v) == 2 and all(isinstance(e, (int, float)) for e in v):
        lo, hi = v
        if not lo < hi:
            raise ValueError(f"{path}: lo must be < hi, got ({lo}, {hi})")
        return [lo, hi]
    if isinstance(v, list) and v and all(isinstance(p, list) and len(p) == 2 for p in v):
        if dim is not None and len(v) != dim:
            raise ValueError(f"{path}: needs one (lo, hi) pair per coordinate ({dim}), got {len(v)}")
        for i, (lo, hi) in enumerate(v):
            if lo is None or hi is None:
                raise ValueError(f"{path}[{i}]: brox needs finite bounds (None/inf are not allowed)")
            if not lo < hi:
                raise ValueError(f"{path}[{i}]: lo must be < hi, got ({lo}, {hi})")
        return [[p[0] for p in v], [p[1] for p in v]]
    raise ValueError(f"{path}: must be (lo, hi), a sequence of (lo, hi) pairs, scipy.optimize.Bounds, 'none' or None")


def camel(key: str) -> str:
    """max_evals -> maxEvals (brox's JSON names); camelCase passes unchanged."""
    head, *rest = key.split("_")
    return head + "".join(w[:1].upper() + w[1:] for w in rest)


# ---------------------------------------------------------------------------------------------
# decoding


def number(v: Any) -> float:
    """brox writes non-finite numbers as the strings 'Infinity', '-Infinity', 'NaN'."""
    if isinstance(v, str):
        return {"Infinity": math.inf, "-Infinity": -math.inf, "NaN": math.nan}[v]
    return float(v)


def array(v: Any) -> Any:
    """A float64 numpy array when numpy is present, else a list of floats (nested as sent)."""
    if isinstance(v, list) and v and isinstance(v[0], list):
        rows = [[number(e) for e in r] for r in v]
        return _np.array(rows, dtype=float) if _np is not None else rows
    vals = [number(e) for e in (v or [])]
    return _np.array(vals, dtype=float) if _np is not None else vals


class Result(dict):
    """A dict whose keys are also attributes (the shape of scipy's OptimizeResult). A key named
    like a dict method (topk's `values`) wins over the method: r.values is the array."""

    def __getattribute__(self, name: str) -> Any:
        if name in ("values", "items", "keys", "get", "copy") and dict.__contains__(self, name):
            return dict.__getitem__(self, name)
        return super().__getattribute__(name)

    def __getattr__(self, name: str) -> Any:
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None

    def __setattr__(self, name: str, value: Any) -> None:
        self[name] = value

    def __dir__(self):
        return list(self.keys())

    def __repr__(self) -> str:
        inner = ", ".join(f"{k}={v!r}" for k, v in self.items())
        return f"{type(self).__name__}({inner})"


def optimize_result(fields: dict) -> Any:
    """scipy.optimize.OptimizeResult when scipy imports, else Result (same keys, attribute access)."""
    try:
        from scipy.optimize import OptimizeResult
    except ImportError:
        return Result(fields)
    return OptimizeResult(fields)


def decode_brox(r: Mapping) -> Result:
    out = Result(r)
    out["x"] = array(r["x"])
    for k in ("fun", "funCenter"):
        if k in r:
            out[k] = number(r[k])
    return out


def decode_minimize(r: Mapping) -> Any:
    fields = dict(r)
    fields["x"] = array(r["x"])
    fields["fun"] = number(r["fun"])
    if isinstance(r.get("runs"), list):  # runs=B: each run decoded as the result itself
        fields["runs"] = [decode_minimize(q) for q in r["runs"]]
    return optimize_result(fields)


def decode_values(r: Mapping) -> Any:
    return array(r["values"])


def decode_population(r: Mapping) -> Result:
    out = Result(r)
    for k, v in r.items():
        if k in ("points", "values", "mean", "second", "best"):
            out[k] = array(v) if v is not None else None
        elif k in ("fmin", "fmean", "fstd", "bestFun", "tau", "ess", "fractionBelowCenter"):
            out[k] = number(v)
    return out


def dumps(obj: Any) -> str:
    return json.dumps(obj, separators=(",", ":"), allow_nan=False)


# ---------------------------------------------------------------------------------------------
# objectives


class Objective:
    """An objective the server defines on first use (one `define` per server, cached by content).

    Make one with `brox.expr`, `brox.data` or `brox.code`; a plain string names a built-in
    (or an objective you defined yourself with `Client.define`).
    """

    def __init__(self, params: dict, dim: int | None):
        self.params = params
        self.dim = dim
        digest = hashlib.sha256(dumps(params).encode()).hexdigest()[:16]
        self.name = f"py-{digest}"
        self.needs_code = "wgsl" in params

    def define_params(self) -> dict:
        return {"name": self.name, **self.params}

    def __reduce__(self):  # pickles small (to Dask workers): the params, not the cache
        return (Objective, (self.params, self.dim))

    def __repr__(self) -> str:
        kind = "code" if self.needs_code else "data" if "data" in self.params else "expr"
        return f"brox.Objective({kind}, dim={self.dim}, name={self.name})"


def expr(expression: str, dim: int) -> Objective:
    """An objective from a brox expression, e.g. `brox.expr("sum(i, x[i]^2)", dim=4)`."""
    if not isinstance(expression, str) or not expression.strip():
        raise TypeError("expression: must be a non-empty string, e.g. 'sum(i, x[i]^2)'")
    d = scalar(dim, "dim", integer=True, positive=True)
    return Objective({"expr": expression, "dim": d}, int(d))


def data(kind: str, A: Any, y: Any) -> Objective:
    """A data objective: kind 'least-squares' | 'logistic' | 'phase-retrieval' over A (n x d), y (n)."""
    if kind not in ("least-squares", "logistic", "phase-retrieval"):
        raise ValueError(f"kind: must be 'least-squares', 'logistic' or 'phase-retrieval', got {kind!r}")
    a = matrix(A, "A")
    yy = vector(y, "y")
    if len(yy) != len(a):
        raise ValueError(f"y: must have one entry per row of A ({len(a)}), got {len(yy)}")
    return Objective({"data": {"kind": kind, "A": a, "y": yy}}, len(a[0]))


def code(wgsl: str, js: str, dim: int) -> Objective:
    """User WGSL + JavaScript (the JS source of `(x) => number`); needs `Client(allow_code=True)`."""
    if not isinstance(wgsl, str) or not isinstance(js, str):
        raise TypeError("wgsl, js: must both be strings (js: the source of a function (x) => number)")
    d = scalar(dim, "dim", integer=True, positive=True)
    return Objective({"wgsl": wgsl, "js": js, "dim": d}, int(d))
