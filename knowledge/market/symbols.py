"""Canonical symbols, their names and the aliases users write (English and Chinese).

Canonical symbols are the CSV file names of the shared market data. An alias maps free text
("小盘股", "Russell 2000", "^RUT") to one of them, and the resolution records a note so an
answer can say which proxy stands for what the user asked about.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .errors import UnknownSymbolError

RATE_UNIT = "percent"  # the unit of a series whose close is a rate (a yield), not a price


@dataclass(frozen=True)
class ResolvedSymbol:
    """The outcome of resolving user text to a canonical symbol."""

    query: str
    symbol: str
    name: str
    note: str | None


@dataclass(frozen=True)
class SymbolInfo:
    """One entry of the catalogue: display name, Yahoo ticker and aliases."""

    symbol: str
    name: str
    yahoo: str
    aliases: tuple[str, ...]
    unit: str = "points"  # RATE_UNIT when the close is a rate (a yield): levels and bp, not returns


CATALOGUE: dict[str, SymbolInfo] = {
    info.symbol: info
    for info in (
        SymbolInfo("RUT", "Russell 2000", "^RUT", (
            "Russell 2000", "Russell2000", "Russell", "R2000", "罗素2000", "罗素 2000", "罗素2000指数",
            "罗素", "小盘股", "小盘", "美国小盘股", "small caps", "small cap", "small-caps", "small-cap",
            "smallcaps", "^RUT")),
        SymbolInfo("SPX", "S&P 500", "^GSPC", (
            "S&P 500", "S&P500", "S&P", "SP500", "SP 500", "S and P 500", "标普500", "标普 500",
            "标普500指数", "标普", "标准普尔500", "大盘股", "大盘", "美国大盘股", "large caps", "large cap",
            "large-caps", "large-cap", "largecaps", "^GSPC", "^SPX")),
        SymbolInfo("NDX", "Nasdaq-100", "^NDX", (
            "Nasdaq-100", "Nasdaq 100", "Nasdaq100", "纳斯达克100", "纳斯达克 100", "纳指100", "纳斯达克100指数",
            "科技股", "tech stocks", "^NDX")),
        SymbolInfo("IXIC", "Nasdaq Composite", "^IXIC", (
            "Nasdaq Composite", "Nasdaq", "纳斯达克综合指数", "纳斯达克", "纳指", "^IXIC")),
        SymbolInfo("DJI", "Dow Jones Industrial Average", "^DJI", (
            "Dow Jones Industrial Average", "Dow Jones", "the Dow", "Dow", "DJIA", "道琼斯", "道琼斯指数",
            "道琼斯工业平均指数", "道指", "^DJI")),
        SymbolInfo("SOX", "PHLX Semiconductor", "^SOX", (
            "PHLX Semiconductor", "Philadelphia Semiconductor", "semiconductor index", "semiconductors",
            "chip stocks", "费城半导体", "费城半导体指数", "半导体", "芯片股", "^SOX")),
        SymbolInfo("VIX", "CBOE Volatility Index", "^VIX", (
            "VIX", "CBOE Volatility Index", "volatility index", "fear index", "恐慌指数", "波动率指数", "^VIX")),
        SymbolInfo("US10Y", "US 10-year Treasury yield", "^TNX", (
            "10-year yield", "10-year yields", "10-year Treasury", "10-year Treasury yields", "10 year yield",
            "10 year yields", "10y yield", "ten-year yield", "Treasury yields", "美国国债收益率", "10年期美债",
            "10年期国债", "十年期美债", "十年期国债", "美债收益率", "^TNX", "DGS10"), unit=RATE_UNIT),
        SymbolInfo("SPY", "SPDR S&P 500 ETF", "SPY", ("SPY", "SPDR S&P 500 ETF")),
        SymbolInfo("QQQ", "Invesco QQQ Trust (Nasdaq-100 ETF)", "QQQ", ("QQQ", "Invesco QQQ")),
        SymbolInfo("IWM", "iShares Russell 2000 ETF", "IWM", ("IWM", "iShares Russell 2000 ETF")),
    )
}

# A ticker the catalogue does not list may still exist at a live provider (AAPL, ^FTSE).
_TICKER = re.compile(r"^\^?[A-Z0-9][A-Z0-9.\-=]{0,9}$")


def _norm(text: str) -> str:
    # Case, spaces, hyphens and full-width characters vary; the meaning does not.
    text = text.strip().lower().replace("＆", "&").replace("（", "(").replace("）", ")")
    return re.sub(r"[\s\-_]+", "", text)


@lru_cache(maxsize=1)
def _alias_table() -> dict[str, str]:
    table: dict[str, str] = {}
    for info in CATALOGUE.values():
        table[_norm(info.symbol)] = info.symbol
        table[_norm(info.name)] = info.symbol
        for alias in info.aliases:
            table.setdefault(_norm(alias), info.symbol)
    return table


def _resolved(query: str, symbol: str) -> ResolvedSymbol:
    info = CATALOGUE[symbol]
    plain = query.strip()
    note = None if plain.upper() == symbol else f"{plain} -> {symbol} ({info.name})"
    return ResolvedSymbol(query=plain, symbol=symbol, name=info.name, note=note)


def lookup(text: str) -> ResolvedSymbol | None:
    """Resolve `text` through the catalogue only; None when it is not listed."""
    symbol = _alias_table().get(_norm(text))
    return _resolved(text, symbol) if symbol else None


def looks_like_ticker(text: str) -> bool:
    """True for strings shaped like an exchange ticker (e.g. AAPL, ^FTSE, BRK-B)."""
    return bool(_TICKER.match(text.strip().upper()))


def resolve_symbol(text: str) -> ResolvedSymbol:
    """Resolve a symbol, name or alias ("小盘股", "^GSPC", "rut") to a canonical symbol.

    Raises UnknownSymbolError when the text is not in the catalogue.
    """
    found = lookup(text)
    if found is None:
        known = ", ".join(CATALOGUE)
        raise UnknownSymbolError(
            f"Unknown symbol '{text.strip()}': use one of {known} or a name like 'Russell 2000' / '标普500'."
        )
    return found


def _is_ascii_word(alias: str) -> bool:
    return alias.isascii()


@lru_cache(maxsize=1)
def _mention_pattern() -> re.Pattern[str]:
    """One regex for every alias, longest first, so '纳斯达克100' wins over '纳斯达克'."""
    parts: list[tuple[str, str]] = []
    for info in CATALOGUE.values():
        for alias in {info.symbol, *info.aliases}:
            if alias.isascii() and alias.replace("^", "").isupper() and " " not in alias:
                # Tickers match case-sensitively: "in a rut" or "spy on" are not index mentions.
                body = re.escape(alias)
            else:
                body = "(?i:" + r"[\s\-]?".join(re.escape(w) for w in alias.split(" ")) + ")"
            if _is_ascii_word(alias):
                body = r"(?<![A-Za-z0-9^])" + body + r"(?![A-Za-z0-9])"
            parts.append((alias, body))
    parts.sort(key=lambda item: len(item[0]), reverse=True)
    return re.compile("|".join(body for _, body in parts))


def find_symbols(text: str) -> list[ResolvedSymbol]:
    """Every index/ETF mention in free text, in order of appearance, one per symbol."""
    seen: set[str] = set()
    found: list[ResolvedSymbol] = []
    for match in _mention_pattern().finditer(text):
        hit = lookup(match.group(0))
        if hit and hit.symbol not in seen:
            seen.add(hit.symbol)
            found.append(hit)
    return found


# ---- TEMPORARY: replaced by the instrument catalogue's finder -------------------------------
@dataclass(frozen=True)
class Mention:
    text: str
    span: tuple[int, int]
    symbol: str
    name: str
    name_zh: str
    how: str
    served: bool
    related: str | None


def find_instruments(text: str) -> list[Mention]:
    out = []
    for r in find_symbols(text):
        info = CATALOGUE[r.symbol]
        zh = next((a for a in info.aliases if re.search(r"[\u4e00-\u9fff]", a)), info.name)
        how = "proxy" if r.note else "name"
        out.append(Mention(r.query, (0, 0), r.symbol, info.name, zh, how, True, None))
    return out
