#!/usr/bin/env python3
"""scipy peers for `npm run bench:quality`: dual_annealing and differential_evolution on the
cases brox runs (same objectives, starts, bounds, budgets and shifted-rotated variants).

Side-by-side only: numpy/scipy are never a runtime dependency of brox. The bench starts this
script as a child process with the runs as JSON on stdin:

  {"methods": ["dual_annealing", "differential_evolution"],
   "runs": [{"id": 0, "function": "rastrigin", "d": 5, "lo": -5.12, "hi": 5.12,
             "x0": [...], "budget": 1048576, "seed": 3, "target": 0.001,
             "transform": null | {"R": [d*d, row-major], "c": [d], "zStar": [d],
                                  "outside": "free" | "clamp", "lo": .., "hi": ..}}]}

and reads {"scipy": version, "numpy": version, "results": [{"id", "method", "x", "fun", "nfev",
"evalsToSuccess", "status", "ms", "error"?}]} from stdout (progress goes to stderr).
The variants' R, c and z* come from brox (src/objectives/transform.ts): this file never
re-derives them, it only evaluates f(z* + R (x - c)) (with the clamp rule when asked) in float64.

Every evaluation goes through a counter: a run stops at the first evaluation within the target
(evalsToSuccess = that count) or when the budget is spent; otherwise the method stops on its own
default criteria (maxiter 1000, tol), whichever comes first. Both get x0 and the seed.

  python3 bench/peers/quality_scipy.py < runs.json > results.json
  python3 bench/peers/quality_scipy.py --eval < jobs.json     # values only (twin check)
  python3 bench/peers/quality_scipy.py --version              # exit 0 iff numpy+scipy import
"""
import json
import math
import sys
import time
import warnings

import numpy as np


# ---- the built-ins (float64 twins of src/objectives/builtin/*.ts) ----
def rastrigin(x):
    return 10.0 * x.size + float(np.sum(x * x - 10.0 * np.cos(2.0 * np.pi * x)))


def ackley(x):
    n = x.size
    return -20.0 * math.exp(-0.2 * math.sqrt(float(np.sum(x * x)) / n)) - math.exp(float(np.sum(np.cos(2.0 * np.pi * x))) / n) + 20.0 + math.e


def griewank(x):
    i = np.arange(1, x.size + 1, dtype=np.float64)
    return float(np.sum(x * x)) / 4000.0 - float(np.prod(np.cos(x / np.sqrt(i)))) + 1.0


def levy(x):
    w = 1.0 + (x - 1.0) / 4.0
    s = math.sin(math.pi * w[0]) ** 2
    wi = w[:-1]
    s += float(np.sum((wi - 1.0) ** 2 * (1.0 + 10.0 * np.sin(np.pi * wi + 1.0) ** 2)))
    wd = w[-1]
    return s + (wd - 1.0) ** 2 * (1.0 + math.sin(2.0 * math.pi * wd) ** 2)


def schwefel(x):
    return 418.9829 * x.size - float(np.sum(x * np.sin(np.sqrt(np.abs(x)))))


def rosenbrock(x):
    return float(np.sum(100.0 * (x[1:] - x[:-1] ** 2) ** 2 + (x[:-1] - 1.0) ** 2))


def styblinski_tang(x):
    return 0.5 * float(np.sum(x ** 4 - 16.0 * x ** 2 + 5.0 * x))


def michalewicz(x):
    i = np.arange(1, x.size + 1, dtype=np.float64)
    return -float(np.sum(np.sin(x) * np.sin(i * x * x / np.pi) ** 20))


def sphere(x):
    return float(np.sum(x * x))


def wavy_bowl(x):
    return float(np.sum(x * x + 10.0 * np.sin(np.pi * x) ** 2))


def twin_wells(x):
    return min(float(np.sum((x + 2.0) ** 2)), float(np.sum((x - 3.0) ** 2)))


FUNCTIONS = {
    "rastrigin": rastrigin,
    "ackley": ackley,
    "griewank": griewank,
    "levy": levy,
    "schwefel": schwefel,
    "rosenbrock": rosenbrock,
    "styblinski-tang": styblinski_tang,
    "michalewicz": michalewicz,
    "sphere": sphere,
    "wavy-bowl": wavy_bowl,
    "twin-wells": twin_wells,
}


def objective(name, d, transform):
    """f, or its shifted-rotated variant from brox's data (see src/objectives/transform.ts)."""
    f = FUNCTIONS[name]
    if not transform:
        return f
    R = np.asarray(transform["R"], dtype=np.float64).reshape(d, d)
    c = np.asarray(transform["c"], dtype=np.float64)
    zs = np.asarray(transform["zStar"], dtype=np.float64)
    clamp = transform["outside"] == "clamp"
    lo, hi = float(transform["lo"]), float(transform["hi"])

    def variant(x):
        z = zs + R @ (np.asarray(x, dtype=np.float64) - c)
        if not clamp:
            return f(z)
        zc = np.clip(z, lo, hi)
        return f(zc) + float(np.sum((z - zc) ** 2))

    return variant


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


def run_one(method, run):
    from scipy.optimize import differential_evolution, dual_annealing

    d = run["d"]
    f = objective(run["function"], d, run.get("transform"))
    budget, target = int(run["budget"]), float(run["target"])
    st = {"n": 0, "best": math.inf, "x": None, "hit": None, "why": None}

    def counted(x):
        if st["n"] >= budget:
            st["why"] = "max-evals"
            raise Stop()
        st["n"] += 1
        v = f(x)
        if v < st["best"]:
            st["best"], st["x"] = v, np.array(x, dtype=np.float64)
        if v <= target:
            st["hit"] = st["n"]
            st["why"] = "target"
            raise Stop()
        return v

    bounds = [(run["lo"], run["hi"])] * d
    x0 = np.asarray(run["x0"], dtype=np.float64)
    t0 = time.perf_counter()
    status = "converged"
    error = None
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
    ms = (time.perf_counter() - t0) * 1e3
    out = {
        "id": run["id"],
        "method": method,
        "x": None if st["x"] is None else [float(v) for v in st["x"]],
        "fun": None if st["x"] is None else float(st["best"]),
        "nfev": st["n"],
        "evalsToSuccess": st["hit"],
        "status": status,
        "ms": ms,
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
        # [{"function", "d", "transform", "points": [[...]]}, ...] -> [[values], ...]
        out = []
        for job in req:
            f = objective(job["function"], job["d"], job.get("transform"))
            out.append([f(np.asarray(p, dtype=np.float64)) for p in job["points"]])
        print(json.dumps(out))
        return
    import scipy

    methods = req.get("methods") or ["dual_annealing", "differential_evolution"]
    runs = req["runs"]
    results = []
    total = len(runs) * len(methods)
    for k, run in enumerate(runs):
        for m in methods:
            results.append(run_one(m, run))
            done = len(results)
            if done % 10 == 0 or done == total:
                print(f"scipy: {done}/{total} runs", file=sys.stderr, flush=True)
    json.dump({"scipy": scipy.__version__, "numpy": np.__version__, "results": results}, sys.stdout)


if __name__ == "__main__":
    main()
