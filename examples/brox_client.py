#!/usr/bin/env python3
"""Minimal brox client: starts `brox serve`, defines an objective from an expression, runs BPM.

Standard library only; the packaged client is python/ (`import brox`). Usage: python3 examples/brox_client.py [path/to/brox] [--backend cpu|webgpu|auto]
"""
import json
import subprocess
import sys


class Brox:
    def __init__(self, cmd):
        self.proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, bufsize=1)
        self.next_id = 0

    def call(self, name, /, **params):  # positional-only: `method=` stays free for minimize's own parameter
        self.next_id += 1
        self.proc.stdin.write(json.dumps({"id": self.next_id, "method": name, "params": params}) + "\n")
        self.proc.stdin.flush()
        reply = json.loads(self.proc.stdout.readline())
        assert reply["id"] == self.next_id, reply
        if "error" in reply:
            raise RuntimeError(f"{reply['error']['code']}: {reply['error']['message']}")
        return reply["result"]

    def close(self):
        self.proc.stdin.close()  # EOF ends the server cleanly
        return self.proc.wait(timeout=60)


def main():
    brox = sys.argv[1] if len(sys.argv) > 1 and not sys.argv[1].startswith("--") else "brox"
    backend = sys.argv[sys.argv.index("--backend") + 1] if "--backend" in sys.argv else "auto"
    server = Brox(["node", brox, "serve", "--backend", backend] if brox.endswith(".js") else [brox, "serve", "--backend", backend])
    info = server.call("info")
    print("info:", json.dumps(info))
    print("define:", json.dumps(server.call("define", name="bowl", expr="sum(i, x[i]^2)", dim=4)))
    result = server.call("bpm", objective="bowl", x0=[3, -2, 1, 4], radius=1.5, radiusDecay=0.8, radiusMin=1e-5, samples=65536, seed=1, maxIter=100)
    print("bpm:", json.dumps(result))
    m = server.call("minimize", objective="bowl", x0=[3, -2, 1, 4], method="cma-es", bounds=[-5, 5], seed=1, maxEvals=20000)
    print("minimize:", m["method"], m["fun"])
    try:
        server.call("brox", objective="bowl", x=[1, 2], t=1)
    except RuntimeError as e:
        print("error (expected):", e)
    print("exit code:", server.close())
    assert result["fun"] < 1e-4, result


if __name__ == "__main__":
    main()
