import asyncio
import concurrent.futures
import math
import os
import signal
import sys
import threading
import time

import numpy as np
import pytest

import brox
from brox import _protocol as P
from conftest import BROX_JS, SERVER

BOWL = brox.expr("sum(i, (x[i] - 1)^2)", dim=3)
LONG = dict(samples=2**31, seed=1)  # minutes on one CPU thread: only ever cancelled


def test_info_names_backend_and_limits(client):
    info = client.info()
    assert info["backend"] == "cpu" and info["version"]
    assert info["limits"]["maxSamples"] >= 2**20
    assert client.server_info["backend"] == "cpu"


def test_brox_numpy_in_and_out(client):
    a = client.brox("rastrigin", np.full(4, 2.5, dtype=np.float32), np.float32(0.75), samples=np.int64(5000), seed=np.uint32(7))
    b = client.brox("rastrigin", [2.5] * 4, 0.75, samples=5000, seed=7)
    assert isinstance(a.x, np.ndarray) and a.x.dtype == np.float64 and a.x.shape == (4,)
    assert (a.index, a.fun) == (b.index, b.fun) and np.array_equal(a.x, b.x)
    assert a.improved and a.fun < a.funCenter and a.nfev == 5001
    assert np.isclose(client.evaluate("rastrigin", a.x[None, :])[0], a.fun)


def test_brox_offset_selects_an_index_range(client):
    whole = client.brox("rastrigin", [2.5] * 4, 0.75, samples=6000, seed=3)
    w = whole.index
    part = client.brox("rastrigin", [2.5] * 4, 0.75, samples=1000, offset=w - 500, seed=3)
    assert part.index == w and part.fun == whole.fun and np.array_equal(part.x, whole.x)
    rest = client.brox("rastrigin", [2.5] * 4, 0.75, samples=6000 - w - 1, offset=w + 1, seed=3)
    assert rest.index > w and rest.fun >= whole.fun


def test_expression_objective_defined_once_and_evaluated(client):
    pts = np.array([[1, 1, 1], [0, 0, 0], [2, -1, 1.5]], dtype=np.float32)
    v = client.evaluate(BOWL, pts)
    assert isinstance(v, np.ndarray) and np.allclose(v, ((pts.astype(float) - 1) ** 2).sum(1))
    client.evaluate(BOWL, pts)
    assert client.info()["objectives"].count(BOWL.name) == 1


def test_data_objective_least_squares(client):
    rng = np.random.default_rng(0)
    A = rng.normal(size=(20, 3))
    xs = np.array([0.5, -1.0, 2.0])
    obj = brox.data("least-squares", A, A @ xs)
    v = client.evaluate(obj, np.vstack([xs, np.zeros(3)]))
    assert v[0] == pytest.approx(0, abs=1e-9) and v[1] == pytest.approx(np.sum((A @ xs) ** 2))
    r = client.minimize(obj, np.zeros(3), method="cma-es", seed=2, max_evals=30000, bounds=(-5, 5))
    assert np.allclose(r.x, xs, atol=1e-2)


def test_code_objective_needs_allow_code(client):
    obj = brox.code("fn objective(x: ptr<function, array<f32, DIM>>) -> f32 { return abs((*x)[0]) + abs((*x)[1]); }",
                    "(x) => Math.abs(x[0]) + Math.abs(x[1])", dim=2)
    with pytest.raises(brox.BroxError, match="allow_code=True") as e:
        client.evaluate(obj, [[1, 2]])
    assert e.value.argument == "objective"
    with brox.Client(**SERVER, allow_code=True) as c:
        assert list(c.evaluate(obj, [[1, -2], [0.5, 0]])) == [3.0, 0.5]
    with pytest.raises(brox.BroxError, match="FORBIDDEN"):  # a server without --allow-code refuses it too
        client.define("raw", wgsl="fn objective(x: ptr<function, array<f32, DIM>>) -> f32 { return 0.0; }", js="(x) => 0", dim=1)


@pytest.mark.parametrize("method", ["bpm", "cma-es", "cem", "annealed", "random", "portfolio"])
def test_minimize_every_method_returns_optimize_result(client, method):
    from scipy.optimize import OptimizeResult
    r = client.minimize("sphere", np.array([1.5, -1.0]), method=method, seed=1, max_evals=20000, bounds=[(-3, 3), (-3, 3)])
    assert isinstance(r, OptimizeResult)
    assert r.method == method and r.backend == "cpu"  # the old example could not pass `method` at all
    assert isinstance(r.x, np.ndarray) and r.x.shape == (2,)
    assert r.fun < 0.05 and r.nfev <= 20000 and isinstance(r.success, bool) and r.message


def test_minimize_default_method_is_the_servers(client):
    r = client.minimize("sphere", [1.5, -1.0], seed=1, max_evals=20000)
    assert r.method == "portfolio" and r.fun < 1e-3


def test_minimize_options_reach_the_method(client):
    a = client.minimize("rastrigin", [2.0] * 3, method="cma-es", seed=4, max_evals=3000, popsize=8)
    b = client.minimize("rastrigin", [2.0] * 3, method="cma-es", seed=4, max_evals=3000, options={"popsize": 32})
    assert a.nfev != b.nfev or a.fun != b.fun
    with pytest.raises(brox.BroxError) as e:
        client.minimize("rastrigin", [2.0] * 3, method="cma-es", max_evals=3000, no_such_param=1)
    assert "noSuchParam" in str(e.value)


def test_minimize_x0_none_and_scipy_bounds(client):
    from scipy.optimize import Bounds
    r = client.minimize(BOWL, None, method="random", seed=1, max_evals=5000, bounds=Bounds(np.full(3, -2.0), np.full(3, 3.0)))
    assert r.x.shape == (3,) and r.fun < 1.5
    r = client.minimize("sphere", dim=5, method="random", seed=1, max_evals=2000)
    assert r.x.shape == (5,)


def test_minimize_runs_returns_every_run_and_the_best(client):
    from scipy.optimize import OptimizeResult
    r = client.minimize("rastrigin", dim=3, method="cma-es", seed=5, max_evals=3000, runs=np.int64(3))
    assert [q.seed for q in r.runs] == [5, 6, 7]
    assert all(isinstance(q, OptimizeResult) and isinstance(q.x, np.ndarray) and q.x.shape == (3,) for q in r.runs)
    assert all(q.nfev <= 3000 and "history" not in q for q in r.runs)
    assert r.fun == min(q.fun for q in r.runs) and np.array_equal(r.x, r.runs[r.best].x)
    assert r.nfev == sum(q.nfev for q in r.runs)
    alone = client.minimize("rastrigin", dim=3, method="cma-es", seed=7, max_evals=3000)
    assert np.array_equal(r.runs[2].x, alone.x) and r.runs[2].fun == alone.fun  # run 2 = seed 5 + 2 alone
    assert "runs" not in alone and "best" not in alone
    # the module-level function and the async client pass it through too
    assert len(brox.minimize("sphere", [1.0, 1.0], method="random", seed=1, max_evals=500, runs=2, client=client).runs) == 2


@pytest.mark.parametrize("bad,exc", [(0, ValueError), (1025, ValueError), (2.5, ValueError), (-1, ValueError), (float("nan"), ValueError),
                                     ("3", TypeError), (True, TypeError), (None, None)])
def test_minimize_bad_runs_refused_before_sending(client, bad, exc):
    if exc is None:  # None: the default, one run
        assert "runs" not in client.minimize("sphere", [1.0, 1.0], method="random", seed=1, max_evals=200, runs=bad)
        return
    with pytest.raises(exc, match=r"^runs: must be an integer in \[1, 1024\], got "):
        client.minimize("sphere", [1.0, 1.0], method="random", max_evals=200, runs=bad)


def test_minimize_runs_count_against_the_servers_sample_limit(client):
    # 4 runs of 2^31 evaluations: over the server's 2^32 per request though one run fits
    with pytest.raises(brox.BroxError) as e:
        client.minimize("sphere", [1.0, 1.0], method="random", max_evals=2**31, runs=4)
    assert (e.value.code, e.value.argument) == ("LIMIT", "maxEvals") and "runs: 4" in str(e.value)


def test_minimize_runs_async():
    async def main():
        async with brox.AsyncClient(**SERVER) as c:
            return await c.minimize("sphere", [1.0, 1.0], method="random", seed=3, max_evals=500, runs=3)
    r = asyncio.run(main())
    assert [q.seed for q in r.runs] == [3, 4, 5] and r.fun == r.runs[r.best].fun


def test_bpm(client):
    r = client.bpm(BOWL, [3, -2, 1], radius=1.5, radius_decay=0.8, radius_min=1e-5, samples=4096, seed=1, max_iter=60)
    assert r.fun < 1e-3 and np.allclose(r.x, 1, atol=0.05)


def test_module_level_functions_use_a_default_client():
    r = brox.minimize("sphere", [1.0, 1.0], method="random", seed=1, max_evals=2000)
    assert r.backend == "cpu" and r.fun < 0.1
    assert brox.brox("sphere", [1.0, 1.0], 0.5, samples=100).improved
    assert brox.default_client().argv[1] == str(BROX_JS)
    with pytest.raises(TypeError, match="client"):
        brox.minimize("sphere", [1.0], client="nope")


@pytest.mark.parametrize("name", ["topk", "moments"])
def test_topk_moments_served_or_a_clear_error(client, name):
    kwargs = {"k": 5} if name == "topk" else {"temperature": 1.0}
    try:
        r = getattr(client, name)("sphere", [1.0, 1.0], 0.5, samples=1000, seed=1, **kwargs)
    except brox.UnsupportedMethod as e:
        assert f"does not serve '{name}'" in str(e) and e.code == "METHOD_NOT_FOUND"
        assert isinstance(e, NotImplementedError)
        return
    if name == "topk":
        assert r.points.shape == (5, 2) and np.all(np.diff(r.values) >= 0)
    else:
        assert r.mean.shape == (2,)


def test_moments_offset_ranges_carry_sums(client):
    whole = client.moments("sphere", [1.0, 1.0], 0.5, temperature=1.0, samples=1000, seed=1)
    part = client.moments("sphere", [1.0, 1.0], 0.5, temperature=1.0, samples=600, offset=400, seed=1)
    assert "sums" not in whole and part["sums"]["offset"] == 400 and part["sums"]["samples"] == 600
    with pytest.raises(ValueError, match="offset"):
        client.moments("sphere", [1.0, 1.0], 0.5, temperature=1.0, samples=10, offset=1.5)


# -- errors ------------------------------------------------------------------------------------


def test_bad_inputs_name_the_argument(client):
    with pytest.raises(ValueError, match=r"x\[1\]: must be finite"):
        client.brox("sphere", np.array([1.0, np.nan]), 1.0)
    with pytest.raises(ValueError, match="t: must be > 0"):
        client.brox("sphere", [1.0], 0)
    with pytest.raises(TypeError, match="x: must be a vector"):
        client.brox("sphere", 3.0, 1.0)
    with pytest.raises(ValueError, match="x: must have 3 entries"):
        client.brox(BOWL, [1.0, 2.0], 1.0)
    with pytest.raises(ValueError, match="samples: must be an integer"):
        client.brox("sphere", [1.0], 1.0, samples=2.5)
    with pytest.raises(ValueError, match=r"bounds\[1\]: lo must be < hi"):
        client.minimize("sphere", [1.0, 1.0], bounds=[(-1, 1), (2, 1)])
    with pytest.raises(ValueError, match="bounds: needs one"):
        client.minimize("sphere", [1.0, 1.0], bounds=[(-1, 1)] * 3)
    with pytest.raises(TypeError, match="objective: brox evaluates objectives inside its server"):
        client.minimize(lambda x: x @ x, [1.0])
    with pytest.raises(TypeError, match="method: must be a string"):
        client.minimize("sphere", [1.0], method=3)
    with pytest.raises(ValueError, match=r"points\[0\]\[1\]: must be finite"):
        client.evaluate("sphere", [[1.0, math.inf]])


def test_server_errors_carry_code_and_argument(client):
    with pytest.raises(brox.BroxError) as e:
        client.brox("sphere", [1.0, 2.0], 1.0, ball="cube")
    assert e.value.code == "INVALID_ARGUMENT" and e.value.argument == "ball" and "brox:" in str(e.value)
    with pytest.raises(brox.BroxError, match="objective"):
        client.brox("no-such-objective", [1.0], 1.0)
    with pytest.raises(brox.BroxError, match="method"):
        client.minimize("sphere", [1.0], method="nelder-mead")
    assert client.info()["backend"] == "cpu"  # still serving


def test_raw_call_has_no_method_clash(client):
    r = client.call("minimize", {"objective": "sphere", "x0": np.ones(2), "method": "random", "maxEvals": 500})
    assert r["method"] == "random"
    with pytest.raises(brox.UnsupportedMethod):
        client.call("frobnicate")


# -- timeouts, cancel, concurrency ---------------------------------------------------------------


def test_timeout_cancels_the_work_on_the_server(client):
    t0 = time.monotonic()
    with pytest.raises(brox.Timeout) as e:
        client.brox("rastrigin", [1.0] * 8, 1.0, timeout=0.3, **LONG)
    assert isinstance(e.value, TimeoutError) and time.monotonic() - t0 < 5
    # answers come in request order: this one comes back fast only if the long call was aborted
    t1 = time.monotonic()
    assert client.info(timeout=20)["backend"] == "cpu"
    assert time.monotonic() - t1 < 10


def test_cancel_a_submitted_call(client):
    call = client.submit("brox", {"objective": "rastrigin", "x": [1.0] * 8, "t": 1.0, **LONG})
    time.sleep(0.2)
    assert not call.done()
    t0 = time.monotonic()
    assert call.cancel() is True
    with pytest.raises(brox.Cancelled) as e:
        call.result(timeout=20)
    assert e.value.code == "ABORTED" and time.monotonic() - t0 < 10
    assert call.cancel() is False  # already answered


def test_server_deadline_is_a_timeout():
    with brox.Client(**SERVER, args=["--timeout-ms", "200"]) as c:
        with pytest.raises(brox.Timeout, match="TIMEOUT"):
            c.brox("rastrigin", [1.0] * 8, 1.0, **LONG)


def test_pipelined_calls_from_threads_match_sequential(client):
    seeds = list(range(12))
    expect = [client.brox("rastrigin", [2.0] * 3, 0.5, samples=3000, seed=s).index for s in seeds]
    calls = [client.submit("brox", {"objective": "rastrigin", "x": [2.0] * 3, "t": 0.5, "samples": 3000, "seed": s}) for s in seeds]
    assert len({c.id for c in calls}) == len(calls)
    assert [c.result(30)["index"] for c in calls] == expect
    with concurrent.futures.ThreadPoolExecutor(4) as ex:
        got = list(ex.map(lambda s: client.brox("rastrigin", [2.0] * 3, 0.5, samples=3000, seed=s).index, seeds))
    assert got == expect


def test_asyncio_client():
    async def main():
        async with brox.AsyncClient(**SERVER) as c:
            assert (await c.info())["backend"] == "cpu"
            a, b = await asyncio.gather(c.brox("sphere", np.ones(3), 0.5, samples=2000, seed=1),
                                        c.minimize(BOWL, np.zeros(3), method="random", seed=1, max_evals=3000, bounds=(-3, 3)))
            assert a.improved and b.fun < 1.5
            with pytest.raises(brox.Timeout):
                await c.brox("rastrigin", [1.0] * 8, 1.0, timeout=0.3, **LONG)
            task = asyncio.ensure_future(c.brox("rastrigin", [1.0] * 8, 1.0, **LONG))
            await asyncio.sleep(0.2)
            task.cancel()  # cancels the server's work too: the next answer is not stuck behind it
            with pytest.raises(asyncio.CancelledError):
                await task
            t0 = time.monotonic()
            await asyncio.wait_for(c.info(), 20)
            assert time.monotonic() - t0 < 10
    asyncio.run(asyncio.wait_for(main(), 120))


# -- lifetime and starting ---------------------------------------------------------------------


def test_close_and_use_after_close():
    c = brox.Client(**SERVER)
    assert c.alive
    assert c.close() == 0 and not c.alive
    with pytest.raises(brox.ServerError, match="closed"):
        c.info()


def test_server_death_fails_pending_calls():
    with brox.Client(**SERVER) as c:
        call = c.submit("brox", {"objective": "rastrigin", "x": [1.0] * 8, "t": 1.0, **LONG})
        os.kill(c.pid, signal.SIGKILL)
        with pytest.raises(brox.ServerError, match="exited"):
            call.result(timeout=20)
        with pytest.raises(brox.ServerError):
            c.info()


def test_missing_brox_or_node_is_a_clear_error(tmp_path, monkeypatch):
    with pytest.raises(brox.ServerError, match="does not exist"):
        brox.Client(command=str(tmp_path / "nowhere" / "brox.js"))
    (tmp_path / "bin").mkdir()
    (tmp_path / "bin" / "brox.js").write_text("")
    with pytest.raises(brox.ServerError, match="dist/cli.js"):
        brox.Client(command=str(tmp_path))
    monkeypatch.setenv("BROX_NODE", str(tmp_path / "no-node"))
    with pytest.raises(brox.ServerError, match="BROX_NODE"):
        brox.Client(command=str(BROX_JS))
    monkeypatch.delenv("BROX_NODE")
    monkeypatch.setenv("PATH", str(tmp_path))  # neither node nor brox nor npx
    with pytest.raises(brox.ServerError, match="Node.js not found"):
        brox.Client(command=str(BROX_JS))
    with pytest.raises(brox.ServerError, match="not found"):
        brox.Client(command=["definitely-not-a-brox-binary"])


def test_a_server_that_exits_at_once_is_a_start_error():
    with pytest.raises(brox.ServerError, match="did not start") as e:
        brox.Client(command=[sys.executable, "-c", "import sys; print('boom', file=sys.stderr); sys.exit(3)"])
    assert "boom" in str(e.value) and "status 3" in str(e.value)
    with pytest.raises(ValueError, match="backend"):
        brox.Client(**{**SERVER, "backend": "tpu"})


def test_env_brox_bin_is_used(monkeypatch):
    monkeypatch.setenv("BROX_BIN", str(BROX_JS))
    with brox.Client(backend="cpu", threads=1) as c:
        assert c.argv[1] == str(BROX_JS)


# -- without scipy / numpy -----------------------------------------------------------------------


def test_without_scipy_a_dict_like_result(client, monkeypatch):
    monkeypatch.setitem(sys.modules, "scipy.optimize", None)
    r = client.minimize("sphere", [1.0, 1.0], method="random", seed=1, max_evals=500)
    assert type(r) is brox.Result and r.fun == r["fun"] and set(r) >= {"x", "fun", "nit", "nfev", "success", "status", "message"}


def test_without_numpy_lists(client, monkeypatch):
    monkeypatch.setattr(P, "_np", None)
    r = client.brox("sphere", [1.0, 1.0], 0.5, samples=100, seed=1)
    assert isinstance(r.x, list) and all(isinstance(v, float) for v in r.x)
    assert P.number("Infinity") == math.inf and math.isnan(P.number("NaN"))
    assert P.encode({"a": (1, 2.5)}, "p") == {"a": [1, 2.5]}


def test_found_in_node_modules_or_a_clear_not_found(tmp_path, monkeypatch):
    import shutil
    from brox import _launch
    from conftest import REPO
    monkeypatch.setattr(_launch, "_checkout", lambda: None)  # as if installed from PyPI, not in this repo
    monkeypatch.delenv("BROX_BIN", raising=False)
    nodedir = tmp_path / "nodebin"
    nodedir.mkdir()
    (nodedir / "node").symlink_to(shutil.which("node"))
    monkeypatch.setenv("PATH", str(nodedir))  # node, but no brox and no npx
    monkeypatch.chdir(tmp_path)
    with pytest.raises(brox.ServerError, match="brox not found: install it"):
        brox.Client(backend="cpu")
    (tmp_path / "node_modules").mkdir()
    (tmp_path / "node_modules" / "brox").symlink_to(REPO)  # npm install brox
    (tmp_path / "sub").mkdir()
    monkeypatch.chdir(tmp_path / "sub")
    with brox.Client(backend="cpu", threads=1) as c:
        assert c.argv[1] == str(tmp_path / "node_modules" / "brox" / "bin" / "brox.js")
        assert c.info()["backend"] == "cpu"


def test_error_answers_brox_and_json_rpc_styles():
    e = P.error_from_answer({"code": "INVALID_ARGUMENT", "message": "x: bad", "argument": "x"}, "brox")
    assert type(e) is brox.BroxError and (e.code, e.argument, str(e)) == ("INVALID_ARGUMENT", "x", "brox: INVALID_ARGUMENT: x: bad")
    e = P.error_from_answer({"code": -32601, "message": "Method not found"}, "topk")
    assert isinstance(e, brox.UnsupportedMethod) and "topk" in str(e)
    e = P.error_from_answer({"code": -32000, "message": "aborted", "data": {"code": "ABORTED"}}, "brox")
    assert isinstance(e, brox.Cancelled)
    e = P.error_from_answer({"code": -32602, "message": "t: must be > 0", "data": {"argument": "t"}}, "brox")
    assert (e.code, e.argument) == ("INVALID_ARGUMENT", "t")
    assert isinstance(P.error_from_answer("garbage", "brox"), brox.ServerError)


def test_concurrent_first_uses_define_once():
    obj = brox.expr("sum(i, abs(x[i] - 0.25))", dim=2)
    with brox.Client(**SERVER) as c:
        sent = []
        submit = c.submit
        c.submit = lambda method, params=None: (sent.append(method), time.sleep(0.01), submit(method, params))[-1]
        start = threading.Barrier(8)
        def first_use(i):
            start.wait()  # all eight threads reach the undefined objective together
            return c.evaluate(obj, [[0.25, 0.25 + i]])[0]
        with concurrent.futures.ThreadPoolExecutor(8) as ex:
            vals = list(ex.map(first_use, range(8)))
        assert vals == [float(i) for i in range(8)]
        assert sent.count("define") == 1 and sent.count("evaluate") == 8


def test_topk_ranges_merge_to_the_whole(client):
    # samples [0, 600) and [600, 1200) merged by (value, index) are the top-k of [0, 1200)
    whole = client.topk("rastrigin", [1.0, -0.5, 0.25], 0.8, k=20, samples=1200, seed=4)
    a = client.topk("rastrigin", [1.0, -0.5, 0.25], 0.8, k=20, samples=600, seed=4)
    b = client.topk("rastrigin", [1.0, -0.5, 0.25], 0.8, k=20, samples=600, offset=600, seed=4)
    assert all(600 <= i < 1200 for i in b["indices"])
    pairs = sorted(zip(list(a.values) + list(b.values), list(a["indices"]) + list(b["indices"])))[:20]
    assert [i for _, i in pairs] == list(whole["indices"])
    with pytest.raises(ValueError, match="offset: must be an integer"):
        client.topk("rastrigin", [1.0, -0.5, 0.25], 0.8, offset=1.5)


def test_undefine_frees_a_place_and_the_next_use_defines_again():
    obj = brox.expr("sum(i, (x[i] + 2)^2)", dim=2)
    with brox.Client(**SERVER, args=["--max-defined", "1"]) as c:
        assert c.evaluate(obj, [[-2.0, -2.0]])[0] == 0.0
        with pytest.raises(brox.BroxError) as e:
            c.define("other", expr="x[0]", dim=1)
        assert (e.value.code, e.value.argument) == ("LIMIT", "name")
        assert c.undefine(obj) == {"name": obj.name, "dim": 2}
        assert obj.name not in c.info()["objectives"]
        assert c.evaluate(obj, [[-1.0, -2.0]])[0] == 1.0  # defined again on use
        with pytest.raises(brox.BroxError) as e:
            c.undefine("never-defined")
        assert (e.value.code, e.value.argument) == ("INVALID_ARGUMENT", "name")
