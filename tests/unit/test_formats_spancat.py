"""The README's spancat advice works on the spaCy export: with its edits a ``ner,spancat``
pipeline initializes and scores on the export, and its suggester proposes quotes of 38 and
more tokens, which spancat's default suggester (1-3 tokens) cannot."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from desktop.domain import Article, Entity, Origin, Quote, QuoteKind, Span
from desktop.nlp.docbin import QUOTE_LABELS, QUOTE_SUGGESTER_MAX
from desktop.services import exporting
from desktop.store import Database
from tests.unit.test_formats_common import fill

README = Path(__file__).parents[2] / "README.md"
LONG = (
    "the harbour board would open the north pier to ferries from March, keep the old "
    "warehouse as a market hall, and ask the city for a second crane, because the one it "
    "has now was built in 1961 and cannot lift the new containers that the shipping lines "
    "have started to use this year"
)
TEXT = f'Ines Varga said {LONG}. "We are ready," she added.'


def _article() -> Article:
    article = Article("harbour", TEXT)
    start = TEXT.index(LONG)
    article.entities = [Entity(0, 10, "PERSON", "Ines Varga", Origin.HUMAN)]
    said = TEXT.index("said")
    article.quotes = [
        Quote(
            start,
            start + len(LONG),
            LONG,
            QuoteKind.INDIRECT,
            cue=Span.of(TEXT, said, said + 4),
            speaker=Span.of(TEXT, 0, 10),
            origin=Origin.HUMAN,
        ),
        Quote(
            TEXT.index("We"),
            TEXT.index(',"') + 1,
            "We are ready,",
            QuoteKind.DIRECT,
            origin=Origin.HUMAN,
        ),
    ]
    return article


def _readme_suggester() -> str:
    block = re.search(
        r"```ini\n(\[components\.spancat\.suggester\].*?)```", README.read_text("utf-8"), re.S
    )
    assert block is not None, "the README gives no spancat suggester"
    return block.group(1)


def test_the_readme_spancat_advice_trains_on_the_export(tmp_path: Path) -> None:
    import spacy
    from spacy.cli.init_config import init_config
    from spacy.tokens import DocBin
    from spacy.training import Example
    from thinc.api import Config

    db = Database.open(tmp_path / "s.sqlite3")
    fill(db, [_article()])
    out = tmp_path / "train.spacy"
    exporting.export(db, "spacy", out)
    db.close()

    config = init_config(lang="en", pipeline=["ner", "spancat"], optimize="efficiency")
    text = config.to_str()
    # the README's edits: the spans key, the score weights, the suggester
    text = text.replace('spans_key = "sc"', 'spans_key = "quotes"').replace(
        "spans_sc_", "spans_quotes_"
    )
    text = re.sub(
        r"\[components\.spancat\.suggester\]\n(?:[^\[\n].*\n)*", _readme_suggester() + "\n", text
    )
    config = Config().from_str(text)
    nlp = spacy.util.load_model_from_config(config, auto_fill=True)
    docs = list(DocBin().from_disk(out).get_docs(nlp.vocab))
    assert {s.label_ for s in docs[0].spans["quotes"]} <= set(QUOTE_LABELS.values())
    examples = [Example(nlp.make_doc(d.text), d) for d in docs]
    nlp.initialize(lambda: examples)
    scores = nlp.evaluate(examples)
    assert set(config["training"]["score_weights"]) <= set(scores)  # what `spacy train` needs

    longest = max(docs[0].spans["quotes"], key=len)
    assert 38 <= len(longest) <= QUOTE_SUGGESTER_MAX
    suggested = nlp.get_pipe("spancat").suggester([docs[0]])
    proposed = {tuple(map(int, row)) for row in suggested.dataXd}
    assert (longest.start, longest.end) in proposed
    default = spacy.registry.misc.get("spacy.ngram_suggester.v1")(sizes=[1, 2, 3])
    assert (longest.start, longest.end) not in {
        tuple(map(int, row)) for row in default([docs[0]]).dataXd
    }


@pytest.mark.parametrize("kind", list(QuoteKind))
def test_docbin_quote_labels_are_the_readme_names(kind: QuoteKind) -> None:
    assert f"`{QUOTE_LABELS[kind]}`" in README.read_text("utf-8")
