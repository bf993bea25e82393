"""Time-expression readers measured on the hand-written window set, and read_window's per-call time.

    python benchmarks/bench_windows.py   # read_window and dateparser, in the project's venv
    /tmp/tx-eval/bin/python benchmarks/bench_windows.py   # the four libraries, in a scratch venv

The scratch venv: `python3.11 -m venv /tmp/tx-eval && /tmp/tx-eval/bin/pip install dateparser jionlp
recognizers-text-suite timefhuman "emoji<1.0"` (Recognizers-Text 1.0.2a2 imports `UNICODE_EMOJI`,
gone from emoji 1.0+). It lacks the project's dependencies, so read_window is measured in the
project's venv; each reader prints "not installed" where it cannot run.

The set is tests/data/window_expressions.jsonl: questions typed the way people type them, each with
the window a person wrote down before any reader ran (reference day = the data's last day).
Scoring, the same for every reader: a span is right when both its first and last day equal the
expected ones (a period running past the reference is clipped to it, as read_window does). Libraries
that return points (a single date) get credit when the point is the expected first day and the
expected window ends on that day or at the reference, which is generous to them. Anchored windows
(the low/high/selloff is found later in prices) and windows tied to the previous turn have no
first day to compare, so no library can get them; they are counted separately.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
SETS = {
    "development set (the rules were written against it)": ROOT / "tests" / "data" / "window_expressions.jsonl",
    "held-out set (written after the rules, before running them)":
        ROOT / "tests" / "data" / "window_expressions_holdout.jsonl",
}
DEFAULT_TODAY = "2026-08-23"
DEFAULT_DATA_END = "2026-08-21"

Reading = tuple[str, date, date] | None  # ("span", start, end) or ("point", day, day)


def load_cases(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def context(case: dict) -> tuple[date, date | None, date, tuple[date, date] | None]:
    """today, data_end, reference and previous window of one case."""
    today = date.fromisoformat(case.get("today", DEFAULT_TODAY))
    raw_end = case.get("data_end", DEFAULT_DATA_END)
    data_end = date.fromisoformat(raw_end) if raw_end else None
    reference = data_end if data_end and data_end < today else today
    previous = tuple(date.fromisoformat(d) for d in case["previous"]) if case.get("previous") else None
    return today, data_end, reference, previous


def is_right(case: dict, reading: Reading, reference: date) -> bool:
    if reading is None or case["start"] is None:
        return False
    start, end = date.fromisoformat(case["start"]), date.fromisoformat(case["end"])
    shape, first, last = reading
    if shape == "point":
        return first == start and end in (first, reference)
    return first == start and min(last, reference) == end


def _day(value) -> date:
    return value.date() if isinstance(value, datetime) else value


def dateparser_reader() -> Callable[[dict], Reading]:
    from dateparser.search import search_dates

    def read(case: dict) -> Reading:
        _, _, reference, _ = context(case)
        settings = {"RELATIVE_BASE": datetime.combine(reference, datetime.min.time()),
                    "PREFER_DATES_FROM": "past", "PREFER_DAY_OF_MONTH": "first"}
        found = search_dates(case["q"], languages=[case["lang"]], settings=settings) or []
        days = [_day(d) for _, d in found]
        if not days:
            return None
        if len(days) >= 2:
            return ("span", days[0], days[1])
        return ("point", days[0], days[0])

    return read


def jionlp_reader() -> Callable[[dict], Reading]:
    import jionlp

    def read(case: dict) -> Reading:
        _, _, reference, _ = context(case)
        base = time.mktime(datetime.combine(reference, datetime.min.time()).timetuple())
        try:
            found = jionlp.ner.extract_time(case["q"], time_base=base, with_parsing=True)
        except Exception:  # the library raises on some inputs; that counts as not read
            return None
        spans = [f["detail"]["time"] for f in found if isinstance(f.get("detail", {}).get("time"), list)]
        if not spans:
            return None
        first = datetime.fromisoformat(spans[0][0]).date()
        last_raw = spans[-1][1]
        last = reference if last_raw == "inf" else datetime.fromisoformat(last_raw).date()
        return ("span", first, last)

    return read


def recognizers_reader() -> Callable[[dict], Reading]:
    from recognizers_date_time import Culture, recognize_datetime

    def read(case: dict) -> Reading:
        _, _, reference, _ = context(case)
        culture = Culture.English if case["lang"] == "en" else Culture.Chinese
        ref_dt = datetime.combine(reference, datetime.min.time())
        for result in recognize_datetime(case["q"], culture, reference=ref_dt):
            values = (result.resolution or {}).get("values") or []
            # ambiguous readings come as past and future options: keep the latest one not after the reference
            past = [v for v in values if (v.get("start") or v.get("value") or "9999")[:10] <= reference.isoformat()]
            if not past:
                continue
            value = past[-1]
            if value.get("type") in ("daterange", "datetimerange") and value.get("start"):
                first = date.fromisoformat(value["start"][:10])
                if value.get("end"):
                    end = date.fromisoformat(value["end"][:10])
                    # its calendar periods end on the next period's first day (exclusive), while
                    # "from X to Y" ends on Y itself: only a first-of-month end is moved back a day
                    last = end - timedelta(days=1) if end.day == 1 and end < reference else end
                else:
                    last = reference
                return ("span", first, last)
            if value.get("type") in ("date", "datetime") and value.get("value"):
                day = date.fromisoformat(value["value"][:10])
                return ("point", day, day)
        return None

    return read


def timefhuman_reader() -> Callable[[dict], Reading]:
    from timefhuman import timefhuman
    from timefhuman.utils import Direction, tfhConfig

    def read(case: dict) -> Reading:
        _, _, reference, _ = context(case)
        config = tfhConfig(now=datetime.combine(reference, datetime.min.time()), direction=Direction.previous)
        try:
            found = timefhuman(case["q"], config=config)
        except Exception:  # the library raises on some inputs; that counts as not read
            return None
        if not found:
            return None
        first = found[0]
        if isinstance(first, tuple):
            return ("span", _day(first[0]), _day(first[1]))
        if isinstance(first, list):
            return None
        return ("point", _day(first), _day(first))

    return read


def read_window_reader() -> Callable[[dict], Reading]:
    from assistant.reading.windows import read_window

    def read(case: dict) -> Reading:
        today, data_end, _, previous = context(case)
        window = read_window(case["q"], today=today, data_end=data_end, previous=previous)
        if window is None or window.start is None or window.end is None:
            return None
        return ("span", window.start, window.end)

    return read


READERS = {
    "dateparser": dateparser_reader,
    "jionlp": jionlp_reader,
    "recognizers-text": recognizers_reader,
    "timefhuman": timefhuman_reader,
    "read_window": read_window_reader,
}


def measure(name: str, cases: list[dict]) -> dict | None:
    started = time.perf_counter()
    try:
        reader = READERS[name]()
    except ImportError:
        return None
    import_seconds = time.perf_counter() - started
    right: dict[str, list[str]] = {"en": [], "zh": []}
    started = time.perf_counter()
    for case in cases:
        _, _, reference, _ = context(case)
        if is_right(case, reader(case), reference):
            right[case["lang"]].append(case["id"])
    per_call_ms = (time.perf_counter() - started) / len(cases) * 1e3
    return {"import_s": import_seconds, "per_call_ms": per_call_ms, "right": right}


def report(title: str, cases: list[dict]) -> dict:
    print(f"\n== {title}")
    comparable = [c for c in cases if c["start"] is not None and not c.get("ties")]
    totals = {lang: sum(c["lang"] == lang for c in comparable) for lang in ("en", "zh")}
    print(f"{len(cases)} expressions; {len(comparable)} with a first day to compare "
          f"(en {totals['en']}, zh {totals['zh']}); the other {len(cases) - len(comparable)} are "
          "anchored or tied to the previous turn")
    print(f"{'reader':18} {'en':>9} {'zh':>9} {'all':>9} {'import s':>9} {'ms/call':>8}")
    results = {}
    for name in READERS:
        result = measure(name, comparable)
        if result is None:
            print(f"{name:18} not installed in this interpreter")
            continue
        results[name] = result
        en, zh = len(result["right"]["en"]), len(result["right"]["zh"])
        print(f"{name:18} {en:>4}/{totals['en']:<4} {zh:>4}/{totals['zh']:<4} "
              f"{en + zh:>4}/{len(comparable):<4} {result['import_s']:>9.2f} {result['per_call_ms']:>8.1f}")
    kinds = sorted({c["kind"] for c in comparable})
    print("right per kind of window: " + ", ".join(
        f"{kind} ({sum(c['kind'] == kind for c in comparable)})" for kind in kinds))
    for name, result in results.items():
        right = set(result["right"]["en"]) | set(result["right"]["zh"])
        print(f"  {name:16} " + "  ".join(
            f"{kind} {sum(c['kind'] == kind and c['id'] in right for c in comparable)}" for kind in kinds))
    if "--ids" in sys.argv:
        for name, result in results.items():
            wrong = [c["id"] for c in comparable if c["id"] not in result["right"][c["lang"]]]
            print(f"{name} wrong: {' '.join(wrong)}")
    read_window_wrong = [c for c in cases if not _read_window_matches(c)] if "read_window" in results else []
    if "read_window" in results:
        print(f"read_window, every field (kind, dates, partial, tie, anchor) on all {len(cases)}: "
              f"{len(cases) - len(read_window_wrong)}/{len(cases)}"
              + (f"; wrong: {' '.join(c['id'] for c in read_window_wrong)}" if read_window_wrong else ""))
    return results


def _read_window_matches(case: dict) -> bool:
    from assistant.reading.windows import read_window

    today, data_end, _, previous = context(case)
    window = read_window(case["q"], today=today, data_end=data_end, previous=previous)
    if window is None:
        return False
    anchor = (window.anchor.kind, window.anchor.year, window.anchor.month) if window.anchor else None
    expected_anchor = tuple(case["anchor"]) if case.get("anchor") else None
    return (window.kind == case["kind"] and window.start == (date.fromisoformat(case["start"]) if case["start"] else None)
            and window.end == date.fromisoformat(case["end"]) and window.partial == case.get("partial", False)
            and window.ties_to_previous == case.get("ties", False) and anchor == expected_anchor)


def main() -> None:
    results = {}
    all_cases: list[dict] = []
    for title, path in SETS.items():
        cases = load_cases(path)
        all_cases += cases
        results = report(title, cases)
    if "read_window" in results:
        from assistant.reading.windows import read_window

        cases = all_cases

        rounds = 20
        started = time.perf_counter()
        for _ in range(rounds):
            for case in cases:
                today, data_end, _, previous = context(case)
                read_window(case["q"], today=today, data_end=data_end, previous=previous)
        per_call = (time.perf_counter() - started) / (rounds * len(cases))
        print(f"read_window: {per_call * 1e3:.2f} ms per call (warm, mean over {rounds * len(cases)} calls)")
        print(cold_timings())


COLD = """
import time
started = time.perf_counter()
from datetime import date
from assistant.reading.windows import read_window
imported = time.perf_counter()
read_window("spx since March 10", today=date(2026, 8, 23), data_end=date(2026, 8, 21))
first = time.perf_counter()
print(f"read_window cold, fresh interpreter: import {imported - started:.3f} s (with the knowledge "
      f"package, for shift_months; the app has it loaded already); first call with a "
      f"month-name date (loads dateparser) {first - imported:.3f} s")
"""


def cold_timings() -> str:
    done = subprocess.run([sys.executable, "-c", COLD], cwd=ROOT, capture_output=True, text=True, check=True)
    return done.stdout.strip()


if __name__ == "__main__":
    main()
