"""Pure pieces of the knowledge base: chunking, address policy, dates, fusion, filters, dedupe."""

from __future__ import annotations

import re

import pytest

from knowledge.chunking import chunk_text, detect_language, split_sentences
from knowledge.fetch import FetchError, check_url, is_public_address
from knowledge.loaders.base import normalise_date
from knowledge.loaders.text import split_front_matter
from knowledge.models import SourceInfo
from knowledge.retrieval import near_duplicates, rrf_fuse, source_matches, tokenize


def test_chunks_never_cut_chinese_sentences():
    sentence = "小盘股的盈利增速在复苏早期通常快于大盘股。"
    text = "# 标题\n\n" + sentence * 80
    chunks = chunk_text(text)
    # 80 sentences of 21 chars = 1680 chars: at ~600 per chunk that is 3 chunks.
    assert len(chunks) == -(-len(sentence) * 80 // 600)
    assert "".join(c.text.replace("# 标题", "").strip() for c in chunks) == sentence * 80
    for c in chunks:
        body = c.text.replace("# 标题", "").strip()
        assert body.endswith("。"), body[-10:]
        assert len(c.text) <= 700
    # No text lost: every sentence survives exactly once.
    assert sum(c.text.count(sentence) for c in chunks) == 80
    assert [c.position for c in chunks] == list(range(len(chunks)))


def test_chunks_follow_headings_and_keep_tables_whole():
    table = "| y | a | b |\n|---|---|---|\n" + "\n".join(f"| {y} | 1.0% | 2.0% |" for y in range(2000, 2010))
    text = f"# One\n\nFirst para.\n\n# Two\n\nSecond para.\n\n{table}\n"
    chunks = chunk_text(text)
    assert chunks[0].heading == "One" and "First para." in chunks[0].text
    assert all("Second" not in c.text for c in chunks if c.heading == "One")
    assert sum(c.text.count("| 2005 |") for c in chunks) == 1
    assert any(table in c.text for c in chunks)


def test_split_sentences_mixed():
    assert split_sentences("涨了。跌了！为什么？Because. OK") == ["涨了。", "跌了！", "为什么？", "Because.", "OK"]
    assert split_sentences("Growth was 3.5% in 2026. Next.") == ["Growth was 3.5% in 2026.", "Next."]


def test_detect_language():
    assert detect_language("小盘股相对大盘股的表现") == "zh"
    assert detect_language("Small caps beat large caps") == "en"
    assert detect_language("Малые компании растут") == "und"


@pytest.mark.parametrize(
    "address",
    ["10.0.0.1", "172.16.0.5", "172.31.255.255", "192.168.1.1", "127.0.0.1", "127.8.9.10",
     "169.254.169.254", "100.64.0.1", "0.0.0.0", "224.0.0.1", "255.255.255.255", "::1", "::",
     "::ffff:127.0.0.1", "::ffff:10.0.0.1", "fe80::1", "fc00::1", "fd12:3456::1",
     "2130706433", 2130706433, "0x7f000001", "0177.0.0.1", "127.1", "[::1]", "2002:7f00:1::",
     "64:ff9b::a9fe:a9fe", "::127.0.0.1", "not-an-ip", ""],
)
def test_non_public_addresses_refused(address):
    assert is_public_address(address) is False


@pytest.mark.parametrize("address", ["8.8.8.8", "1.1.1.1", "93.184.215.14", "2606:4700:4700::1111"])
def test_public_addresses_accepted(address):
    assert is_public_address(address) is True


@pytest.mark.parametrize(
    "url",
    ["http://127.0.0.1/", "http://2130706433/", "http://0x7f.0.0.1/", "http://[::1]:8080/",
     "http://[::ffff:127.0.0.1]/", "http://169.254.169.254/latest/meta-data/", "http://localhost/",
     "http://metadata.google.internal/", "file:///etc/passwd", "ftp://example.com/",
     "http://user:pw@8.8.8.8/", "http://10.1.2.3:9000/x"],
)
def test_check_url_refuses_without_traffic(url):
    # All literal or reserved names: refused before any connection is attempted.
    with pytest.raises(FetchError):
        check_url(url)


def test_normalise_date_keeps_precision():
    assert normalise_date("2026-01-05") == "2026-01-05"
    assert normalise_date("2025-12") == "2025-12"
    assert normalise_date("D:20240131120000+00'00'") == "2024-01-31"
    assert normalise_date("yesterday") is None


def test_front_matter():
    meta, body = split_front_matter("---\ntitle: A: B\ndemo: true\n---\n# H\ntext")
    assert meta == {"title": "A: B", "demo": "true"} and body.startswith("# H")


def test_rrf_fuse_matches_formula():
    fused = rrf_fuse([["a", "b"], ["b", "c"]], k=60)
    assert fused["b"] == pytest.approx(1 / 62 + 1 / 61)
    assert fused["a"] == pytest.approx(1 / 61)
    assert fused["c"] == pytest.approx(1 / 62)


def _src(published, publisher="Reuters", language="en"):
    return SourceInfo(source_id="x", title="t", publisher=publisher, published=published,
                      language=language, content_hash="h", chunks=1, ingested_at="2026-01-01")


def test_source_filters():
    assert source_matches(_src("2025-12"), "2025-12-15", None, None, None)
    assert not source_matches(_src("2025-12"), "2026-01-01", None, None, None)
    assert source_matches(_src("2026-01-05"), "2026-01-01", "2026-01-31", "reuters", "en")
    assert not source_matches(_src("2026-01-05"), None, "2026-01-04", None, None)
    assert not source_matches(_src(None), "2020-01-01", None, None, None)
    assert not source_matches(_src("2026-01-05"), None, None, "Benzinga", None)
    assert not source_matches(_src("2026-01-05"), None, None, None, "zh")


def test_near_duplicates_collapse():
    a = "Small caps rallied as rate cut hopes grew and the Russell 2000 hit a record."
    texts = [a, a.replace("record", "record high"), "Bond yields fell for a third week."]
    assert near_duplicates(texts) == [0, 2]


def test_tokenize_chinese_and_english():
    tokens = tokenize("小盘股估值 Small Caps EPS growth 3.5%")
    assert "小盘" in tokens or "小盘股" in tokens
    assert "估值" in tokens
    assert {"small", "cap", "ep", "growth"} <= set(tokens) or {"small", "cap", "growth"} <= set(tokens)
    assert all(re.fullmatch(r"\S+", t) for t in tokens)


def test_glossary_expansion_both_directions():
    from knowledge.glossary import expand_query

    expanded = expand_query("对冲基金在铜上的持仓变化")
    assert {"hedge", "funds", "copper", "positions"} <= set(expanded.split())
    # Longest match first: 布伦特原油 is Brent crude, not just crude oil.
    assert "brent crude" in expand_query("布伦特原油的目标价")
    assert "小盘股" in expand_query("small caps earnings") and "降息" in expand_query("Fed rate cuts")
    assert expand_query("nothing to see here") == "nothing to see here"
