"""`Client` (threads) and `AsyncClient` (asyncio) over one `brox serve` process.

Requests carry increasing integer ids and are written as soon as they are made (pipelined); a
reader thread hands each answer to the `Call` (a concurrent.futures.Future) of its id. The server
runs requests concurrently and answers in request order; `cancel` aborts a running request.
"""
from __future__ import annotations

import asyncio
import collections
import concurrent.futures
import itertools
import json
import os
import subprocess
import threading
import time
from typing import Any, Callable, Generator, Iterable, Mapping, Sequence

from . import _protocol as P
from ._launch import server_command
from ._protocol import BroxError, Cancelled, Objective, ServerError, Timeout, UnsupportedMethod

_STDERR_LINES = 40


class Call(concurrent.futures.Future):
    """One pending request (a concurrent.futures.Future of its raw JSON result).

    `cancel()` asks the server to abort it; the call then ends with `brox.Cancelled` (it does not
    switch to the Future's local 'cancelled' state, so `result()` tells what the server did).
    """

    def __init__(self, client: "Client", id: int, method: str):
        super().__init__()
        self.id = id
        self.method = method
        self._client = client

    def cancel(self) -> bool:  # noqa: D401 - Future API
        if self.done():
            return False
        self._client.cancel(self)
        return True


# A plan is a generator that yields (method, params) requests and receives their raw results; the
# sync and async drivers run the same plans, so both clients share every method's checks.
Plan = Generator[tuple, Any, Any]


def _drop_none(d: Mapping) -> dict:
    return {k: v for k, v in d.items() if v is not None}


class _Api:
    """The methods of both clients. `_drive(plan, timeout)` returns the value (Client) or a coroutine (AsyncClient)."""

    allow_code: bool = False

    def _drive(self, plan: Plan, timeout: float | None):  # pragma: no cover - abstract
        raise NotImplementedError

    # -- objectives ---------------------------------------------------------------------------

    def _objective(self, objective: Any) -> Plan:
        if isinstance(objective, str):
            if not objective:
                raise ValueError("objective: must be a built-in or defined name, got ''")
            return objective
        if isinstance(objective, Objective):
            if objective.needs_code and not self.allow_code:
                raise BroxError("objective: WGSL + JS objectives run code in the server: start it with Client(allow_code=True)", "FORBIDDEN", "objective")
            yield ("define*", objective.define_params())
            return objective.name
        if callable(objective):
            raise TypeError("objective: brox evaluates objectives inside its server (GPU/CPU), not Python callables; "
                            "pass a built-in name ('rastrigin'), brox.expr('sum(i, x[i]^2)', dim=4), brox.data(kind, A, y) or brox.code(wgsl, js, dim)")
        raise TypeError(f"objective: must be a name, brox.expr(...), brox.data(...) or brox.code(...), got {type(objective).__name__}")

    @staticmethod
    def _dim(objective: Any) -> int | None:
        return objective.dim if isinstance(objective, Objective) else None

    # -- methods ------------------------------------------------------------------------------

    def info(self, *, timeout: float | None = None):
        """The server's version, backend, adapter, defined objectives and limits."""

        def plan():
            return (yield ("info", {}))

        return self._drive(plan(), timeout)

    def define(self, name: str, *, expr: str | None = None, dim: int | None = None, data: Mapping | None = None,
               wgsl: str | None = None, js: str | None = None, timeout: float | None = None):
        """Defines a named objective on this server (brox's `define`); most code passes brox.expr(...) instead."""
        if not isinstance(name, str):
            raise TypeError("name: must be a string")
        params = _drop_none({"name": name, "expr": expr, "dim": None if dim is None else P.scalar(dim, "dim", integer=True, positive=True),
                             "data": None if data is None else P.encode(data, "data"), "wgsl": wgsl, "js": js})

        def plan():
            return (yield ("define", params))

        return self._drive(plan(), timeout)

    def undefine(self, objective: Any, *, timeout: float | None = None):
        """Frees a defined objective on this server (its name, or the brox.expr/data/code object): the
        server holds at most `brox serve --max-defined` of them. A later use defines it again."""
        name = objective.name if isinstance(objective, Objective) else objective
        if not isinstance(name, str) or not name:
            raise TypeError(f"objective: must be a defined name or brox.expr/data/code object, got {type(objective).__name__}")

        def plan():
            return (yield ("undefine*", {"name": name}))

        return self._drive(plan(), timeout)

    def brox(self, objective: Any, x: Any, t: float, *, samples: int | None = None, seed: int | None = None,
             call: int | None = None, offset: int | None = None, ball: Any = None, generator: str | None = None,
             bounds: Any = None, rounds: int | None = None, shrink: float | None = None, timeout: float | None = None):
        """The sampled broximal operator: the best of `samples` points in the ball of radius t around x.

        Returns a Result with x (numpy array), fun, funCenter, index (the winning sample, -1 if
        none beat x), improved, nfev, backend, ms. `offset` evaluates samples [offset, offset + samples).
        """
        dim = self._dim(objective)
        xs = P.vector(x, "x", dim)
        params = _drop_none({
            "x": xs, "t": P.scalar(t, "t", positive=True),
            "samples": None if samples is None else P.scalar(samples, "samples", integer=True, positive=True),
            "seed": None if seed is None else P.scalar(seed, "seed", integer=True),
            "call": None if call is None else P.scalar(call, "call", integer=True),
            "offset": None if offset is None else P.scalar(offset, "offset", integer=True),
            "ball": None if ball is None else P.encode(ball, "ball"), "generator": generator,
            "bounds": P.bounds(bounds, len(xs)), "rounds": rounds, "shrink": shrink,
        })
        if params.get("bounds") == "none":
            params["bounds"] = None  # JSON null: unbounded
        me = self

        def plan():
            params["objective"] = yield from me._objective(objective)
            return P.decode_brox((yield ("brox", params)))

        return self._drive(plan(), timeout)

    def evaluate(self, objective: Any, points: Any, *, timeout: float | None = None):
        """f at each row of `points` (n x d): a float64 array (list without numpy)."""
        pts = P.matrix(points, "points")
        dim = self._dim(objective)
        if dim is not None and len(pts[0]) != dim:
            raise ValueError(f"points: rows must have {dim} entries, got {len(pts[0])}")
        me = self

        def plan():
            name = yield from me._objective(objective)
            return P.decode_values((yield ("evaluate", {"objective": name, "points": pts})))

        return self._drive(plan(), timeout)

    def bpm(self, objective: Any, x0: Any, *, radius: float, timeout: float | None = None, **options: Any):
        """The Ball Proximal Point Method (brox's `bpm`): options max_iter, samples, seed, radius_decay, radius_min, ..."""
        xs = P.vector(x0, "x0", self._dim(objective))
        params = {"x0": xs, "radius": P.scalar(radius, "radius", positive=True)}
        for k, v in options.items():
            params[P.camel(k)] = P.bounds(v, len(xs)) if k == "bounds" else P.encode(v, k)
        me = self

        def plan():
            params["objective"] = yield from me._objective(objective)
            return P.decode_minimize((yield ("bpm", _drop_none(params))))

        return self._drive(plan(), timeout)

    def minimize(self, objective: Any, x0: Any = None, *, method: str | None = None, bounds: Any = None, dim: int | None = None,
                 max_evals: int | None = None, max_iter: int | None = None, f_target: float | None = None,
                 seed: int | None = None, generator: str | None = None, samples: int | None = None,
                 runs: int | None = None, options: Mapping | None = None, timeout: float | None = None, **params: Any):
        """Minimises `objective` with a sampling method; a scipy.optimize.OptimizeResult (x, fun, nit,
        nfev, success, status, message, backend, method, info) when scipy imports, else brox.Result.

        runs=B (1..1024): B independent runs in one request, run r with seed seed + r (exactly that
        seed's run alone). The result is the best run's, nfev over all runs, plus `runs` (every run's
        result, with its `seed`) and `best` (its index). Each run has the whole max_evals.

        method: None (the server's default, 'portfolio': CMA-ES with BIPOP restarts and BPM coordinate
        sweeps), 'bpm', 'cma-es', 'cem', 'annealed', 'random', 'portfolio'. bounds: (lo, hi), a sequence
        of (lo, hi) pairs, scipy.optimize.Bounds, None (the objective's usual domain) or 'none'.
        Method parameters go in `options` or as keywords (snake_case or camelCase: popsize=64,
        radius_decay=0.8). x0=None: the built-in's documented start (zeros with `dim` otherwise).
        """
        if method is not None and not isinstance(method, str):
            raise TypeError(f"method: must be a string such as 'bpm' or 'cma-es', got {type(method).__name__}")
        d = self._dim(objective)
        xs = None if x0 is None else P.vector(x0, "x0", d)
        if dim is not None:
            dim = int(P.scalar(dim, "dim", integer=True, positive=True))
            if xs is not None and len(xs) != dim:
                raise ValueError(f"dim: is {dim} but x0 has {len(xs)} entries")
        elif xs is None and d is not None:
            dim = d
        n = len(xs) if xs is not None else dim
        method_params = {P.camel(k): P.encode(v, k) for k, v in {**dict(options or {}), **params}.items()}
        req = _drop_none({
            "x0": xs, "dim": dim if xs is None else None, "method": method,
            "maxEvals": None if max_evals is None else P.scalar(max_evals, "max_evals", integer=True, positive=True),
            "maxIter": None if max_iter is None else P.scalar(max_iter, "max_iter", integer=True, positive=True),
            "fTarget": None if f_target is None else P.scalar(f_target, "f_target"),
            "seed": None if seed is None else P.scalar(seed, "seed", integer=True),
            "generator": generator,
            "samples": None if samples is None else P.scalar(samples, "samples", integer=True, positive=True),
            "runs": None if runs is None else P.runs(runs),
            "params": method_params or None,
        })
        b = P.bounds(bounds, n)
        if b == "none":
            req["bounds"] = None  # JSON null: unbounded
        elif b is not None:
            req["bounds"] = b
        me = self

        def plan():
            req["objective"] = yield from me._objective(objective)
            return P.decode_minimize((yield ("minimize", req)))

        return self._drive(plan(), timeout)

    def _population(self, method: str, objective: Any, center: Any, t: float, extra: dict, timeout: float | None):
        xs = P.vector(center, "center", self._dim(objective))
        params = _drop_none({"x": xs, "t": P.scalar(t, "t", positive=True), **extra})
        if "bounds" in params:
            params["bounds"] = P.bounds(params["bounds"], len(xs))
            if params["bounds"] == "none":
                params["bounds"] = None
        me = self

        def plan():
            params["objective"] = yield from me._objective(objective)
            return P.decode_population((yield (method, params)))

        return self._drive(plan(), timeout)

    def topk(self, objective: Any, center: Any, t: float, *, k: int = 1, samples: int | None = None, offset: int | None = None,
             seed: int | None = None, call: int | None = None, ball: Any = None, generator: str | None = None, bounds: Any = None,
             timeout: float | None = None):
        """The k best of samples [offset, offset + samples) around `center` (points, values, indices;
        best first); ranges merged by (value, index) give the whole range's top-k.
        Needs a brox serve that serves `topk` (else brox.UnsupportedMethod)."""
        extra = {"k": P.scalar(k, "k", integer=True, positive=True), "samples": samples,
                 "offset": None if offset is None else P.scalar(offset, "offset", integer=True), "seed": seed, "call": call,
                 "ball": None if ball is None else P.encode(ball, "ball"), "generator": generator, "bounds": bounds}
        return self._population("topk", objective, center, t, extra, timeout)

    def moments(self, objective: Any, center: Any, t: float, *, temperature: Any = None, second: str | None = None,
                samples: int | None = None, offset: int | None = None, seed: int | None = None, call: int | None = None,
                ball: Any = None, generator: str | None = None, bounds: Any = None, timeout: float | None = None):
        """Boltzmann-weighted mean (and second moments) of samples [offset, offset + samples) around
        `center`; with an offset the result carries `sums`, what brox's mergeMoments joins.
        Needs a brox serve that serves `moments` (else brox.UnsupportedMethod)."""
        extra = {"temperature": None if temperature is None else P.encode(temperature, "temperature"), "second": second,
                 "samples": samples, "offset": None if offset is None else P.scalar(offset, "offset", integer=True), "seed": seed, "call": call, "ball": None if ball is None else P.encode(ball, "ball"),
                 "generator": generator, "bounds": bounds}
        return self._population("moments", objective, center, t, extra, timeout)


class Client(_Api):
    """One `brox serve` process, thread-safe; a context manager.

        with brox.Client(backend="cpu") as c:
            r = c.brox("rastrigin", np.ones(10), 0.5, samples=2**20)

    command: how to start brox (see brox._launch.server_command); backend: 'auto' | 'webgpu' |
    'cpu'; threads: CPU worker threads; allow_code: permit brox.code objectives; timeout: default
    seconds per call (None: wait); args: more `brox serve` flags (e.g. ['--max-samples', '1e9']).
    """

    def __init__(self, command: str | Sequence[str] | None = None, *, backend: str = "auto", threads: int | None = None,
                 allow_code: bool = False, timeout: float | None = None, args: Iterable[str] = (),
                 env: Mapping[str, str] | None = None, start_timeout: float = 120.0):
        if backend not in ("auto", "webgpu", "cpu"):
            raise ValueError(f"backend: must be 'auto', 'webgpu' or 'cpu', got {backend!r}")
        if timeout is not None:
            P.scalar(timeout, "timeout", positive=True)
        argv = server_command(command) + ["serve", "--backend", backend]
        if threads is not None:
            argv += ["--threads", str(int(P.scalar(threads, "threads", integer=True, positive=True)))]
        if allow_code:
            argv.append("--allow-code")
        argv += [str(a) for a in args]
        self.argv = argv
        self.allow_code = bool(allow_code)
        self.timeout = timeout
        self._ids = itertools.count(1)
        self._pending: dict[int, Call] = {}
        self._lock = threading.Lock()  # pending + writes
        self._defines: dict[str, Call] = {}
        self._define_lock = threading.Lock()
        self._stderr: collections.deque = collections.deque(maxlen=_STDERR_LINES)
        self._dead: ServerError | None = None
        self._closed = False
        try:
            self._proc = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                          env=None if env is None else {**os.environ, **env})
        except FileNotFoundError as e:
            raise ServerError(f"cannot start brox: {argv[0]} not found ({e.strerror}); see brox.Client's `command`, BROX_BIN, BROX_NODE", "NO_BROX") from None
        except PermissionError as e:
            raise ServerError(f"cannot start brox: {argv[0]} is not executable ({e.strerror})", "NO_BROX") from None
        self._reader = threading.Thread(target=self._read, name="brox-reader", daemon=True)
        self._errreader = threading.Thread(target=self._read_stderr, name="brox-stderr", daemon=True)
        self._reader.start()
        self._errreader.start()
        try:
            self.server_info = self.call("info", timeout=start_timeout)
        except BaseException as e:
            self._kill()
            if isinstance(e, ServerError):
                raise ServerError(f"brox serve did not start ({' '.join(argv)}): {e}", "NO_BROX") from None
            if isinstance(e, TimeoutError):
                raise ServerError(f"brox serve did not answer `info` within {start_timeout} s ({' '.join(argv)}){self._stderr_tail()}", "NO_BROX") from None
            raise

    # -- process I/O --------------------------------------------------------------------------

    def _stderr_tail(self) -> str:
        lines = [l for l in list(self._stderr) if l.strip()]
        return ("; server stderr:\n  " + "\n  ".join(lines[-12:])) if lines else ""

    def _read_stderr(self) -> None:
        for raw in self._proc.stderr:
            self._stderr.append(raw.decode("utf-8", "replace").rstrip())

    def _read(self) -> None:
        for raw in self._proc.stdout:
            try:
                msg = json.loads(raw)
            except ValueError:
                self._stderr.append("(stdout, not JSON) " + raw.decode("utf-8", "replace").rstrip())
                continue
            if not isinstance(msg, dict):
                continue
            rid = msg.get("id")
            with self._lock:
                call = self._pending.pop(rid, None) if isinstance(rid, int) else None
            if call is None:
                if "error" in msg and rid is None:
                    self._stderr.append(f"(answer without id) {msg['error']}")
                continue
            try:
                if "error" in msg:
                    call.set_exception(P.error_from_answer(msg["error"], call.method))
                else:
                    call.set_result(msg.get("result"))
            except concurrent.futures.InvalidStateError:
                pass
        # EOF: the server exited; nothing pending can be answered any more
        code = self._proc.wait()
        self._errreader.join(timeout=2)
        err = ServerError("brox serve closed" if self._closed else f"brox serve exited with status {code}{self._stderr_tail()}", "SERVER_EXITED")
        with self._lock:
            self._dead = err
            pending, self._pending = list(self._pending.values()), {}
        for call in pending:
            try:
                call.set_exception(err)
            except concurrent.futures.InvalidStateError:
                pass

    def _write(self, obj: dict) -> None:
        line = (P.dumps(obj) + "\n").encode()
        try:
            self._proc.stdin.write(line)
            self._proc.stdin.flush()
        except (BrokenPipeError, ValueError, OSError):
            raise ServerError(f"brox serve is not running{self._stderr_tail()}", "SERVER_EXITED") from None

    # -- calls --------------------------------------------------------------------------------

    def submit(self, method: str, params: Mapping | None = None, /) -> Call:
        """Sends one raw request now and returns its Call (a Future of the raw JSON result).
        Many submits run concurrently on the server; `params` is encoded (numpy welcome)."""
        if method is not None and not isinstance(method, str):
            raise TypeError("method: must be a string (the server method, e.g. 'brox')")
        body = P.encode(dict(params or {}), "params")
        with self._lock:
            if self._dead is not None or self._closed:
                raise self._dead or ServerError("this brox.Client is closed", "CLOSED")
            call = Call(self, next(self._ids), method)
            self._pending[call.id] = call
            try:
                # "jsonrpc" is ignored by today's brox serve and required by a JSON-RPC 2.0 one
                self._write({"jsonrpc": "2.0", "id": call.id, "method": method, "params": body})
            except ServerError:
                self._pending.pop(call.id, None)
                raise
        return call

    def cancel(self, call: Call | int) -> None:
        """Asks the server to abort a running call; it then ends with brox.Cancelled."""
        cid = call.id if isinstance(call, Call) else call
        if not isinstance(cid, int):
            raise TypeError("call: must be a brox Call or its integer id")
        with self._lock:
            if self._dead is not None or self._closed:
                return
            # fire and forget: the answer to the cancel itself ({cancelled: n}) is not awaited
            cancel_id = next(self._ids)
            self._pending[cancel_id] = Call(self, cancel_id, "cancel")
            try:
                self._write({"jsonrpc": "2.0", "id": cancel_id, "method": "cancel", "params": {"id": cid}})
            except ServerError:
                self._pending.pop(cancel_id, None)

    def wait(self, call: Call, timeout: float | None = None) -> Any:
        """The raw result of a Call; on timeout the server is told to cancel it and brox.Timeout is raised."""
        timeout = self.timeout if timeout is None else timeout
        try:
            return call.result(timeout)
        except concurrent.futures.TimeoutError:  # (also the builtin TimeoutError, which brox.Timeout is)
            if call.done():
                raise  # the server's own answer (its deadline)
            self.cancel(call)
            raise Timeout(f"{call.method}: no answer within {timeout} s (the server was told to cancel it)", "TIMEOUT", method=call.method) from None

    def call(self, method: str, params: Mapping | None = None, /, *, timeout: float | None = None) -> Any:
        """One raw request, waited for: `c.call("minimize", {"objective": "sphere", "method": "cma-es"})`."""
        return self.wait(self.submit(method, params), timeout)

    def _define_once(self, params: dict) -> Call:
        """One `define` per objective and server, shared by concurrent callers (a second define of a
        data objective would free the first one's GPU buffers under a call that uses them)."""
        name = params["name"]
        with self._define_lock:
            call = self._defines.get(name)
            if call is None or (call.done() and call.exception() is not None):
                call = self._defines[name] = self.submit("define", params)
            return call

    def _undefine(self, params: dict) -> Call:
        """`undefine`, and the cached define is dropped: the next use of that objective defines it again."""
        with self._define_lock:
            self._defines.pop(params["name"], None)
            return self.submit("undefine", params)

    def _send(self, method: str, params: dict) -> Call:
        """One step of a plan: `define*` once per objective, `undefine*` with the cache, else a request."""
        if method == "define*":
            return self._define_once(params)
        if method == "undefine*":
            return self._undefine(params)
        return self.submit(method, params)

    def _drive(self, plan: Plan, timeout: float | None):
        timeout = self.timeout if timeout is None else timeout
        deadline = None if timeout is None else time.monotonic() + timeout
        try:
            method, params = next(plan)
            while True:
                left = None if deadline is None else max(0.0, deadline - time.monotonic())
                call = self._send(method, params)
                method, params = plan.send(self.wait(call, left))
        except StopIteration as stop:
            return stop.value

    # -- lifetime -----------------------------------------------------------------------------

    def _kill(self) -> None:
        self._closed = True
        if self._proc.poll() is None:
            self._proc.kill()
        self._proc.wait()
        for f in (self._proc.stdin, self._proc.stdout, self._proc.stderr):
            try:
                f.close()
            except Exception:
                pass

    def close(self, timeout: float = 10.0) -> int:
        """Ends the server (EOF on its stdin; killed after `timeout` s) and fails pending calls. Returns its exit status."""
        if self._closed:
            return self._proc.returncode
        self._closed = True
        try:
            self._proc.stdin.close()
        except (BrokenPipeError, OSError):
            pass
        try:
            self._proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self._proc.kill()
            self._proc.wait()
        self._reader.join(timeout=5)
        return self._proc.returncode

    @property
    def alive(self) -> bool:
        return not self._closed and self._dead is None and self._proc.poll() is None

    @property
    def pid(self) -> int:
        return self._proc.pid

    def __enter__(self) -> "Client":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def __del__(self) -> None:
        try:
            if not self._closed:
                self.close(timeout=2)
        except Exception:
            pass


class AsyncClient(_Api):
    """The asyncio variant: the same methods as coroutines, one server, concurrent awaits.

        async with brox.AsyncClient(backend="cpu") as c:
            a, b = await asyncio.gather(c.brox("sphere", x, 1.0), c.brox("sphere", x, 0.5))

    Cancelling an awaiting task (or asyncio.wait_for running out) cancels the request on the server.
    """

    def __init__(self, command: str | Sequence[str] | None = None, **kwargs: Any):
        self._args = (command, kwargs)
        self._client: Client | None = None
        self.allow_code = bool(kwargs.get("allow_code", False))
        self.timeout = kwargs.get("timeout")

    async def start(self) -> "AsyncClient":
        if self._client is None:
            command, kwargs = self._args
            self._client = await asyncio.get_running_loop().run_in_executor(None, lambda: Client(command, **kwargs))
            self.server_info = self._client.server_info
        return self

    @property
    def sync(self) -> Client:
        if self._client is None:
            raise ServerError("AsyncClient not started: use `async with brox.AsyncClient() as c` or `await c.start()`", "CLOSED")
        return self._client

    async def wait(self, call: Call, timeout: float | None = None) -> Any:
        timeout = self.timeout if timeout is None else timeout
        try:
            return await asyncio.wait_for(asyncio.shield(asyncio.wrap_future(call)), timeout)
        except asyncio.TimeoutError:
            if call.done():
                raise  # the server's own answer (its deadline)
            self.sync.cancel(call)
            raise Timeout(f"{call.method}: no answer within {timeout} s (the server was told to cancel it)", "TIMEOUT", method=call.method) from None
        except asyncio.CancelledError:
            self.sync.cancel(call)  # the task was cancelled: so is the work on the server
            raise

    async def call(self, method: str, params: Mapping | None = None, /, *, timeout: float | None = None) -> Any:
        return await self.wait(self.sync.submit(method, params), timeout)

    def submit(self, method: str, params: Mapping | None = None, /) -> Call:
        return self.sync.submit(method, params)

    def cancel(self, call: Call | int) -> None:
        self.sync.cancel(call)

    async def _run(self, plan: Plan, timeout: float | None) -> Any:
        timeout = self.timeout if timeout is None else timeout
        deadline = None if timeout is None else time.monotonic() + timeout
        c = self.sync
        try:
            method, params = next(plan)
            while True:
                left = None if deadline is None else max(1e-3, deadline - time.monotonic())
                call = c._send(method, params)
                method, params = plan.send(await self.wait(call, left))
        except StopIteration as stop:
            return stop.value

    def _drive(self, plan: Plan, timeout: float | None):
        return self._run(plan, timeout)

    async def close(self) -> int | None:
        if self._client is None:
            return None
        c, self._client = self._client, None
        return await asyncio.get_running_loop().run_in_executor(None, c.close)

    async def __aenter__(self) -> "AsyncClient":
        return await self.start()

    async def __aexit__(self, *exc) -> None:
        await self.close()
