#!/usr/bin/env python3
"""Merges the raw outputs of bench/gpu/run.sh into one JSON and one markdown report.

Usage: python3 bench/gpu/report.py --work DIR [--out-dir bench/results] [--date YYYY-MM-DD]
                                   [--stem NAME] [--setting KEY=VALUE ...] [--no-system]

DIR holds steps.tsv (one line per step run.sh ran or skipped, tab-separated, with a header:
kind backend d samples steps rc secs out err note) and the stdout/stderr files it names:
  kind probe  : node dist/gpu.js --json (adapter only), one per Vulkan ICD tried (note: icd=FILE)
  kind smoke  : node dist/gpu.js --smoke --json (every kernel once, checked against the CPU backend)
  kind peercheck: python3 bench/peers/peers.py --check (do torch / jax see a GPU)
  kind user   : node dist/gpu.js --user --json (minimize() per method to a target; scipy beside it)
  kind bench  : node dist/bench.js --json --tune --backends webgpu --dims D --samples N --steps 0
  kind loop   : node dist/bench.js --json --tune --backends webgpu --dims 10 --steps K (the BPM loop)
  kind peers  : python3 bench/peers/peers.py --json --backends B --dims D [--samples N]
Writes <out-dir>/<stem>.json and <stem>.md, stem = gpu-<date>-<adapter slug>, and prints both paths.
Python standard library only (the GPU machine may have no numpy).
"""
import argparse
import json
import os
import platform
import re
import subprocess
import sys
from datetime import datetime, timezone

# The targets of issues 11 and 15, set for an H100/H200-class GPU.
TARGET_D10 = 70e9  # samples/s, one oracle call at d = 10
TARGET_D100 = 7e9  # samples/s, one oracle call at d = 100
TARGET_LOOP_MS = 10.0  # 100 GPU-resident BPM steps of 2^20 samples at d = 10
LOOP_STEPS, LOOP_SAMPLES = 100, 1 << 20

FIELDS = ["kind", "backend", "d", "samples", "steps", "rc", "secs", "out", "err", "note"]


def read_text(path):
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            return f.read()
    except OSError:
        return ""


def parse_json_output(text):
    """The JSON document a command printed, tolerating stray lines before it."""
    text = text.strip()
    if not text:
        return None
    try:
        return json.loads(text)
    except ValueError:
        pass
    # last top-level object: a line that is exactly "{" (indent 2 output) or starts with "{"
    starts = [m.start() for m in re.finditer(r"(?m)^\{", text)]
    for s in reversed(starts):
        try:
            return json.loads(text[s:])
        except ValueError:
            continue
    return None


def tail(text, n=600):
    lines = [l for l in text.splitlines() if l.strip() and "XDG_RUNTIME_DIR" not in l]
    s = "\n".join(lines)
    return s[-n:]


def read_steps(work):
    path = os.path.join(work, "steps.tsv")
    steps = []
    for i, line in enumerate(read_text(path).splitlines()):
        if not line.strip() or (i == 0 and line.startswith("kind\t")):
            continue
        cells = line.split("\t")
        cells += [""] * (len(FIELDS) - len(cells))
        s = dict(zip(FIELDS, cells[: len(FIELDS)]))
        s["rc"] = int(s["rc"]) if s["rc"].lstrip("-").isdigit() else None
        s["secs"] = float(s["secs"]) if re.fullmatch(r"[0-9.]+", s["secs"] or "") else None
        s["samples"] = int(s["samples"]) if s["samples"].isdigit() else None
        s["steps"] = int(s["steps"]) if s["steps"].isdigit() else None
        s["dims"] = [int(x) for x in s["d"].split(",") if x.strip().isdigit()]
        out_path = os.path.join(work, s["out"]) if s["out"] else ""
        err_path = os.path.join(work, s["err"]) if s["err"] else ""
        s["data"] = parse_json_output(read_text(out_path)) if out_path else None
        s["stderrTail"] = tail(read_text(err_path)) if err_path else ""
        s["error"] = step_error(s)
        steps.append(s)
    return steps


def step_error(s):
    """None when the step ran and printed its JSON, else a short reason."""
    if s["note"].startswith("skipped"):
        return s["note"]
    if s["rc"] is None:
        return s["note"] or "not run"
    if s["rc"] in (124, 137):
        return f"timed out after {s['secs']:.0f} s" if s["secs"] is not None else "timed out"
    if s["rc"] != 0:
        last = s["stderrTail"].splitlines()[-1] if s["stderrTail"] else ""
        return f"failed (exit {s['rc']})" + (f": {last[:200]}" if last else "")
    if s["data"] is None:
        return "no JSON output"
    if isinstance(s["data"], dict) and "error" in s["data"] and not s["data"].get("rows"):
        return f"error: {s['data']['error']}"
    return None


def slug(text):
    s = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return s[:48].strip("-") or "unknown"


def adapter_slug(a):
    if not a:
        return "no-adapter"
    for key in ("device", "description"):
        if a.get(key):
            return slug(a[key])
    return slug("-".join(x for x in (a.get("vendor"), a.get("architecture")) if x))


def describe_adapter(a, flag=True):
    if not a:
        return "none found"
    parts = [a.get("vendor"), a.get("architecture"), a.get("device"), a.get("description")]
    s = " / ".join(p for p in parts if p)
    return s + (" (software adapter: a CPU, not GPU timings)" if flag and a.get("software") else "")


def system_env():
    env = {"python": platform.python_version(), "platform": platform.platform(), "cpus": os.cpu_count()}
    try:
        q = "name,driver_version,memory.total,clocks.max.sm,power.limit"
        r = subprocess.run(["nvidia-smi", f"--query-gpu={q}", "--format=csv,noheader"], capture_output=True, text=True, timeout=10)
        if r.returncode == 0 and r.stdout.strip():
            env["nvidiaSmi"] = [dict(zip(q.split(","), (c.strip() for c in line.split(",")))) for line in r.stdout.strip().splitlines()]
    except (OSError, subprocess.SubprocessError):
        pass
    return env


def si(v, unit=""):
    if v is None:
        return "—"
    for k, p in ((1e12, "T"), (1e9, "G"), (1e6, "M"), (1e3, "k")):
        if abs(v) >= k:
            return f"{v / k:.3g} {p} {unit}".rstrip()
    return f"{v:.3g} {unit}".rstrip()


def pow2(n):
    if n is None:
        return "—"
    return f"2^{n.bit_length() - 1}" if n > 0 and n & (n - 1) == 0 else f"{n:,}".replace(",", " ")


def ratio(a, b):
    return f"{a / b:.2f}×" if a and b else "—"


def ms(v):
    return "—" if v is None else (f"{v:.3g}" if v < 100 else f"{v:.0f}")


def build(work, date, settings, with_system=True):
    steps = read_steps(work)
    probes = [s for s in steps if s["kind"] == "probe"]
    probe = next((s for s in probes if isinstance(s["data"], dict) and (s["data"].get("adapter") or {}).get("software") is False), probes[-1] if probes else None)
    smoke = next((s for s in steps if s["kind"] == "smoke"), None)
    user = next((s for s in steps if s["kind"] == "user"), None)
    peercheck = next((s for s in steps if s["kind"] == "peercheck"), None)
    benches = [s for s in steps if s["kind"] == "bench"]
    loop_step = next((s for s in steps if s["kind"] == "loop"), None)
    peer_steps = [s for s in steps if s["kind"] == "peers"]

    ok = [s for s in benches + [loop_step, smoke, user, probe] if s and s["error"] is None and isinstance(s["data"], dict)]
    adapter = next((s["data"].get("adapter") for s in ok if s["data"].get("adapter")), None)
    tuned = [(s, s["data"]["tuning"]) for s in benches + [loop_step] if s and s["error"] is None and isinstance(s["data"], dict) and s["data"].get("tuning")]
    tuning = tuned[0][1] if tuned else None
    # every bench process runs the tuner itself: its pick per run (the kernel labels name the workgroup)
    tuning_by_run = [{"run": f"{s['kind']} d={s['d']}", "best": t.get("best")} for s, t in tuned]
    first = ok[0]["data"] if ok else {}
    env = {"node": first.get("node"), "cpu": first.get("cpu"), "benchDate": first.get("date")}
    if with_system:
        env.update(system_env())

    # brox rows: one bench step per d (--steps 0: no loop in it)
    per_d = []
    dims = []
    for s in benches:
        for d in s["dims"]:
            if d not in dims:
                dims.append(d)
    for p in peer_steps:
        if p["backend"] != "numpy":
            for d in p["dims"]:
                if d not in dims:
                    dims.append(d)
    for d in dims:
        s = next((b for b in benches if d in b["dims"]), None)
        rows = [r for r in (s["data"].get("rows", []) if s and s["error"] is None else []) if r.get("d") == d and r.get("backend") == "webgpu"]
        brox = [r for r in rows if not str(r.get("kernel", "")).startswith("plain")]
        plain = next((r for r in rows if str(r.get("kernel", "")).startswith("plain")), None)
        per_d.append({"d": d, "samples": s["samples"] if s else None, "error": s["error"] if s else "not run", "brox": brox, "plain": plain, "notes": (s["data"] or {}).get("notes", []) if s and isinstance(s["data"], dict) else []})

    # peers: per backend and d, a row or the reason there is none
    peers = {}
    for p in peer_steps:
        b = p["backend"]
        rows = (p["data"] or {}).get("rows", []) if p["error"] is None and isinstance(p["data"], dict) else []
        for d in p["dims"] or [None]:
            got = next((r for r in rows if r.get("d") == d and "skipped" not in r), None)
            skipped = next((r["skipped"] for r in rows if r.get("backend") == b and "skipped" in r), None)
            if got:
                peers[(b, d)] = {"row": got}
            else:
                peers[(b, d)] = {"error": p["error"] or (f"skipped: {skipped}" if skipped else "no row")}

    def peer_cell(b, d):
        e = peers.get((b, d))
        if e is None:
            return None, "not run"
        if "row" in e:
            r = e["row"]
            dev = str(r.get("device", ""))
            on_cpu = b != "numpy" and "cpu" in dev.lower()  # torch "cpu", jax "TFRT_CPU_0" / "CpuDevice(id=0)"
            return r.get("samplesPerSec"), si(r.get("samplesPerSec")) + (" (CPU!)" if on_cpu else "")
        return None, short_reason(e["error"])

    loop = None
    if loop_step:
        loop = {"error": loop_step["error"], "bpmLoop": (loop_step["data"] or {}).get("bpmLoop") if loop_step["error"] is None else None}

    # targets
    def best_brox(d):
        e = next((x for x in per_d if x["d"] == d), None)
        vals = [r.get("samplesPerSec") for r in (e["brox"] if e else []) if r.get("samplesPerSec")]
        return max(vals) if vals else None

    targets = []
    for d, goal in ((10, TARGET_D10), (100, TARGET_D100)):
        v = best_brox(d)
        targets.append({"name": f"d = {d}: one oracle call >= {si(goal)} samples/s", "target": goal, "value": v, "display": si(v, "samples/s") if v else "not measured",
                        "verdict": "not measured" if v is None else ("met" if v >= goal else "missed")})
    bl = loop["bpmLoop"] if loop else None
    if not bl:
        lv, ldisp, lverdict = None, "not measured", "not measured"
    elif bl.get("steps") != LOOP_STEPS or bl.get("samples") != LOOP_SAMPLES:
        lv, ldisp = bl.get("residentMs"), f"{ms(bl.get('residentMs'))} ms for {bl.get('steps')} steps of {pow2(bl.get('samples'))}"
        lverdict = f"n/a (not {LOOP_STEPS} steps of 2^20)"
    else:
        lv, ldisp = bl.get("residentMs"), f"{ms(bl.get('residentMs'))} ms"
        lverdict = "met" if lv <= TARGET_LOOP_MS else "missed"
    targets.append({"name": f"d = 10: {LOOP_STEPS} GPU-resident BPM steps of 2^20 samples <= {TARGET_LOOP_MS:g} ms", "target": TARGET_LOOP_MS, "value": lv, "display": ldisp, "verdict": lverdict})

    gpu_name = ((env.get("nvidiaSmi") or [{}])[0]).get("name", "")
    is_h100 = bool(re.search(r"h100|h200", (gpu_name + " " + json.dumps(adapter or {})).lower()))

    table = []
    for e in per_d:
        d = e["d"]
        tv, tcell = peer_cell("torch", d)
        jv, jcell = peer_cell("jax", d)
        nv, ncell = peer_cell("numpy", d)
        pv = e["plain"].get("samplesPerSec") if e["plain"] else None
        variants = e["brox"] or [None]
        for r in variants:
            bv = r.get("samplesPerSec") if r else None
            table.append({
                "d": d, "samples": (r or e["plain"] or {}).get("samples", e["samples"]),
                "kernel": r.get("kernel") if r else short_reason(e["error"] or "no brox row"),
                "wallMs": r.get("msMedian") if r else None, "gpuMs": r.get("gpuMsMedian") if r else None,
                "brox": bv, "plain": pv, "torch": tv, "jax": jv, "numpy": nv,
                "cells": {"torch": tcell, "jax": jcell, "numpy": ncell},
                "broxOverPlain": bv / pv if bv and pv else None, "broxOverTorch": bv / tv if bv and tv else None, "broxOverJax": bv / jv if bv and jv else None,
            })

    merged = {
        "schema": "brox-gpu-run/1",
        "date": date,
        "adapter": adapter,
        "adapterSlug": adapter_slug(adapter),
        "env": env,
        "settings": settings,
        "tuning": tuning,
        "tuningByRun": tuning_by_run,
        "targets": targets,
        "targetsAreFor": "an H100/H200-class GPU" + ("" if is_h100 else " (this run is on another device)"),
        "discovery": [{"icd": p["note"].removeprefix("icd="), "rc": p["rc"], "error": p["error"], "adapter": (p["data"] or {}).get("adapter") if isinstance(p["data"], dict) else None,
                       "reason": (p["data"] or {}).get("reason") if isinstance(p["data"], dict) else None, "stderrTail": p["stderrTail"]} for p in probes],
        "smoke": smoke and {"rc": smoke["rc"], "error": smoke["error"], "features": (smoke["data"] or {}).get("features") if isinstance(smoke["data"], dict) else None,
                            "limits": (smoke["data"] or {}).get("limits") if isinstance(smoke["data"], dict) else None,
                            "checks": ((smoke["data"] or {}).get("smoke") or {}).get("checks") if isinstance(smoke["data"], dict) else None, "stderrTail": smoke["stderrTail"]},
        "peerDevices": peercheck["data"] if peercheck and isinstance(peercheck["data"], dict) else None,
        "user": user and {"rc": user["rc"], "error": user["error"], "rows": ((user["data"] or {}).get("user") or {}).get("rows") if isinstance(user["data"], dict) else None,
                          "skipped": ((user["data"] or {}).get("user") or {}).get("skipped") if isinstance(user["data"], dict) else None, "stderrTail": user["stderrTail"]},
        "table": [{k: v for k, v in t.items() if k != "cells"} for t in table],
        "rows": [r for e in per_d for r in e["brox"] + ([e["plain"]] if e["plain"] else [])],
        "bpmLoop": bl,
        "loopRun": loop_step and {"error": loop_step["error"], "data": loop_step["data"]},
        "bench": [{"d": s["d"], "samples": s["samples"], "rc": s["rc"], "secs": s["secs"], "error": s["error"], "data": s["data"], "stderrTail": s["stderrTail"]} for s in benches],
        "probe": probe and {"rc": probe["rc"], "error": probe["error"], "adapter": (probe["data"] or {}).get("adapter") if isinstance(probe["data"], dict) else None},
        "peers": [{"backend": p["backend"], "d": p["d"], "samples": p["samples"], "rc": p["rc"], "secs": p["secs"], "error": p["error"], "data": p["data"], "stderrTail": p["stderrTail"]} for p in peer_steps],
        "steps": [{k: s[k] for k in ("kind", "backend", "d", "samples", "steps", "rc", "secs", "note", "error")} for s in steps],
    }
    return merged, render_md(merged, table, per_d, loop, is_h100, gpu_name)


def short_reason(err):
    if not err:
        return "—"
    if err.startswith("skipped: not installed"):
        return "not installed"
    if err.startswith("timed out"):
        return "timeout"
    if err.startswith("failed"):
        return err.split(":")[0]
    return err[:48]


def render_md(m, table, per_d, loop, is_h100, gpu_name):
    a = m["adapter"]
    out = [f"# brox on a GPU: {describe_adapter(a, False)} ({m['date']})", ""]
    if a and a.get("software"):
        out += ["**The adapter is a software one (a CPU emulating Vulkan): these are not GPU timings.**", ""]
    if not a:
        out += ["**No WebGPU adapter was measured.**", ""]
    env = m["env"]
    if gpu_name:
        g = env["nvidiaSmi"][0]
        out.append(f"- GPU (nvidia-smi): {g.get('name')}, driver {g.get('driver_version')}, {g.get('memory.total')}, max SM clock {g.get('clocks.max.sm')}, power limit {g.get('power.limit')}")
    out.append(f"- WebGPU adapter (Dawn): {describe_adapter(a)}")
    out.append(f"- node {env.get('node') or '?'}, CPU {env.get('cpu') or '?'}, python {env.get('python') or '?'}")
    if m["tuningByRun"]:
        picks = [f"{t['run']}: wg {(t['best'] or {}).get('wg')} × {(t['best'] or {}).get('samplesPerThread')}" for t in m["tuningByRun"]]
        out.append("- tuner pick (workgroup × samples/thread, timed on rastrigin d = 10) per bench run: " + ", ".join(picks))
    if m["settings"]:
        out.append("- settings: " + ", ".join(f"{k} = {pow2(int(v)) if k.startswith('samples') and v.isdigit() else v}" for k, v in m["settings"].items()))
    out += ["", "Task: one oracle call, rastrigin, uniform samples in the l2 ball, best of N; median of 3 calls, wall clock",
            "(dispatch to readback). Peers: `bench/peers/peers.py` (PyTorch eager, JAX jit; NumPy on the CPU at its own smaller N).", ""]

    out += ["## Driver discovery", "", "| # | Vulkan ICD tried | adapter | result |", "|---|---|---|---|"]
    for i, p in enumerate(m["discovery"], 1):
        res = "hardware" if p["adapter"] and not p["adapter"].get("software") else "software" if p["adapter"] else (p["reason"] or p["error"] or "none")
        out.append(f"| {i} | {p['icd'] or '—'} | {describe_adapter(p['adapter'], False) if p['adapter'] else '—'} | {str(res).replace('|', '/')[:160]} |")
    sm = m["smoke"]
    out += ["", "## Smoke (every kernel once, GPU against the CPU backend on the same seed)", ""]
    if sm and sm["checks"]:
        out += ["| check | ok | ms | detail |", "|---|---|---|---|"]
        for c in sm["checks"]:
            out.append(f"| {c['name']} | {'ok' if c['ok'] else '**FAIL**'} | {c['ms']:.0f} | {c['detail'].splitlines()[0].replace('|', '/')[:140]} |")
    else:
        out.append(f"Not run or no output: {(sm or {}).get('error') or 'not run'}." + (f"\n\n```\n{sm['stderrTail']}\n```" if sm and sm.get("stderrTail") else ""))
    if m["peerDevices"]:
        out += ["", "Peers' devices: " + "; ".join(f"{k}: {v.get('device') if v.get('ok') else v.get('why')}" for k, v in m["peerDevices"].items())]
    if sm and sm.get("features"):
        out += ["", "Adapter features: " + ", ".join(sm["features"]), "", "Limits: " + ", ".join(f"{k} {v}" for k, v in (sm.get("limits") or {}).items())]
    out += ["", f"## Targets (issues 11 and 15, set for an H100/H200-class GPU{'' if is_h100 else '; this run is on another device'})", "",
            "| target | measured | verdict |", "|---|---|---|"]
    for t in m["targets"]:
        out.append(f"| {t['name']} | {t['display']} | **{t['verdict']}** |")

    out += ["", "## One oracle call: samples/s", "",
            "| d | samples/call | brox kernel | wall ms | GPU ms | brox | plain kernel | torch | jax | numpy (CPU) | brox/plain | brox/torch | brox/jax |",
            "|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for t in table:
        c = t["cells"]
        out.append("| " + " | ".join([
            str(t["d"]), pow2(t["samples"]), t["kernel"], ms(t["wallMs"]), ms(t["gpuMs"]), si(t["brox"]), si(t["plain"]),
            c["torch"], c["jax"], c["numpy"], ratio(t["brox"], t["plain"]), ratio(t["brox"], t["torch"]), ratio(t["brox"], t["jax"]),
        ]) + " |")
    notes = [f"d = {e['d']}: {n}" for e in per_d for n in e["notes"]]
    if notes:
        out += [""] + [f"- {n}" for n in notes]

    out += ["", "## BPM at d = 10: GPU-resident loop", ""]
    bl = m["bpmLoop"]
    if bl:
        out.append(f"{bl.get('steps')} steps of {pow2(bl.get('samples'))} samples: GPU-resident **{ms(bl.get('residentMs'))} ms**"
                   f" ({ms(bl.get('residentMs') / max(1, bl.get('steps') or 1))} ms/step), step by step {ms(bl.get('stepByStepMs'))} ms"
                   f" ({bl.get('speedup', 0):.2f}× faster resident).")
    else:
        out.append(f"Not measured: {(loop or {}).get('error') or 'not run'}.")

    u = m["user"]
    out += ["", "## What a user waits for: minimize() to a target", ""]
    if u and u.get("rows"):
        out += ["Each run: seed 1, start uniform in the domain, target f* + 1e-3 (the quality bench's cases), evaluation budget 2^22 (d = 10) / 2^24 (d = 100),",
                "stopped at a time cap (marked). GPU round trips: queue submissions / buffer maps counted on the device. scipy runs on this machine's CPU.", "",
                "| what | objective | d | backend | reached | f | evaluations | iterations | ms | submits | maps | status |", "|---|---|---|---|---|---|---|---|---|---|---|---|"]
        for r in u["rows"]:
            f = r.get("fun")
            out.append(f"| {r['what']} | {r['objective']} | {r['d']} | {r['backend']} | {'yes' if r.get('reached') else 'no'} | {f:.4g} | {r.get('nfev')} | {r.get('nit')} | {ms(r.get('ms'))} | "
                       f"{r.get('submits', '—')} | {r.get('maps', '—')} | {r.get('status')}{' (time cap)' if r.get('capped') else ''} |" if isinstance(f, (int, float)) else f"| {r['what']} | {r['objective']} | {r['d']} | {r['backend']} | no | — | | | | | | {r.get('status')} |")
        for sk in u.get("skipped") or []:
            out.append(f"- not run: {sk}")
    else:
        out.append(f"Not measured: {(u or {}).get('error') or 'not run'}.")

    peers = [p for p in m["peers"]]
    if peers:
        out += ["", "## Peers", "", "| backend | d | samples | device | samples/s | status |", "|---|---|---|---|---|---|"]
        for p in peers:
            if (p["error"] or "").startswith("skipped: not installed"):
                continue  # run.sh's own skips after the first "not installed" row, which says it
            rows = [r for r in ((p["data"] or {}).get("rows", []) if isinstance(p["data"], dict) else []) if "skipped" not in r]
            if p["error"] is None and rows:
                for r in rows:
                    out.append(f"| {p['backend']} | {r.get('d')} | {pow2(r.get('samples'))} | {r.get('device')} | {si(r.get('samplesPerSec'))} | ok ({ms(r.get('ms'))} ms/call) |")
            else:
                skipped = next((r["skipped"] for r in ((p["data"] or {}).get("rows", []) if isinstance(p["data"], dict) else []) if "skipped" in r), None)
                why = p["error"] or (f"skipped: {skipped}" if skipped else "no rows")
                out.append(f"| {p['backend']} | {p['d']} | {pow2(p['samples'])} | — | — | {why.replace('|', '/')} |")

    out += ["", "## Steps", "", "| step | d | samples | exit | seconds | note |", "|---|---|---|---|---|---|"]
    for s in m["steps"]:
        note = s["error"] or s["note"] or "ok"
        out.append(f"| {s['kind']} {s['backend']} | {s['d']} | {pow2(s['samples'])} | {'' if s['rc'] is None else s['rc']} | {'' if s['secs'] is None else '%.0f' % s['secs']} | {note.replace('|', '/')} |")
    return "\n".join(out) + "\n"


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--work", required=True, help="the run's raw directory (steps.tsv and its files)")
    ap.add_argument("--out-dir", default="bench/results")
    ap.add_argument("--date", default=datetime.now(timezone.utc).strftime("%Y-%m-%d"))
    ap.add_argument("--stem", default="", help="file name without extension (default gpu-<date>-<adapter slug>)")
    ap.add_argument("--setting", action="append", default=[], help="KEY=VALUE recorded in the report (repeatable)")
    ap.add_argument("--no-system", action="store_true", help="do not query nvidia-smi / the platform")
    a = ap.parse_args()
    if not os.path.isfile(os.path.join(a.work, "steps.tsv")):
        sys.exit(f"report.py: {a.work}/steps.tsv not found")
    settings = dict(s.split("=", 1) for s in a.setting if "=" in s)
    merged, md = build(a.work, a.date, settings, with_system=not a.no_system)
    stem = a.stem or f"gpu-{a.date}-{merged['adapterSlug']}"
    os.makedirs(a.out_dir, exist_ok=True)
    jp, mp = os.path.join(a.out_dir, stem + ".json"), os.path.join(a.out_dir, stem + ".md")
    with open(jp, "w", encoding="utf-8") as f:
        json.dump(merged, f, indent=2)
        f.write("\n")
    with open(mp, "w", encoding="utf-8") as f:
        f.write(md)
    print(jp)
    print(mp)


if __name__ == "__main__":
    main()
