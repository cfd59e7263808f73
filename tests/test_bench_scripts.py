"""Every benchmark script still imports: they share bench/harness.py, and a moved helper must not leave one
broken until somebody runs it (benchmarks print numbers and are not run by the suite)."""

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SCRIPTS = sorted(p.stem for p in (ROOT / "bench").glob("*.py") if p.stem not in ("__init__", "urls", "settings"))


@pytest.mark.parametrize("name", SCRIPTS)
def test_benchmark_script_imports(name):
    result = subprocess.run(
        [sys.executable, "-c", f"import bench.{name}"], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr[-2000:]
