"""The provider interface: one small protocol, one module per source (CSV folder, yfinance, ...).

A provider returns the whole daily history of a symbol as a frame in the normal form below;
the service slices windows from it, so a provider never needs to know about periods.
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable

import numpy as np
import pandas as pd

from .errors import ProviderError

COLUMNS = ("open", "high", "low", "close", "volume")


@runtime_checkable
class PriceProvider(Protocol):
    """A source of daily prices. Adding FRED, Stooq or a paid feed means one module with this shape."""

    name: str

    def fetch(self, symbol: str) -> pd.DataFrame | None:
        """Full daily history of a canonical symbol in normal form, or None when this source lacks it.

        Raises ProviderError when the source exists but fails (network error, malformed file).
        """
        ...


def normalise(frame: pd.DataFrame, origin: str) -> pd.DataFrame:
    """Normal form: DatetimeIndex named 'date' (ascending, unique), float columns open..volume,
    rows without a close dropped. `origin` names the file/feed in error messages."""
    if "close" not in frame.columns:
        raise ProviderError(f"{origin} has no 'close' column: expected columns date,open,high,low,close,volume.")
    out = pd.DataFrame(index=frame.index)
    for col in COLUMNS:
        if col in frame.columns:
            values = pd.to_numeric(frame[col], errors="coerce")
            bad = values.isna() & frame[col].notna() & (frame[col].astype(str).str.strip() != "")
            if bad.any():
                raise ProviderError(
                    f"{origin} has a non-numeric {col} value ({frame[col][bad].iloc[0]!r}): fix or remove that row."
                )
            out[col] = values.astype("float64")
        else:
            out[col] = np.nan
    out = out[np.isfinite(out["close"].to_numpy())]
    out = out[~out.index.duplicated(keep="last")].sort_index()
    out.index.name = "date"
    return out
