"""Where the gold sets are, for the benchmarks that score against them (stdlib only: the HeidelTime
worker imports this from its own venv)."""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "eval"
SETS = {
    "seed": SHARED / "gold",
    "project": ROOT / "tests" / "data" / "gold",
    "demo": ROOT / "bot" / "data" / "sample" / "gold",
}
