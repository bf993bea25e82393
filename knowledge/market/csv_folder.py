"""Daily prices from a folder of `<SYMBOL>.csv` files (date,open,high,low,close,volume)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from knowledge.text import first_line

from .errors import ProviderError
from .provider import normalise


class CsvFolderProvider:
    """Reads `<folder>/<SYMBOL>.csv`; the offline provider, also used by the tests."""

    name = "csv"

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder).expanduser()

    def path(self, symbol: str) -> Path:
        """Where the file for `symbol` lives (it may not exist)."""
        return self.folder / f"{symbol.lstrip('^').upper()}.csv"

    def symbols(self) -> list[str]:
        """Symbols with a file in the folder, sorted."""
        if not self.folder.is_dir():
            return []
        return sorted(p.stem.upper() for p in self.folder.glob("*.csv"))

    def fetch(self, symbol: str) -> pd.DataFrame | None:
        """The file's prices in normal form; None when there is no file for `symbol`."""
        path = self.path(symbol)
        if not path.is_file():
            return None
        try:
            raw = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""])
        except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError, OSError) as exc:
            raise ProviderError(f"Cannot read {path}: {first_line(exc)}; fix the file (header date,open,high,low,close,volume).") from exc
        return frame_from_csv(raw, str(path))


def frame_from_csv(raw: pd.DataFrame, origin: str) -> pd.DataFrame:
    """Parse a raw string frame with a `date` column into normal form."""
    raw.columns = [str(c).strip().lower() for c in raw.columns]
    if "date" not in raw.columns:
        raise ProviderError(f"{origin} has no 'date' column: expected header date,open,high,low,close,volume.")
    dates = pd.to_datetime(raw["date"], format="%Y-%m-%d", errors="coerce")
    if dates.isna().any():
        bad = raw["date"][dates.isna()].iloc[0]
        raise ProviderError(f"{origin} has a date that is not YYYY-MM-DD ({bad!r}): fix or remove that row.")
    raw = raw.drop(columns="date")
    raw.index = pd.DatetimeIndex(dates.to_numpy(), name="date")
    return normalise(raw, origin)
