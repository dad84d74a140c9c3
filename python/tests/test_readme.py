"""The README's Python examples ("From Python", "On a cluster (Dask)") run as written."""
import os
import re
import subprocess
import sys

import pytest

from conftest import PY, REPO


def blocks(section: str) -> list:
    text = (REPO / "README.md").read_text()
    start = text.index(f"\n## {section}\n")
    end = text.find("\n## ", start + 1)
    return re.findall(r"```python\n(.*?)```", text[start:end if end > 0 else None], re.S)


@pytest.mark.parametrize("section", ["From Python", "On a cluster (Dask)"])
def test_readme_example_runs(section, tmp_path):
    found = blocks(section)
    assert len(found) == 1, f"README section {section!r}: expected one python block, found {len(found)}"
    script = tmp_path / "example.py"
    script.write_text(found[0])
    env = {**os.environ, "PYTHONPATH": str(PY), "BROX_BACKEND": "cpu", "PYTHONWARNINGS": "ignore"}
    r = subprocess.run([sys.executable, str(script)], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=150)
    assert r.returncode == 0, r.stdout + r.stderr
    lines = r.stdout.strip().splitlines()
    if section == "From Python":
        assert len(lines) == 6 and lines[-1].startswith("timed out"), r.stdout
        assert lines[1].split()[0] in {str(i) for i in range(8)}, r.stdout  # minimize(runs=8): the best run's index first
    else:
        assert len(lines) == 9, r.stdout
