"""Where the gold sets are, for the benchmarks that score against them (stdlib only: the HeidelTime
worker imports this from its own venv)."""

import importlib.util
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "eval"
SETS = {
    "seed": SHARED / "gold",
    "project": ROOT / "tests" / "data" / "gold",
    "demo": ROOT / "bot" / "data" / "sample" / "gold",
}


def load_scorer() -> ModuleType:
    """../shared/eval/score.py as a module (its matcher and interval rules, for per-pair figures)."""
    spec = importlib.util.spec_from_file_location("ntrack_shared_score", SHARED / "score.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
