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
