import pytest

from desktop.domain.offsets import Utf16Map, check_span, content_id

TEXTS = ["", "plain ascii", "a😀b", "😀😀", "x😀y😀😀z — “é”", "🇺🇳 UN 𝔘𝔫𝔦𝔠𝔬𝔡𝔢"]


@pytest.mark.parametrize("text", TEXTS)
def test_utf16_offsets_match_qt_counting(text: str) -> None:
    m = Utf16Map(text)
    for i in range(len(text) + 1):
        units = len(text[:i].encode("utf-16-le")) // 2
        assert m.to_utf16(i) == units
        assert m.from_utf16(units) == i


def test_check_span_rejects_out_of_range_and_reversed() -> None:
    check_span("hello", 0, 5)
    for start, end in [(-1, 2), (3, 2), (2, 2), (0, 6)]:
        with pytest.raises(ValueError):
            check_span("hello", start, end)


def test_content_id_is_stable_and_differs_by_text() -> None:
    assert content_id("a") == content_id("a")
    assert content_id("a") != content_id("b")


@pytest.mark.parametrize(
    "text,sel,expected",
    [
        ("John Smith said", (1, 8), "John Smith"),
        ("John Smith said", (0, 5), "John"),
        ("  Kim Jong Un  ", (0, 15), "Kim Jong Un"),
        ("Park Won-gon, a", (6, 8), "Won-gon"),
        ("the ministry's view", (5, 9), "ministry's"),
        ("emoji 😀 Ann Lee!", (9, 13), "Ann Lee"),
        ("a, b", (1, 2), ","),
    ],
)
def test_snap_to_tokens(text: str, sel: tuple[int, int], expected: str) -> None:
    from desktop.domain.offsets import snap_to_tokens

    start, end = snap_to_tokens(text, *sel)
    assert text[start:end] == expected


@pytest.mark.parametrize(
    "text,selected,kind,inner",
    [
        ('She said: "We will win." Then', '"We will win."', "direct", "We will win."),
        ('She said: "We will win." Then', "We will win.", "direct", "We will win."),
        ("“Not now,” he said.", "“Not now,”", "direct", "Not now,"),
        ('He said talks "indicated" a deal.', 'talks "indicated" a deal', "mixed",
         'talks "indicated" a deal'),
        ("He said the plan failed.", "the plan failed", "indirect", "the plan failed"),
    ],
)
def test_quote_span_infers_kind_and_drops_marks(
    text: str, selected: str, kind: str, inner: str
) -> None:
    from desktop.domain.offsets import quote_span

    start = text.index(selected)
    got_kind, s, e = quote_span(text, start, start + len(selected))
    assert (got_kind, text[s:e]) == (kind, inner)
