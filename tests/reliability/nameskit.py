"""Hostile names through the importers, for the names test and the fuzz benchmark: a file
of each format with a hostile name in one field, and the check that the import either
refuses it in one line with nothing written, or stores names the rules allow that export to
CoNLL and brat without adding or splitting a line."""

from __future__ import annotations

import io
import itertools
import json
import re
import zipfile
from pathlib import Path

from hypothesis import event
from hypothesis import strategies as st
from sqlalchemy import func, select

from desktop.domain.names import (
    STRUCTURAL_LABELS,
    check_description,
    check_label,
    check_source_name,
    check_title,
)
from desktop.formats.brat import read_brat
from desktop.formats.conll import read_conll
from desktop.services import exporting, importing
from desktop.store import Database
from desktop.store import repository as repo
from desktop.store.models import ArticleRow, CollectionRow, EditRow
from tests.reliability.roundtrip import hostile_names

TEXT = "Alice Smith met Bob in New York."
ALICE = (0, 11)
ANN_LINE = re.compile(r"^(T\d+\t\S+ \d+ \d+(;\d+ \d+)*\t[^\n\r]*|R\d+\t\S+ Arg1:T\d+ Arg2:T\d+)$")
CONLL_LINE = re.compile(r"^\S+ _ _ (O|[BI]-\S+)$")
_runs = itertools.count()


def one_line(message: str) -> None:
    assert message and "\n" not in message and "\r" not in message, repr(message)
    assert len(message) < 400, message
    assert not any(ch in message for ch in "\u2028\u2029\x85\x00\u202e"), repr(message)


def counts(db: Database) -> tuple[int, int, int]:
    with db.session() as s:
        return (
            s.scalar(select(func.count(ArticleRow.id))) or 0,
            s.scalar(select(func.count(CollectionRow.id))) or 0,
            s.scalar(select(func.count(EditRow.id))) or 0,
        )


def exported_labels(db: Database, folder: Path, collection: str) -> tuple[set[str], set[str]]:
    """Export the collection to CoNLL and brat, check every line's shape, read both back."""
    conll, brat = folder / f"{collection}.conll", folder / f"{collection}.zip"
    exporting.export(db, "conll", conll, collection=collection)
    exporting.export(db, "brat", brat, collection=collection)
    for line in conll.read_text("utf-8").split("\n"):
        assert not line or line.startswith("-DOCSTART-") or CONLL_LINE.match(line), repr(line)
    with zipfile.ZipFile(brat) as zf:
        for name in zf.namelist():
            if name.endswith(".ann"):
                for line in zf.read(name).decode("utf-8").split("\n"):
                    assert not line or ANN_LINE.match(line), repr(line)
    from_conll = {e.label for a in read_conll(conll) for e in a.entities}
    from_brat = {e.label for a in read_brat(brat) for e in a.entities}
    return from_conll, from_brat


def jsonl_file(field: str, name: str) -> bytes:
    entity = {"start": 0, "end": 11, "label": "PERSON"}
    record: dict[str, object] = {"id": "a", "text": TEXT, "entities": [entity]}
    if field == "label":
        entity["label"] = name
    elif field == "title":
        record["title"] = name
    elif field == "id":
        record["id"] = name
    else:  # a source's name or description
        source = {"id": "s1", "name": "Alice Smith", "type": "PERSON", "description": ""}
        source["name" if field == "source" else "description"] = name
        record["sources"] = [source]
    return json.dumps(record, ensure_ascii=False).encode("utf-8", "surrogatepass") + b"\n"


def brat_file(field: str, name: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        zf.writestr("a.txt", TEXT)
        label = name if field == "label" else "PERSON"
        zf.writestr("a.ann", f"T1\t{label} 0 11\tAlice Smith\n".encode("utf-8", "surrogatepass"))
        if field == "title":
            info = json.dumps({"title": name}, ensure_ascii=False)
            zf.writestr("a.json", info.encode("utf-8", "surrogatepass"))
    return buffer.getvalue()


def tool_file(fmt: str, name: str) -> bytes:
    if fmt == "labelstudio":
        value = {"start": 0, "end": 11, "text": "Alice Smith", "labels": [name]}
        task = {"data": {"text": TEXT}, "annotations": [{"result": [{"id": "a", "value": value}]}]}
        text = json.dumps([task], ensure_ascii=False)
    elif fmt == "doccano":
        entity = {"id": 1, "label": name, "start_offset": 0, "end_offset": 11}
        text = json.dumps({"text": TEXT, "entities": [entity], "relations": []}) + "\n"
    elif fmt == "prodigy":
        span = {"start": 0, "end": 11, "label": name}
        text = json.dumps({"text": TEXT, "spans": [span], "answer": "accept"}) + "\n"
    else:  # conll: the label in the tag column
        text = f"Alice _ _ B-{name}\nSmith _ _ I-{name}\nmet _ _ O\n\n"
    return text.encode("utf-8", "surrogatepass")


SUFFIX = {"jsonl": ".jsonl", "brat": ".zip", "labelstudio": ".json", "doccano": ".jsonl"}
SUFFIX |= {"prodigy": ".jsonl", "conll": ".conll"}


def import_case(place: tuple[Database, Path], fmt: str, data: bytes, field: str, name: str) -> bool:
    """Import ``data``; refused in one line with nothing written, or stored and exportable."""
    db, folder = place
    n = next(_runs)
    path = folder / f"case{n}{SUFFIX[fmt]}"
    path.write_bytes(data)
    collection = f"c{n}"
    before = counts(db)
    report = importing.import_paths(db, [path], collection, fmt=fmt)
    if report.errors or not report.added:
        event(f"{fmt} {field}: refused")
        assert len(report.errors) == 1 and not report.added
        one_line(report.errors[0])
        assert counts(db)[0] == before[0], "a refused file wrote articles"
        return False
    event(f"{fmt} {field}: stored")
    with db.session() as s:
        stored = [a for _, a in repo.iter_articles(s, repo.article_ids(s, collection))]
    for article in stored:
        check_title(article.title)
        for source in article.sources:
            check_source_name(source.name)
            check_description(source.description)
        for entity in article.entities:
            check_label(entity.label)
    stored_labels = {e.label for a in stored for e in a.entities}
    if field == "label" and (fmt not in ("conll", "brat") or name == "".join(name.split())):
        # (CoNLL's columns and brat's type field are split at whitespace, so what is read
        # there is not the name; a quote label makes a quote or a source)
        assert stored_labels == (set() if name in STRUCTURAL_LABELS else {name})
    from_conll, from_brat = exported_labels(db, folder, collection)
    assert from_conll == from_brat == stored_labels
    return True


FIELDS = ["label", "title", "id", "source", "description"]


def build(entrance: str, field: str, name: str) -> bytes:
    if entrance == "jsonl":
        return jsonl_file(field, name)
    if entrance == "brat":
        return brat_file(field if field in ("label", "title") else "label", name)
    return tool_file(entrance, name)


ENTRANCES = ["jsonl", "brat", "labelstudio", "doccano", "prodigy", "conll"]
cases = st.tuples(st.sampled_from(ENTRANCES), st.sampled_from(FIELDS), hostile_names)


def check_case(db: Database, folder: Path, case: tuple[str, str, str]) -> bool:
    """One hostile name through one importer; True when it was stored (and exported)."""
    entrance, field, name = case
    field = field if entrance in ("jsonl", "brat") else "label"
    if entrance == "brat" and field not in ("label", "title"):
        field = "label"
    return import_case((db, folder), entrance, build(entrance, field, name), field, name)


# for benchmarks/fuzz.py: name -> (strategy, check)
FUZZ_CASES = {"names": (cases, check_case)}
