"""Quotation-mark pairing and the cue lexicon (no spaCy needed)."""

from desktop.nlp.attribution.lexicon import load_lexicon, parse_lexicon
from desktop.nlp.attribution.marks import find_quotations, paragraphs


def quoted(text):
    return [text[q.start : q.end] for q in find_quotations(text)]


def test_curly_and_straight_pairs_exclude_the_marks():
    text = 'He said “we won” and then "they lost" too.'
    assert quoted(text) == ["we won", "they lost"]


def test_double_apostrophes_pair_as_one_mark():
    text = "''No comment,'' the clerk said."
    assert quoted(text) == ["No comment,"]


def test_unbalanced_mark_runs_to_the_end_of_its_paragraph():
    text = "Lee said: “We start at dawn and we finish late\nThe next paragraph."
    (q,) = find_quotations(text)
    assert text[q.start : q.end] == "We start at dawn and we finish late"
    assert not q.closed


def test_marks_never_pair_across_paragraphs():
    text = 'First "open\nSecond "closed" here'
    assert quoted(text) == ["open", "closed"]


def test_apostrophes_are_not_single_quotes():
    text = "It’s the mayor’s plan, ‘a bold one’ she’d say."
    assert quoted(text) == ["a bold one"]


def test_paragraphs_are_trimmed_lines():
    assert paragraphs("  One.\n\nTwo.  \n") == [(2, 6), (8, 12)]


def test_lexicon_is_large_and_tagged():
    lex = load_lexicon()
    assert len(lex.verbs) > 150
    for lemma in (
        "say",
        "tell",
        "add",
        "warn",
        "claim",
        "insist",
        "argue",
        "note",
        "explain",
        "acknowledge",
        "deny",
    ):
        assert lex.is_verb_cue(lemma), lemma
    assert lex.verb_has("deny", "obj")
    assert not lex.is_verb_cue("believe") and lex.cue_class("believe") == "belief"
    assert lex.verb_has("note", "aside") and lex.verb_has("call", "for")
    assert ("according", "to") in lex.phrases
    assert "statement" in lex.nouns


def test_lexicon_classes_non_speech_verbs_apart_from_speech_verbs():
    lex = load_lexicon()
    expected = {
        "think": "belief",
        "believe": "belief",
        "know": "knowledge",
        "see": "perception",
        "hear": "perception",
        "find": "finding",
        "show": "finding",
        "want": "wish",
        "plan": "plan",
        "decline": "refusal",
        "support": "stance",
        "discuss": "topic",
    }
    for lemma, kind in expected.items():
        assert lex.cue_class(lemma) == kind, lemma
        assert not lex.is_verb_cue(lemma), lemma
    for lemma in ("say", "snap", "whisper", "tweet", "remind", "claim"):
        assert lex.cue_class(lemma) == "speech", lemma
    assert lex.cue_class("sleep") is None
    assert lex.verb_has("claim", "prop") and not lex.verb_has("cite", "prop")


def test_lexicon_parser_puts_a_class_tag_over_a_plain_listing():
    lex = parse_lexicon("[verbs]\nsay\nfeel\nfeel belief\nhope wish obj\n")
    assert set(lex.verbs) == {"say"}
    assert lex.classes == {"feel": "belief", "hope": "wish"}


def test_lexicon_parser_reads_sections_tags_and_comments():
    lex = parse_lexicon(
        "# c\n[verbs]\nsay\nurge xcomp for # trailing\n[phrases]\nas told by\n[nouns]\nclaim\n"
    )
    assert lex.verbs["urge"] == {"xcomp", "for"}
    assert lex.phrases == (("as", "told", "by"),)
    assert lex.nouns == {"claim"}
