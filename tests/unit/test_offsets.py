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
        (
            'He said talks "indicated" a deal.',
            'talks "indicated" a deal',
            "mixed",
            'talks "indicated" a deal',
        ),
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


# --- ViewMap: store offsets <-> a Qt text view's positions (the Qt side is checked against
# a real document in tests/reliability/test_view_offsets.py)

from hypothesis import given  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from desktop.domain.offsets import ViewMap  # noqa: E402

LINE_ENDS = ["\r\n", "\r", "\n", "\u2028", "\u2029", "\x85", "\x0b", "\x0c", "\x1d"]
VIEW_TEXTS = st.lists(
    st.one_of(st.sampled_from([*LINE_ENDS, "😀", "e\u0301", "\ud800", "ab"]), st.characters()),
    max_size=30,
).map("".join)


def reference_positions(text: str) -> list[int]:
    """The view position of each store offset, counted one character at a time; the
    offset inside a \r\n is the line end's own position."""
    positions, pos = [], 0
    for i, ch in enumerate(text):
        if ch == "\n" and i > 0 and text[i - 1] == "\r":
            positions.append(pos - 1)
        else:
            positions.append(pos)
            pos += 2 if ord(ch) > 0xFFFF else 1
    return [*positions, pos]


@given(VIEW_TEXTS)
def test_view_positions_count_utf16_units_and_one_per_line_end(text: str) -> None:
    m = ViewMap(text)
    ref = reference_positions(text)
    assert [m.to_view(i) for i in range(len(text) + 1)] == ref
    assert len(m.view_text.encode("utf-16-le", "surrogatepass")) // 2 == m.view_length == ref[-1]
    assert "\r" not in m.view_text and not set(m.view_text) & set(LINE_ENDS[3:])
    for i in range(len(text) + 1):
        if 0 < i < len(text) and text[i - 1 : i + 1] == "\r\n":
            assert m.to_view(i, end=True) == ref[i] + 1  # an end takes the whole line end
        else:
            assert m.to_store(m.to_view(i)) == i
            assert m.store_span(*m.view_span(i, i)) == (i, i)


def test_a_position_inside_an_emoji_rounds_down_for_a_start_and_up_for_an_end() -> None:
    m = ViewMap("a😀b")
    assert (m.to_store(2), m.to_store(2, end=True)) == (1, 2)
    assert m.store_span(0, 2) == (0, 2)


def test_positions_outside_the_text_are_clamped() -> None:
    m = ViewMap("ab\r\ncd")
    assert (m.to_view(-3), m.to_view(99), m.to_store(-1), m.to_store(99)) == (0, 5, 0, 6)
