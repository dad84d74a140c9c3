#!/usr/bin/env python3
"""scipy peers for `npm run bench:bbob`: differential_evolution and dual_annealing on brox's BBOB
instances (src/objectives/bbob/; definitions: Hansen, Finck, Ros, Auger, "Real-Parameter Black-Box
Optimization Benchmarking 2009: Noiseless Functions Definitions", INRIA RR-6829).

The instance data (x_opt, R, Q and the extras, float32 values) comes from brox in the JSON: this
file never re-derives it, it only evaluates the 24 functions in float64 from that data, with the
same formulas (and the same cancellation-free rewrites) as brox's JS twins. Side-by-side only:
numpy/scipy are never a runtime dependency of brox.

  stdin:  {"methods": [...], "targets": [1e1, ..., 1e-8],
           "runs": [{"id", "fid", "d", "instance", "x0", "budget", "seed",
                     "data": {"xopt": [d], "R": [d*d] | null, "Q": [d*d] | null, "ex": [...]}}]}
  stdout: {"scipy", "numpy", "results": [{"id", "method", "x", "fun", "nfev", "hits", "status", "ms", "error"?}]}

hits[k] is the number of evaluations after which the best value so far was <= targets[k] (null if
never). A run stops at the last target, at its budget (every evaluation goes through a counter),
or on the method's own criteria, whichever comes first.

  python3 bench/peers/bbob_scipy.py < runs.json > results.json
  python3 bench/peers/bbob_scipy.py --eval < jobs.json   # [{"fid","d","data","points"}] -> values (twin check)
  python3 bench/peers/bbob_scipy.py --version
"""
import json
import math
import sys
import time
import warnings

import numpy as np


def tosz(v):
    """T_osz, elementwise [RR-6829]."""
    v = np.asarray(v, dtype=np.float64)
    out = np.zeros_like(v)
    nz = v != 0
    h = np.log(np.abs(v[nz]))
    pos = v[nz] > 0
    c1 = np.where(pos, 10.0, 5.5)
    c2 = np.where(pos, 7.9, 3.1)
    out[nz] = np.sign(v[nz]) * np.exp(h + 0.049 * (np.sin(c1 * h) + np.sin(c2 * h)))
    return out


def tasy(v, beta):
    d = v.size
    i = np.arange(d, dtype=np.float64)
    out = v.copy()
    p = v > 0
    out[p] = v[p] ** (1.0 + beta * i[p] / (d - 1) * np.sqrt(v[p]))
    return out


def lam(alpha, d):
    return alpha ** (0.5 * np.arange(d, dtype=np.float64) / (d - 1))


def pen(x):
    t = np.abs(x) - 5.0
    return float(np.sum(np.where(t > 0, t * t, 0.0)))


def rast_osc(z):
    r = z - np.round(z)
    s = np.sin(np.pi * r)
    return float(np.sum(2.0 * s * s))


def rosen_u(u):
    t = 2.0 * u[:-1] + u[:-1] * u[:-1] - u[1:]
    return float(np.sum(100.0 * t * t + u[:-1] * u[:-1]))


def make(fid, d, data):
    """The float64 twin of BBOB function fid for brox's instance data."""
    xo = np.asarray(data["xopt"], dtype=np.float64)
    R = None if data.get("R") is None else np.asarray(data["R"], dtype=np.float64).reshape(d, d)
    Q = None if data.get("Q") is None else np.asarray(data["Q"], dtype=np.float64).reshape(d, d)
    ex = np.asarray(data.get("ex") or [], dtype=np.float64)
    i = np.arange(d, dtype=np.float64)
    p6 = 10.0 ** (6.0 * i / (d - 1))
    p2 = 10.0 ** (2.0 * i / (d - 1))
    p1 = 10.0 ** (i / (d - 1))
    l10, l100, l1000, l001 = lam(10.0, d), lam(100.0, d), lam(1000.0, d), lam(0.01, d)
    c_ros = max(1.0, math.sqrt(d) / 8.0)
    sgn = np.sign(xo)

    if fid == 1:
        return lambda x: float(np.sum((x - xo) ** 2))
    if fid == 2:
        return lambda x: float(np.sum(p6 * tosz(x - xo) ** 2))
    if fid == 3:
        def f3(x):
            z = l10 * tasy(tosz(x - xo), 0.2)
            return 10.0 * rast_osc(z) + float(z @ z)
        return f3
    if fid == 4:
        def f4(x):
            t = tosz(x - xo)
            odd = (np.arange(d) % 2) == 0
            z = np.where((t > 0) & odd, 10.0, 1.0) * l10 * t
            return 10.0 * rast_osc(z) + float(z @ z) + 100.0 * pen(x)
        return f4
    if fid == 5:
        s = sgn * p1

        def f5(x):
            z = np.where(xo * x < 25.0, x, xo)
            return float(np.sum(5.0 * np.abs(s) - s * z))
        return f5
    if fid == 6:
        def f6(x):
            z = Q @ (l10 * (R @ (x - xo)))
            v = np.where(z * xo > 0, 100.0, 1.0) * z
            return float(tosz(np.array([float(v @ v)]))[0] ** 0.9)
        return f6
    if fid == 7:
        def f7(x):
            zh = l10 * (R @ (x - xo))
            zt = np.where(np.abs(zh) > 0.5, np.floor(0.5 + zh), np.floor(0.5 + 10.0 * zh) / 10.0)
            z = Q @ zt
            return 0.1 * max(abs(zh[0]) / 1e4, float(np.sum(p2 * z * z))) + pen(x)
        return f7
    if fid == 8:
        return lambda x: rosen_u(c_ros * (x - xo))
    if fid == 9:
        return lambda x: rosen_u(c_ros * (R @ (x - xo)))
    if fid == 10:
        return lambda x: float(np.sum(p6 * tosz(R @ (x - xo)) ** 2))
    if fid == 11:
        def f11(x):
            z = tosz(R @ (x - xo))
            return 1e6 * z[0] ** 2 + float(np.sum(z[1:] ** 2))
        return f11
    if fid == 12:
        def f12(x):
            z = R @ tasy(R @ (x - xo), 0.5)
            return z[0] ** 2 + 1e6 * float(np.sum(z[1:] ** 2))
        return f12
    if fid == 13:
        def f13(x):
            z = Q @ (l10 * (R @ (x - xo)))
            return z[0] ** 2 + 100.0 * math.sqrt(float(np.sum(z[1:] ** 2)))
        return f13
    if fid == 14:
        e = 2.0 + 4.0 * i / (d - 1)
        return lambda x: math.sqrt(float(np.sum(np.abs(R @ (x - xo)) ** e)))
    if fid == 15:
        def f15(x):
            z = R @ (l10 * (Q @ tasy(tosz(R @ (x - xo)), 0.2)))
            return 10.0 * rast_osc(z) + float(z @ z)
        return f15
    if fid == 16:
        p3 = 3.0 ** np.arange(12)
        h2 = 2.0 ** (1 - np.arange(12))

        def f16(x):
            z = R @ (l001 * (Q @ tosz(R @ (x - xo))))
            t = np.outer(z, p3)
            sn = np.sin(np.pi * (t - np.round(t)))
            s = float(np.sum(h2 * sn * sn))
            return 10.0 * (s / d) ** 3 + (10.0 / d) * pen(x)
        return f16
    if fid in (17, 18):
        lm = l10 if fid == 17 else l1000

        def f17(x):
            z = lm * (Q @ tasy(R @ (x - xo), 0.5))
            s = np.sqrt(z[:-1] ** 2 + z[1:] ** 2)
            r = np.sqrt(s)
            sn = np.sin(50.0 * s ** 0.2)
            return (float(np.sum(r + r * sn * sn)) / (d - 1)) ** 2 + 10.0 * pen(x)
        return f17
    if fid == 19:
        def f19(x):
            u = c_ros * (R @ (x - xo))
            t = 2.0 * u[:-1] + u[:-1] * u[:-1] - u[1:]
            s = 100.0 * t * t + u[:-1] * u[:-1]
            sn = np.sin(s / 2.0)
            return 10.0 / (d - 1) * float(np.sum(s / 4000.0 + 2.0 * sn * sn))
        return f19
    if fid == 20:
        o = 2.0 * np.abs(xo)

        def f20(x):
            xh = 2.0 * sgn * x
            zh = xh.copy()
            zh[1:] = xh[1:] + 0.25 * (xh[:-1] - o[:-1])
            z = 100.0 * (l10 * (zh - o) + o)
            s = float(np.sum(z * np.sin(np.sqrt(np.abs(z)))))
            t = np.abs(z / 100.0) - 5.0
            return -s / (100.0 * d) + 4.189828872724339 + 100.0 * float(np.sum(np.where(t > 0, t * t, 0.0)))
        return f20
    if fid in (21, 22):
        n = 101 if fid == 21 else 21
        w = ex[:n]
        C = ex[n:n + n * d].reshape(n, d)
        P = ex[n + n * d:n + 2 * n * d].reshape(n, d)

        def fg(x):
            z = R @ x
            a = np.sum(C * (z - P) ** 2, axis=1) / (2.0 * d)
            best = float(np.max(w[1:] * np.exp(-a[1:])))
            g = -10.0 * math.expm1(-a[0]) if 10.0 * math.exp(-a[0]) >= best else 10.0 - best
            return float(tosz(np.array([g]))[0] ** 2) + pen(x)
        return fg
    if fid == 23:
        pj = 2.0 ** np.arange(1, 33)
        e = 10.0 / d ** 1.2

        def f23(x):
            z = Q @ (l100 * (R @ (x - xo)))
            v = np.outer(z, pj)
            t = np.sum(np.abs(v - np.round(v)) / pj, axis=1)
            return 10.0 / (d * d) * math.expm1(float(np.sum(e * np.log1p((i + 1.0) * t)))) + pen(x)
        return f23
    if fid == 24:
        s = 1.0 - 1.0 / (2.0 * math.sqrt(d + 20.0) - 8.2)
        mu1 = -math.sqrt((2.5 * 2.5 - 1.0) / s)

        def f24(x):
            xh = 2.0 * sgn * x
            u = xh - 2.5
            z = Q @ (l100 * (R @ u))
            return min(float(u @ u), d + s * float(np.sum((xh - mu1) ** 2))) + 10.0 * rast_osc(z) + 1e4 * pen(x)
        return f24
    raise ValueError(f"unknown BBOB function {fid}")


class Stop(Exception):
    pass


def with_seed(fn, seed, **kw):
    """scipy >= 1.15 takes rng=, older versions seed=."""
    try:
        return fn(rng=np.random.default_rng(seed), **kw)
    except TypeError as e:
        if "rng" not in str(e):
            raise
        return fn(seed=seed, **kw)


def run_one(method, run, targets):
    from scipy.optimize import differential_evolution, dual_annealing

    d = run["d"]
    f = make(run["fid"], d, run["data"])
    budget = int(run["budget"])
    hits = [None] * len(targets)
    st = {"n": 0, "best": math.inf, "x": None, "k": 0, "why": None}  # k: next target index to hit

    def counted(x):
        if st["n"] >= budget:
            st["why"] = "max-evals"
            raise Stop()
        st["n"] += 1
        x = np.asarray(x, dtype=np.float64)
        v = f(x)
        if v < st["best"]:
            st["best"], st["x"] = v, x.copy()
            while st["k"] < len(targets) and v <= targets[st["k"]]:
                hits[st["k"]] = st["n"]
                st["k"] += 1
            if st["k"] == len(targets):
                st["why"] = "target"
                raise Stop()
        return v

    bounds = [(-5.0, 5.0)] * d
    x0 = np.asarray(run["x0"], dtype=np.float64)
    t0 = time.perf_counter()
    status, error = "converged", None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            if method == "dual_annealing":
                res = with_seed(dual_annealing, run["seed"], func=counted, bounds=bounds, maxfun=budget, x0=x0)
            elif method == "differential_evolution":
                res = with_seed(differential_evolution, run["seed"], func=counted, bounds=bounds, x0=x0)
            else:
                raise ValueError(f"unknown method {method}")
        status = "converged" if res.success else f"stopped: {res.message}"
    except Stop:
        status = st["why"]
    except Exception as e:  # recorded, counted as a failure by the bench
        status, error = "error", f"{type(e).__name__}: {e}"
    out = {
        "id": run["id"],
        "method": method,
        "x": None if st["x"] is None else [float(v) for v in st["x"]],
        "fun": None if st["x"] is None else float(st["best"]),
        "nfev": st["n"],
        "hits": hits,
        "status": status,
        "ms": (time.perf_counter() - t0) * 1e3,
    }
    if error:
        out["error"] = error
    return out


def main():
    if "--version" in sys.argv:
        import scipy

        print(json.dumps({"scipy": scipy.__version__, "numpy": np.__version__}))
        return
    req = json.load(sys.stdin)
    if "--eval" in sys.argv:
        out = []
        for job in req:
            f = make(job["fid"], job["d"], job["data"])
            out.append([f(np.asarray(p, dtype=np.float64)) for p in job["points"]])
        print(json.dumps(out))
        return
    import scipy

    methods = req.get("methods") or ["differential_evolution", "dual_annealing"]
    targets = [float(t) for t in req["targets"]]
    runs = req["runs"]
    results = []
    total = len(runs) * len(methods)
    for run in runs:
        for m in methods:
            r = run_one(m, run, targets)
            results.append(r)
            print(f"scipy: {len(results)}/{total} f{run['fid']} i{run['instance']} d={run['d']} {m}: "
                  f"best {'none' if r['fun'] is None else format(r['fun'], '.2e')} nfev {r['nfev']} ({r['ms'] / 1e3:.1f} s)", file=sys.stderr, flush=True)
    json.dump({"scipy": scipy.__version__, "numpy": np.__version__, "results": results}, sys.stdout)


if __name__ == "__main__":
    main()
