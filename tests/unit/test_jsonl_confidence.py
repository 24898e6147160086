"""JSONL carries the engine's confidences and reasons ("confidence", "reason",
"source_confidence", "source_reason" on a quote) exactly; a quote without them (a
person's, or one from an older export) writes none; a bad value names its quote."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desktop.domain import Article, Origin, Quote, QuoteKind, Source, Span
from desktop.formats.errors import FormatError
from desktop.formats.jsonl import article_from_record, article_record, read_jsonl

TEXT = 'Ann Lee said: "We will win." Bo Chan said the plan failed.'
SOURCES = [Source("s1", "Ann Lee", "PERSON", "", [Span(0, 7, "Ann Lee")])]

confidences = st.one_of(st.none(), st.floats(min_value=0.0, max_value=1.0))
reasons = st.text(max_size=60)


def article(q: Quote) -> Article:
    return Article("a", TEXT, sources=SOURCES, quotes=[q])


def quote(**kw: object) -> Quote:
    return Quote(15, 27, "We will win.", QuoteKind.DIRECT, Span(8, 12, "said"), None, "s1", **kw)  # type: ignore[arg-type]


@given(conf=confidences, reason=reasons, src_conf=confidences, src_reason=reasons)
def test_round_trip_is_exact(
    conf: float | None, reason: str, src_conf: float | None, src_reason: str
) -> None:
    q = quote(
        origin=Origin.MODEL,
        confidence=conf,
        reason=reason,
        source_confidence=src_conf,
        source_reason=src_reason,
    )
    line = json.dumps(article_record(article(q)), ensure_ascii=False)
    back = article_from_record(json.loads(line))
    assert back.quotes == [q]
    assert json.dumps(article_record(back), ensure_ascii=False) == line


def test_the_keys_appear_only_when_the_engine_gave_them() -> None:
    given_all = quote(confidence=0.93, reason="why", source_confidence=0.5, source_reason="how")
    (record,) = article_record(article(given_all))["quotes"]
    assert (record["confidence"], record["reason"]) == (0.93, "why")
    assert (record["source_confidence"], record["source_reason"]) == (0.5, "how")
    (human,) = article_record(article(quote(origin=Origin.HUMAN)))["quotes"]
    assert not {"confidence", "reason", "source_confidence", "source_reason"} & set(human)


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("confidence", "high"),
        ("confidence", True),
        ("confidence", 1.5),
        ("source_confidence", -0.1),
        ("reason", 3),
        ("source_reason", ["a"]),
    ],
)
def test_a_bad_value_names_the_quote_and_the_line(tmp_path: Path, key: str, value: object) -> None:
    record = article_record(article(quote()))
    record["quotes"][0][key] = value
    path = tmp_path / "bad.jsonl"
    path.write_text(json.dumps(record) + "\n", encoding="utf-8")
    with pytest.raises(FormatError) as err:
        list(read_jsonl(path))
    message = str(err.value)
    assert "quote 1" in message and key in message and "\n" not in message


def test_nan_is_refused(tmp_path: Path) -> None:
    record = article_record(article(quote()))
    record["quotes"][0]["confidence"] = float("nan")  # json writes it as NaN
    path = tmp_path / "nan.jsonl"
    path.write_text(json.dumps(record) + "\n", encoding="utf-8")
    with pytest.raises(FormatError, match="confidence"):
        list(read_jsonl(path))
