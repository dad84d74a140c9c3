"""The Python tests run against this checkout's real server: node bin/brox.js serve (needs dist/)."""
import os
import sys
from pathlib import Path

import pytest

PY = Path(__file__).resolve().parents[1]
REPO = PY.parent
BROX_JS = REPO / "bin" / "brox.js"

sys.path.insert(0, str(PY))
# Dask worker processes import brox too
os.environ["PYTHONPATH"] = os.pathsep.join([str(PY)] + [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p])
os.environ.setdefault("BROX_BACKEND", "cpu")  # the module-level default client: no GPU probe in tests

if not (REPO / "dist" / "cli.js").exists():
    raise RuntimeError(f"{REPO}/dist/cli.js is missing: build first (npm run build, or npx vite build)")

# CPU backend, one worker thread: the tests share a small machine
SERVER = {"command": str(BROX_JS), "backend": "cpu", "threads": 1}


@pytest.fixture(scope="module")
def client():
    import brox
    with brox.Client(**SERVER) as c:
        yield c
