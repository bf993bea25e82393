"""The embedded snapshot: daily closes shipped inside the package (see data/README.md).

The last resort of the provider order (a configured folder, then live data, then this), so a
fresh install with no data folder and no network still answers, and says which data it used.
"""

from __future__ import annotations

import io
import lzma
import threading
from datetime import date
from functools import cache
from importlib import resources

import pandas as pd

from .errors import ProviderError
from .provider import normalise

SNAPSHOT_FILE = "closes.csv.xz"


@cache
def _wide() -> pd.DataFrame:
    """The whole snapshot, one close column per symbol, read once per process."""
    blob = resources.files(__package__).joinpath("data", SNAPSHOT_FILE)
    try:
        text = lzma.decompress(blob.read_bytes()).decode("utf-8")
    except (OSError, lzma.LZMAError) as exc:  # a broken install, not a user error
        raise ProviderError(
            f"The embedded price snapshot is missing or damaged ({type(exc).__name__}): reinstall finsight "
            "or set FINSIGHT_MARKET_DATA_DIR to a folder of <SYMBOL>.csv files."
        ) from exc
    wide = pd.read_csv(io.StringIO(text), index_col="date", parse_dates=["date"], dtype=str)
    wide.index.name = "date"
    return wide


_LOCK = threading.Lock()


class SnapshotProvider:
    """Closes from the package's snapshot; open, high, low and volume are empty (NaN)."""

    name = "snapshot"

    def symbols(self) -> list[str]:
        """Symbols the snapshot holds, sorted."""
        with _LOCK:
            return sorted(_wide().columns)

    def as_of(self) -> date:
        """The last day with any close in the snapshot."""
        with _LOCK:
            return _wide().index[-1].date()

    def fetch(self, symbol: str) -> pd.DataFrame | None:
        """The symbol's closes in normal form; None when the snapshot does not hold it."""
        with _LOCK:
            wide = _wide()
        key = symbol.lstrip("^").upper()
        if key not in wide.columns:
            return None
        return normalise(wide[[key]].rename(columns={key: "close"}), f"snapshot {key}")
