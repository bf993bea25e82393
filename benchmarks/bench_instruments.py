"""Benchmark: instrument mentions read from typed questions, the old reader vs `find_instruments`.

Run: .venv/bin/python benchmarks/bench_instruments.py   (reads git history, writes nothing)

The questions and the instruments each one names are the hand-written table `TYPED_MENTIONS` of
tests/test_market_symbols.py. The old reader is the catalogue and cue lists as they were at
commit BEFORE (find_symbols for served instruments, assistant.reading.cues.unlisted_indexes for the
others), loaded from git. Counted right:
- old: the set of served symbols and the set of unserved ids (Yahoo ticker, or the word for a
  bare ticker) both equal the expected ones (order not checked: lenient to the old reader);
- new: the same sets (lenient), and the exact ordered list with served flags (strict).
Prints both counts per group, the cases the new finder still gets wrong, and the time per call.
"""

from __future__ import annotations

import subprocess
import sys
import time
import types
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from knowledge.market import find_instruments  # noqa: E402
from tests.test_market_symbols import TYPED_MENTIONS  # noqa: E402

BEFORE = "80571f7"  # main before the single catalogue

# A second, held-out set: written by hand after the finder was built and before it was run on
# them (the table in the test was grown while building the finder, so it flatters it).
HELD_OUT: tuple[tuple[str, str], ...] = (
    ("how's the russell doing vs the spx this month", "RUT SPX"),
    ("compare qqq and spy over h1 2025", "QQQ SPY"),
    ("did semis beat the nasdaq 100 in q3", "SOX NDX"),
    ("where is the vix now", "VIX"),
    ("10 yr yield since the fed cut", "US10Y"),
    ("is nvda outperforming sox", "!NVDA SOX"),
    ("amzn vs qqq ytd", "!AMZN QQQ"),
    ("how did the dow jones do last week", "DJI"),
    ("标普500和纳斯达克今年谁涨得多", "SPX IXIC"),
    ("小盘股最近三个月跑赢大盘了吗", "RUT SPX"),
    ("罗素2000的最大回撤", "RUT"),
    ("美债10年期收益率现在多少", "US10Y"),
    ("英伟达最近怎么样", "!NVDA"),
    ("比特币和黄金哪个涨得多", "!BTC-USD !GC=F"),
    ("恒指今年", "!^HSI"),
    ("qqq和纳指100有什么区别", "QQQ NDX"),
    ("iwm的夏普比率", "IWM"),
    ("vix和spx的相关性", "VIX SPX"),
    ("how did small cap stocks do in 2024", "RUT"),
    ("nasdaq composite vs s&p 500 since 2020", "IXIC SPX"),
    ("chip stocks vs big tech", "SOX NDX"),
    ("oil and the 10-year", "!CL=F US10Y"),
    ("what about msft", "!MSFT"),
    ("is AI driving the S&P?", "SPX"),
    ("SPY vs VOO", "SPY !VOO"),
    ("how did the hang seng do", "!^HSI"),
    ("dax vs ftse", "!^GDAXI !^FTSE"),
    ("the GDP report and small caps", "RUT"),
    ("半导体和科技股的对比", "SOX NDX"),
    ("道指和道指ETF", "DJI !DIA"),
    ("Tesla stock since January", "!TSLA"),
    ("what do analysts say about the russell 2000", "RUT"),
    ("WSJ says the S&P is overvalued", "SPX"),
    ("taiwan semi vs smh", "!TSM !SMH"),
    ("nasdaq100 ytd", "NDX"),
    ("s and p 500 vs rut", "SPX RUT"),
    ("spx and 纳指", "SPX IXIC"),
    ("日经和上证", "!^N225 !000001.SS"),
    ("eth vs btc", "!ETH-USD !BTC-USD"),
    ("the ten year treasury yield in 2025", "US10Y"),
)


def _old_readers() -> tuple[types.ModuleType, types.ModuleType] | None:
    """The old knowledge.market.symbols and assistant.cues (before they moved), executed from git as fresh modules."""
    try:
        sources = [subprocess.run(["git", "show", f"{BEFORE}:{path}"], cwd=ROOT, capture_output=True, text=True,
                                  check=True).stdout
                   for path in ("knowledge/market/symbols.py", "assistant/cues.py")]
    except (OSError, subprocess.CalledProcessError):
        return None
    symbols = types.ModuleType("knowledge.market._old_symbols")
    symbols.__package__ = "knowledge.market"
    sys.modules[symbols.__name__] = symbols  # dataclasses look their module up there
    exec(compile(sources[0], "old_symbols.py", "exec"), symbols.__dict__)  # noqa: S102 - our own history
    cues = types.ModuleType("assistant._old_cues")
    cues.__dict__["find_symbols"] = symbols.find_symbols
    sys.modules[cues.__name__] = cues
    code = sources[1].replace("from knowledge.market import find_symbols\n", "")
    exec(compile(code, "old_cues.py", "exec"), cues.__dict__)  # noqa: S102 - our own history
    return symbols, cues


def _expected(spec: str) -> list[tuple[str, bool]]:
    return [(item.lstrip("!"), not item.startswith("!")) for item in spec.split()]


def _group(text: str, spec: str) -> str:
    if not spec:
        return "false-positive traps"
    cjk = any("\u4e00" <= c <= "\u9fff" for c in text)
    latin = any(c.isascii() and c.isalpha() for c in text)
    kind = "unserved" if "!" in spec else "served"
    lang = "mixed" if cjk and latin else ("zh" if cjk else "en")
    return f"{kind} {lang}"


def _sets(pairs: list[tuple[str, bool]]) -> tuple[frozenset[str], frozenset[str]]:
    return frozenset(s for s, ok in pairs if ok), frozenset(s for s, ok in pairs if not ok)


def best_us(fn, texts: list[str], repeat: int = 5) -> float:
    """Fastest of `repeat` passes over `texts`: mean microseconds per call."""
    runs = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        for text in texts:
            fn(text)
        runs.append((time.perf_counter() - t0) / len(texts) * 1e6)
    return min(runs)


def main() -> None:
    old = _old_readers()
    score("Typed mentions (tests/test_market_symbols.py TYPED_MENTIONS)", TYPED_MENTIONS, old)
    score("Held-out questions (HELD_OUT above)", HELD_OUT, old)
    texts = [t for t, _ in TYPED_MENTIONS]
    find_instruments(texts[0])  # build the tables once
    new_us = best_us(find_instruments, texts)
    mean_len = sum(map(len, texts)) / len(texts)
    print(f"find_instruments: {new_us:.0f} us per call (mean question {mean_len:.0f} characters, best of 5 passes)")
    long_text = " ".join(texts[:30])
    print(f"find_instruments on one {len(long_text)}-character text: {best_us(find_instruments, [long_text]):.0f} us")
    if old is not None:
        symbols, cues = old
        old_us = best_us(lambda t: (symbols.find_symbols(t), cues.unlisted_indexes(t)), texts)
        print(f"old find_symbols + unlisted_indexes: {old_us:.0f} us per call; new/old time ratio {new_us / old_us:.2f}")


def score(title: str, cases: tuple[tuple[str, str], ...], old: tuple[types.ModuleType, types.ModuleType] | None) -> None:
    """Print how many of `cases` the old and the new reader get right, per group."""
    totals: Counter[str] = Counter()
    right: dict[str, Counter[str]] = {"old": Counter(), "new lenient": Counter(), "new strict": Counter()}
    misses: list[str] = []
    for text, spec in cases:
        group = _group(text, spec)
        totals[group] += 1
        expected = _expected(spec)
        found = [(m.symbol, m.served) for m in find_instruments(text)]
        right["new strict"][group] += found == expected
        right["new lenient"][group] += _sets(found) == _sets(expected)
        if found != expected:
            misses.append(f"  {text!r}: expected {expected}, got {found}")
        if old is not None:
            symbols, cues = old
            old_found = [(r.symbol, True) for r in symbols.find_symbols(text)]
            old_found += [(u.ticker or u.name, False) for u in cues.unlisted_indexes(text)]
            right["old"][group] += _sets(old_found) == _sets(expected)
    n = sum(totals.values())
    print(f"{title}: {n} questions")
    print(f"{'group':<24}{'n':>5}{'old':>8}{'new lenient':>14}{'new strict':>12}")
    for group in sorted(totals):
        counts = [right[k][group] for k in ("old", "new lenient", "new strict")]
        print(f"{group:<24}{totals[group]:>5}" + "".join(f"{c:>{w}}" for c, w in zip(counts, (8, 14, 12), strict=True)))
    sums = {k: sum(v.values()) for k, v in right.items()}
    old_text = f"{sums['old']}/{n} ({sums['old'] / n:.0%})" if old is not None else "n/a (git history missing)"
    print(f"{'all':<24}{n:>5}   old {old_text}; new lenient {sums['new lenient']}/{n} "
          f"({sums['new lenient'] / n:.0%}); new strict {sums['new strict']}/{n} ({sums['new strict'] / n:.0%})")
    if misses:
        print("New finder misses:")
        print("\n".join(misses))


if __name__ == "__main__":
    main()
