"""brox.dask on a LocalCluster of 2 worker processes: sharded == unsharded, exactly; a killed worker changes nothing."""
import logging
import os
import signal
import time

import numpy as np
import pytest

distributed = pytest.importorskip("distributed")  # CI installs python3-distributed; see .ci/run
import brox
import brox.dask as bd
from conftest import SERVER

PLATEAU = brox.expr("floor(4 * (x[0]^2 + x[1]^2))", dim=2)  # integer values: many exact ties


@pytest.fixture(scope="module")
def dc():
    logging.getLogger("distributed").setLevel(logging.ERROR)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0") as lc:
        with distributed.Client(lc) as c:
            yield c


def same(a, b):
    assert (a.index, a.fun, a.funCenter, a.improved) == (b.index, b.fun, b.funCenter, b.improved)
    assert np.array_equal(a.x, b.x)  # bit for bit: the winner is re-created from its index
    assert a.nfev == b.nfev


@pytest.mark.parametrize("case", [
    dict(objective="rastrigin", x=[2.5] * 4, t=1.0, samples=200_000, seed=3),
    dict(objective="rastrigin", x=[2.5] * 4, t=1.0, samples=200_001, seed=3, offset=12_345, n_shards=7),
    dict(objective="ackley", x=[0.3] * 6, t=0.5, samples=100_000, seed=9, ball="linf", bounds=(-0.5, 0.5), n_shards=3),
    dict(objective=PLATEAU, x=[1.0, 1.0], t=1.0, samples=50_000, seed=1, n_shards=13),
    dict(objective="levy", x=[1.2] * 40, t=0.3, samples=60_000, seed=4, generator="lean", n_shards=5),
    dict(objective="sphere", x=[0.0, 0.0], t=1.0, samples=10_000, seed=2),  # nothing beats the centre
])
def test_sharded_equals_one_call(dc, client, case):
    case = dict(case)
    n_shards = case.pop("n_shards", None)
    whole = client.brox(case["objective"], case["x"], case["t"], **{k: v for k, v in case.items() if k not in ("objective", "x", "t")})
    sharded = bd.brox(dc, case.pop("objective"), case.pop("x"), case.pop("t"), server=SERVER, n_shards=n_shards, **case)
    same(sharded, whole)
    assert sharded.shards == (n_shards or 8)


@pytest.mark.parametrize("case", [
    dict(objective="rastrigin", x=[2.5] * 4, t=1.0, k=16, samples=100_001, seed=3, offset=777, n_shards=7),
    dict(objective=PLATEAU, x=[1.0, 1.0], t=1.0, k=40, samples=20_000, seed=1, n_shards=5),  # ties: lowest indices first
])
def test_sharded_topk_equals_one_call(dc, client, case):
    case = dict(case)
    n_shards = case.pop("n_shards")
    r = bd.topk(dc, **case, n_shards=n_shards, server=SERVER)
    objective, x, t = case.pop("objective"), case.pop("x"), case.pop("t")
    one = client.topk(objective, x, t, **case)
    assert r.shards == n_shards and r.nfev == one.nfev
    assert list(r.indices) == list(one.indices)
    assert np.array_equal(np.asarray(r.values), np.asarray(one.values))
    assert np.array_equal(np.asarray(r.points), np.asarray(one.points))


def test_ties_go_to_the_lowest_index(dc, client):
    # the plateau's best value is reached by many samples: the winner is the first of them
    whole = client.brox(PLATEAU, [1.0, 1.0], 1.0, samples=20_000, seed=1)
    later = client.brox(PLATEAU, [1.0, 1.0], 1.0, samples=20_000 - whole.index - 1, offset=whole.index + 1, seed=1)
    assert later.fun == whole.fun and later.index > whole.index  # a tie exists after the winner
    r = bd.brox(dc, PLATEAU, [1.0, 1.0], 1.0, samples=20_000, seed=1, server=SERVER, n_shards=20)
    assert (r.index, r.fun) == (whole.index, whole.fun)


def test_merge_rule():
    def r(fun, index, improved=True):
        return {"x": [float(index)], "fun": fun, "funCenter": 5.0, "index": index, "improved": improved, "nfev": 11, "ms": 1.0, "backend": "cpu"}
    m = bd.merge([r(1.0, 30), r(0.5, 20), r(0.5, 10), r(2.0, 0)])
    assert (m.index, m.fun, list(m.x), m.nfev, m.shards) == (10, 0.5, [10.0], 41, 4)
    m = bd.merge([r(5.0, -1, False), r(5.0, -1, False)])
    assert (m.index, m.improved, m.fun) == (-1, False, 5.0)
    with pytest.raises(ValueError, match="results"):
        bd.merge([])


def test_shards_cover_the_range_once():
    s = bd.shards(10, 3, offset=5)
    assert s == [(5, 4), (9, 3), (12, 3)]
    big = bd.shards(3 * 2**32 + 1, 2)
    assert len(big) == 4 and all(n <= 2**32 for _, n in big) and sum(n for _, n in big) == 3 * 2**32 + 1
    assert all(o + n == big[i + 1][0] for i, (o, n) in enumerate(big[:-1]))
    assert bd.shards(3, 10) == [(0, 1), (1, 1), (2, 1)]
    with pytest.raises(ValueError, match="2\\^53"):
        bd.shards(2**53, 2)


def test_bad_sharded_calls_name_the_argument(dc):
    with pytest.raises(ValueError, match="rounds"):
        bd.brox(dc, "sphere", [1.0], 1.0, samples=100, rounds=3, server=SERVER)
    with pytest.raises(TypeError, match="max_evals"):
        bd.brox(dc, "sphere", [1.0], 1.0, samples=100, max_evals=3, server=SERVER)
    with pytest.raises(ValueError, match="samples"):
        bd.brox(dc, "sphere", [1.0], 1.0, samples=0, server=SERVER)
    with pytest.raises(brox.BroxError, match="objective"):  # a worker's server error comes back to the caller
        bd.brox(dc, "no-such-objective", [1.0], 1.0, samples=100, server=SERVER, retries=0)


def test_one_long_lived_server_per_worker(dc):
    a = [f.result() for f in bd.submit_brox(dc, "sphere", [1.0] * 3, 0.5, samples=8000, server=SERVER, seed=1)]
    b = [f.result() for f in bd.submit_brox(dc, "sphere", [1.0] * 3, 0.5, samples=8000, server=SERVER, seed=2)]
    servers = {}
    for r in a + b:
        servers.setdefault(r["worker_pid"], set()).add(r["server_pid"])
    assert all(len(s) == 1 for s in servers.values()), servers
    counts = dc.run(lambda: len(__import__("brox.dask").dask._servers))
    assert all(n <= 1 for n in counts.values()), counts


def test_map_minimize_gathers_every_run(dc, client):
    runs = [dict(objective="rastrigin", x0=[2.0] * 3, method=m, seed=s, max_evals=4000)
            for m in ("cma-es", "random") for s in (1, 2, 3)]
    got = dict(bd.map_minimize(dc, runs, server=SERVER))
    assert sorted(got) == list(range(len(runs)))
    for i, run in enumerate(runs):
        run = dict(run)
        local = client.minimize(run.pop("objective"), **run)
        assert (got[i].fun, list(got[i].x), got[i].method) == (local.fun, list(local.x), local.method)
    with pytest.raises(ValueError, match=r"runs\[1\]"):
        list(bd.map_minimize(dc, [runs[0], {"x0": [1.0]}]))


def test_killed_worker_same_answer(dc, client):
    case = dict(samples=16 * 200_000, seed=5)
    whole = client.brox("rastrigin", [2.5] * 4, 1.0, **case)
    futures = bd.submit_brox(dc, "rastrigin", [2.5] * 4, 1.0, server=SERVER, n_shards=16, **case)
    distributed.wait(futures, return_when="FIRST_COMPLETED")
    busy = [addr for addr, keys in dc.processing().items() if keys]
    assert busy, "no worker was busy: the shards are too small for this test"
    victim = busy[0]
    pid = dc.run(os.getpid, workers=[victim])[victim]
    os.kill(pid, signal.SIGKILL)
    sharded = bd.merge(dc.gather(futures), case["samples"])
    same(sharded, whole)
    assert victim not in dc.scheduler_info()["workers"]  # it really died; Dask re-ran its shards
