"""Finding the `brox serve` command: an explicit path, BROX_BIN, this repository's checkout, node_modules, PATH."""
from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Sequence

from ._protocol import ServerError


def _node() -> str:
    node = os.environ.get("BROX_NODE") or shutil.which("node")
    if not node:
        raise ServerError(
            "Node.js not found: brox's server runs on Node >= 20.19. Install Node "
            "(https://nodejs.org, or your package manager) or set BROX_NODE to the node executable.",
            "NO_NODE")
    if os.sep in node and not os.access(node, os.X_OK):
        raise ServerError(f"BROX_NODE={node} is not an executable file", "NO_NODE")
    return node


def _from_path(path: str, source: str) -> list:
    p = Path(path)
    if not p.exists():
        raise ServerError(f"{source}: {path} does not exist (expected bin/brox.js or a `brox` executable)", "NO_BROX")
    if p.is_dir():  # a checkout or an installed package directory
        p = p / "bin" / "brox.js"
        if not p.exists():
            raise ServerError(f"{source}: {path} has no bin/brox.js", "NO_BROX")
    if p.suffix == ".js":
        if not (p.parent.parent / "dist" / "cli.js").exists():
            raise ServerError(f"{source}: {p} has no built dist/cli.js next to it: run `npm run build` (or `npx vite build`) in {p.parent.parent}", "NO_BROX")
        return [_node(), str(p)]
    return [str(p)]


def _checkout() -> Path | None:
    """bin/brox.js of the repository this package sits in (an editable / in-tree use)."""
    here = Path(__file__).resolve()
    for parent in here.parents[1:4]:
        js = parent / "bin" / "brox.js"
        if js.exists() and (parent / "dist" / "cli.js").exists():
            return js
    return None


def server_command(command: str | Sequence[str] | None = None) -> list:
    """The argv that starts brox (without `serve` and its flags).

    In order: `command` (a path to bin/brox.js, to a `brox` executable or to a brox checkout; or an
    argv list, used as is), $BROX_BIN (a path, the same forms), bin/brox.js of the repository this
    package was installed from (editable installs), node_modules/brox in the current directory or a
    parent (what `npx brox` runs), then `brox` on PATH (npm install -g brox). Node is $BROX_NODE or `node`.
    """
    if command is not None:
        if isinstance(command, (list, tuple)):
            if not command or not all(isinstance(c, str) for c in command):
                raise TypeError("command: must be a path or a non-empty list of strings")
            return list(command)
        if not isinstance(command, (str, os.PathLike)):
            raise TypeError(f"command: must be a path or a list of strings, got {type(command).__name__}")
        return _from_path(os.fspath(command), "command")
    env = os.environ.get("BROX_BIN")
    if env:
        return _from_path(env, "BROX_BIN")
    js = _checkout()
    if js is not None:
        return [_node(), str(js)]
    local = _node_modules()
    if local is not None:
        return [_node(), str(local)]
    exe = shutil.which("brox")
    if exe:
        return [exe]
    _node()  # a missing Node is the first thing to say
    raise ServerError(
        "brox not found: install it (npm install brox, in this directory or a parent, or npm install -g brox), "
        "or pass Client(command='path/to/bin/brox.js'), or set BROX_BIN.", "NO_BROX")


def _node_modules() -> Path | None:
    """node_modules/brox/bin/brox.js in the current directory or a parent: what `npx brox` would run,
    found without npx (which asks the npm registry when brox is not installed)."""
    cwd = Path.cwd().resolve()
    for d in [cwd, *cwd.parents]:
        js = d / "node_modules" / "brox" / "bin" / "brox.js"
        if js.exists():
            return js
    return None
