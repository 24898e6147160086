"""Labels in training: the base model's labels mapped onto the collection's, new labels
seeded from the base labels they obviously are, F1 per label on held-out Docs."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

# the base pipeline's OntoNotes labels that obviously are one of the usual four
ONTONOTES_MAP = {
    "PERSON": "PER",
    "GPE": "LOC",
    "LOC": "LOC",
    "FAC": "LOC",
    "ORG": "ORG",
    "NORP": "MISC",
    "EVENT": "MISC",
    "WORK_OF_ART": "MISC",
    "PRODUCT": "MISC",
    "LAW": "MISC",
    "LANGUAGE": "MISC",
}
ALL = "ALL"
# the labels of the OntoNotes scheme the base pipelines and the quote engine speak
ONTONOTES_LABELS = frozenset(
    {*ONTONOTES_MAP, "DATE", "TIME", "PERCENT", "MONEY", "QUANTITY", "ORDINAL", "CARDINAL"}
)
# how far down the base labels the collection does not use start (a logit)
SUPPRESS = 10.0


# components whose output the entity recognizer does not read: left out when scoring it
NOT_FOR_ENTITIES = frozenset(
    {"tagger", "parser", "senter", "attribute_ruler", "lemmatizer", "quotedesk_paragraph_starts"}
)


@dataclass(frozen=True)
class LabelScore:
    precision: float
    recall: float
    f1: float


def label_mapping(base_labels: Iterable[str], labels: Iterable[str]) -> dict[str, str]:
    """Base label -> collection label: the same name when the collection has it, else the
    obvious OntoNotes one (PERSON->PER, GPE->LOC, ...) when the collection has that."""
    wanted = set(labels)
    mapping: dict[str, str] = {}
    for base in base_labels:
        if base in wanted:
            mapping[base] = base
        elif ONTONOTES_MAP.get(base) in wanted:
            mapping[base] = ONTONOTES_MAP[base]
    return mapping


def score_docs(
    nlp: Language, gold: Sequence[Doc], labels: Iterable[str], mapping: Mapping[str, str]
) -> dict[str, LabelScore]:
    """F1 per label (and ``ALL``, micro) of ``nlp`` on the gold Docs, its labels mapped by
    ``mapping`` and others dropped; spans predicted where the gold is missing are not
    counted (spaCy's ``get_ner_prf``)."""
    from spacy.scorer import get_ner_prf
    from spacy.training import Example

    examples = []
    skip = [name for name in nlp.pipe_names if name in NOT_FOR_ENTITIES]
    for ref, pred in zip(gold, nlp.pipe((d.text for d in gold), disable=skip), strict=True):
        kept = [
            pred.char_span(e.start_char, e.end_char, label=mapping[e.label_])
            for e in pred.ents
            if e.label_ in mapping
        ]
        pred.set_ents([s for s in kept if s is not None], default="outside")
        examples.append(Example(pred, ref))
    prf = get_ner_prf(examples)
    per_type: dict[str, dict[str, float]] = prf.get("ents_per_type") or {}
    scores = {label: _score(per_type.get(label, {})) for label in sorted(set(labels))}
    scores[ALL] = LabelScore(
        float(prf.get("ents_p") or 0.0),
        float(prf.get("ents_r") or 0.0),
        float(prf.get("ents_f") or 0.0),
    )
    return scores


def _score(d: Mapping[str, float]) -> LabelScore:
    return LabelScore(float(d.get("p", 0.0)), float(d.get("r", 0.0)), float(d.get("f", 0.0)))


def seed_sources(labels: Sequence[str], base_labels: Iterable[str]) -> dict[str, str]:
    """Collection label -> the base label it is seeded from (PER from PERSON, LOC from GPE,
    MISC from NORP); a label that is a base label itself, or has none, is left out."""
    base = set(base_labels)
    sources = {}
    for label in labels:
        found = next(
            (
                b
                for b, to in ONTONOTES_MAP.items()
                if to == label and b in base and (b == label or b not in labels)
            ),
            label if label in base else None,
        )
        if found is not None and found != label:
            sources[label] = found
    return sources


def seed_label_weights(ner: Any, labels: Sequence[str]) -> None:
    """Start each new label from the base label it obviously is: its actions (B-, I-, L-,
    U-) get that label's output weights (PER from PERSON, LOC from GPE, MISC from NORP), and
    the actions of base labels the collection does not use are turned down, so that the
    first evaluation already scores like the base model with its labels mapped."""
    moves = ner.moves
    base_labels = set(ner.labels)
    sources = seed_sources(labels, base_labels)
    for label in labels:
        if label not in base_labels:
            ner.add_label(label)
    upper = ner.model.get_ref("upper")
    first_w, first_b = upper.get_param("W"), upper.get_param("b")
    weights, bias = first_w.copy(), first_b.copy()
    names = [moves.get_class_name(i) for i in range(moves.n_moves)]
    index = {name: i for i, name in enumerate(names)}
    for i, name in enumerate(names):
        action, _, label = name.partition("-")
        if label in sources and f"{action}-{sources[label]}" in index:
            j = index[f"{action}-{sources[label]}"]
            weights[i], bias[i] = first_w[j], first_b[j]
            ner.model.attrs["unseen_classes"].discard(i)  # else masked until seen in training
        elif label and label not in labels:
            bias[i] -= SUPPRESS
    upper.set_param("W", weights)
    upper.set_param("b", bias)


SUPPRESS = 10.0
