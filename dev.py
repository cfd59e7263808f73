#!/usr/bin/env python3
"""One-command set-up for a machine with only Python 3.11+.

    python3 dev.py run    # set up, load the demo city, run the portal on http://127.0.0.1:8000
    python3 dev.py test   # set up and run the test suite

Creates .venv, installs the project with its dev extra, then runs the command. Standard library only.
"""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PY = BIN / ("python.exe" if os.name == "nt" else "python")
STAMP = VENV / ".installed"


def sh(*cmd, env=None) -> None:
    print("+", " ".join(str(c) for c in cmd), flush=True)
    result = subprocess.run([str(c) for c in cmd], cwd=ROOT, env=env)
    if result.returncode != 0:
        sys.exit(result.returncode)


def setup() -> None:
    if sys.version_info < (3, 11):
        sys.exit("Python 3.11 or newer is required (this is %s)." % sys.version.split()[0])
    if not PY.exists():
        sh(sys.executable, "-m", "venv", VENV)
    pyproject = ROOT / "pyproject.toml"
    if not STAMP.exists() or STAMP.stat().st_mtime < pyproject.stat().st_mtime:
        sh(PY, "-m", "pip", "install", "--quiet", "--upgrade", "pip")
        sh(PY, "-m", "pip", "install", "--quiet", "-e", ".[dev]")
        STAMP.touch()


def main() -> None:
    what = sys.argv[1] if len(sys.argv) > 1 else "help"
    extra = sys.argv[2:]
    if what not in ("run", "test", "setup"):
        print(__doc__)
        sys.exit(2)
    setup()
    if what == "run":
        env = {**os.environ, "DEBUG": os.environ.get("DEBUG", "True")}
        sh(PY, "manage.py", "migrate", "--no-input", env=env)
        sh(
            PY,
            "manage.py",
            "seed_demo",
            *(["--password", os.environ["DEMO_PASSWORD"]] if "DEMO_PASSWORD" in os.environ else []),
            env=env,
        )
        sh(PY, "manage.py", "run_portal", *extra, env=env)
    elif what == "test":
        sh(PY, "-m", "pytest", *extra)


if __name__ == "__main__":
    main()
