"""Rebuild the embedded price snapshot (knowledge/market/data/closes.csv.xz) from a data folder.

    python scripts/build_snapshot.py [folder]   # default: $FINSIGHT_MARKET_DATA_DIR, else ../shared/market-data

One wide CSV, xz-compressed: a `date` column and one column of daily closes per symbol, the
cells copied as text from the source files (no rounding, no filling: an empty cell is a day
the source had no close). Only closes: every metric the engine computes reads the close.
"""

from __future__ import annotations

import lzma
import os
import sys
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "knowledge" / "market" / "data" / "closes.csv.xz"


def build(source: Path, out: Path = OUT) -> pd.DataFrame:
    """Write the snapshot of every `<SYMBOL>.csv` in `source` to `out`; returns the wide frame."""
    columns = {}
    for path in sorted(source.glob("*.csv")):
        raw = pd.read_csv(path, dtype=str, keep_default_na=False)
        raw = raw[raw["close"].str.strip() != ""]
        columns[path.stem.upper()] = raw.set_index("date")["close"]
    if not columns:
        raise SystemExit(f"no <SYMBOL>.csv files in {source}")
    wide = pd.DataFrame(columns).sort_index()
    wide.index.name = "date"
    out.parent.mkdir(parents=True, exist_ok=True)
    # preset 9 and a fixed header: the same input gives the same bytes, so git sees no change.
    out.write_bytes(lzma.compress(wide.to_csv(na_rep="").encode(), preset=9))
    return wide


if __name__ == "__main__":
    default = os.environ.get("FINSIGHT_MARKET_DATA_DIR") or ROOT.parent / "shared" / "market-data"
    src = Path(sys.argv[1] if len(sys.argv) > 1 else default)
    frame = build(src)
    print(f"{OUT.relative_to(ROOT)}: {OUT.stat().st_size} bytes, {frame.shape[1]} symbols, "
          f"{frame.index[0]} .. {frame.index[-1]}")
    for symbol in frame.columns:
        col = frame[symbol].dropna()
        print(f"  {symbol:6} {col.index[0]} .. {col.index[-1]}  {col.size} closes")
