"""Names at every entrance (issue 18, item 10), as a class.

Hostile names (empty, huge, whitespace of every kind, tabs, newlines, NUL, control
characters, bidi overrides, lone surrogates, emoji, combining marks, brat's and CoNLL's own
signs) are pushed through every way a name comes in: the JSONL, brat, Label Studio,
doccano, Prodigy and CoNLL importers, the editor (labels, source names and descriptions),
the collection's labels, and the command line (``--collection``, ``export --labels``).
Each either refuses it in one line with nothing written, or stores a name the rules of
``desktop.domain.names`` allow, which then exports to CoNLL and brat without adding or
splitting a line (the exports are parsed back and compared).
"""

from __future__ import annotations

import contextlib
import io
import itertools
import json
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desktop import cli
from desktop.domain import Article, QuoteKind
from desktop.domain.labels import LabelDef
from desktop.domain.names import (
    check_collection_name,
    check_description,
    check_label,
    check_source_name,
    check_title,
    is_label,
)
from desktop.services import importing, labels
from desktop.services.editing import Editor
from desktop.store import Database
from desktop.store import repository as repo
from desktop.store.annotations import EditError
from tests.reliability.nameskit import (
    ALICE,
    FIELDS,
    TEXT,
    brat_file,
    counts,
    exported_labels,
    import_case,
    jsonl_file,
    one_line,
    tool_file,
)
from tests.reliability.roundtrip import hostile_names

HYPOTHESIS = settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
_runs = itertools.count()

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def place() -> Iterator[tuple[Database, Path]]:
    folder = Path(tempfile.mkdtemp(prefix="qd-names-"))
    db = Database.open(folder / "db.sqlite3")
    yield db, folder
    db.close()


# --- importers -----------------------------------------------------------------------


@HYPOTHESIS
@given(name=hostile_names, field=st.sampled_from(FIELDS))
def test_jsonl_import(place: tuple[Database, Path], name: str, field: str) -> None:
    import_case(place, "jsonl", jsonl_file(field, name), field, name)


@HYPOTHESIS
@given(name=hostile_names, field=st.sampled_from(["label", "title"]))
def test_brat_import(place: tuple[Database, Path], name: str, field: str) -> None:
    import_case(place, "brat", brat_file(field, name), field, name)


@HYPOTHESIS
@given(name=hostile_names, fmt=st.sampled_from(["labelstudio", "doccano", "prodigy", "conll"]))
def test_tool_imports(place: tuple[Database, Path], name: str, fmt: str) -> None:
    import_case(place, fmt, tool_file(fmt, name), "label", name)


# --- the editor and the collection's labels ----------------------------------------


@pytest.fixture(scope="module")
def article(place: tuple[Database, Path]) -> int:
    db, _ = place
    with db.transaction() as s:
        aid = repo.add_article(s, repo.collection(s, "editing"), Article("ed", TEXT))
    assert aid is not None
    Editor(db).add_quote(aid, None, 16, 19, QuoteKind.INDIRECT)
    return aid


def edit_case(db: Database, edit: Callable[[], object], allowed: bool) -> bool:
    """Run ``edit``; it must be refused (EditError, one line, nothing written) exactly when
    the rules refuse the name. True when it was saved."""
    before = counts(db)
    try:
        edit()
    except EditError as exc:
        one_line(str(exc))
        assert counts(db) == before, "a refused edit wrote something"
        assert not allowed, f"refused a name the rules allow: {exc}"
        return False
    assert allowed, "saved a name the rules refuse"
    return True


def rules_allow(check: Callable[[object], str], name: str) -> bool:
    try:
        check(name.strip())
    except ValueError:
        return False
    return True


@HYPOTHESIS
@given(name=hostile_names)
def test_editor_labels(place: tuple[Database, Path], article: int, name: str) -> None:
    db, folder = place
    editor = Editor(db)
    allowed = rules_allow(check_label, name)
    if edit_case(db, lambda: editor.add_entity(article, None, *ALICE, name), allowed):
        with db.session() as s:
            labels_now = {e.label for e in repo.load_article(s, article).entities}
        assert name.strip() in labels_now
        from_conll, from_brat = exported_labels(db, folder, "editing")
        assert from_conll == from_brat == labels_now
        editor.delete_entity(article, None, (*ALICE, name.strip()))


@HYPOTHESIS
@given(name=hostile_names, field=st.sampled_from(["name", "description"]))
def test_editor_sources(place: tuple[Database, Path], article: int, name: str, field: str) -> None:
    db, _ = place
    editor = Editor(db)
    check = check_source_name if field == "name" else check_description
    allowed = rules_allow(check, name)
    quote = (16, 19)
    given = (name, "") if field == "name" else ("Bob", name)

    def edit() -> object:
        return editor.new_source_for_quote(article, None, quote, given[0], "PERSON", given[1])

    if edit_case(db, edit, allowed):
        with db.session() as s:
            found = repo.load_article(s, article)
        values = {s.name if field == "name" else s.description for s in found.sources}
        assert name.strip() in values


@HYPOTHESIS
@given(name=hostile_names)
def test_collection_labels(place: tuple[Database, Path], name: str) -> None:
    db, _ = place
    before = labels.collection_labels(db, "editing")
    try:
        labels.set_collection_labels(db, "editing", [LabelDef(name, "", "1")])
    except ValueError as exc:
        one_line(str(exc))
        assert labels.collection_labels(db, "editing") == before
        assert not is_label(name)
        return
    assert is_label(name)
    assert [lab.name for lab in labels.collection_labels(db, "editing")] == [name]


# --- the command line ----------------------------------------------------------------


def run_cli(args: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = cli.main(args)
        except SystemExit as exc:  # argparse: not a refusal of the name, a usage error
            pytest.fail(f"argparse refused {args!r}: {err.getvalue()} ({exc})")
    return code, out.getvalue(), err.getvalue()


@pytest.fixture(scope="module")
def cli_db() -> Path:
    """A database of its own for the command line, not held open by this process."""
    path = Path(tempfile.mkdtemp(prefix="qd-names-cli-")) / "db.sqlite3"
    db = Database.open(path)
    with db.transaction() as s:
        repo.add_article(s, repo.collection(s, "filter"), Article("f", TEXT))
    db.close()
    return path


@HYPOTHESIS
@given(name=hostile_names)
def test_cli_collection_names(cli_db: Path, name: str) -> None:
    source = cli_db.parent / "one.jsonl"
    source.write_text(json.dumps({"id": "one", "text": TEXT}) + "\n", "utf-8")
    known = set(repo_names(cli_db))
    code, _, err = run_cli(["--db", str(cli_db), "import", str(source), f"--collection={name}"])
    allowed = name in known or rules_allow_exact(lambda n: check_collection_name(n, known), name)
    if code != 0:
        one_line(err.rstrip("\n"))
        assert not allowed, err
        assert set(repo_names(cli_db)) == known
        return
    assert allowed
    assert name in repo_names(cli_db)


@HYPOTHESIS
@given(name=hostile_names)
def test_cli_export_label_filter(cli_db: Path, name: str) -> None:
    out = cli_db.parent / "filtered.conll"
    code, _, err = run_cli(
        ["export", "--db", str(cli_db), "--format=conll", "-o", str(out), f"--labels={name}"]
    )
    wanted = [x.strip() for x in name.split(",") if x.strip()]
    if code != 0:
        one_line(err.rstrip("\n"))
        assert not all(is_label(x) for x in wanted), err
        return
    assert all(is_label(x) for x in wanted)


def repo_names(path: Path) -> list[str]:
    db = Database.open(path)
    try:
        with db.session() as s:
            return repo.collection_names(s)
    finally:
        db.close()


def rules_allow_exact(check: Callable[[object], str], name: str) -> bool:
    try:
        check(name)
    except ValueError:
        return False
    return True


def test_every_entrance_refuses_the_tryouts_names(place: tuple[Database, Path]) -> None:
    """The tryout's cases, named: a 100,000-character label, a 10-million-character title,
    and newline, tab, NUL or space in a label."""
    db, _ = place
    for bad in ["L" * 100_000, "PER\nSON", "PER\tSON", "PER\x00SON", "PER SON"]:
        with pytest.raises(ValueError, match="label"):
            check_label(bad)
        before = counts(db)
        report = importing.import_paths(db, [write_tmp(jsonl_file("label", bad))], "tryout")
        assert report.errors and not report.added and counts(db)[0] == before[0]
        one_line(report.errors[0])
    report = importing.import_paths(db, [write_tmp(jsonl_file("title", "T" * 10_000_000))], "t")
    assert report.errors and "title" in report.errors[0] and "longer than 1,000" in report.errors[0]
    one_line(report.errors[0])


def write_tmp(data: bytes) -> Path:
    path = Path(tempfile.mkdtemp(prefix="qd-names-")) / "case.jsonl"
    path.write_bytes(data)
    return path


def test_quote_labels_are_not_entity_labels() -> None:
    # what the span formats write for quotes and their parts would come back as a quote
    for kind in QuoteKind:
        assert not is_label(f"{kind.value.upper()}_QUOTE")
    for reserved in ["CUE", "SPEAKER", "SOURCE"]:
        assert not is_label(reserved)


@pytest.mark.parametrize("name", ["PER SON", "PER\nSON", "L" * 51, "CUE", "\u202ePER", "PERSON"])
def test_docbin_import(place: tuple[Database, Path], name: str) -> None:
    """A spaCy DocBin made by another program: its entity labels are names like any other."""
    spacy = pytest.importorskip("spacy")
    from spacy.tokens import DocBin

    nlp = spacy.blank("en")
    doc = nlp(TEXT)
    doc.ents = [doc.char_span(0, 11, label=name)]
    data = DocBin(docs=[doc]).to_bytes()
    db, folder = place
    n = next(_runs)
    path = folder / f"case{n}.spacy"
    path.write_bytes(data)
    before = counts(db)
    report = importing.import_paths(db, [path], f"docbin{n}")
    if is_label(name):
        assert report.added == 1 and not report.errors
        assert exported_labels(db, folder, f"docbin{n}") == ({name}, {name})
    else:
        assert report.added == 0 and len(report.errors) == 1 and counts(db)[0] == before[0]
        one_line(report.errors[0])


def test_a_guessed_title_is_cut_to_fit(place: tuple[Database, Path]) -> None:
    """A title the file does not state but the reader guesses (an HTML ``<title>``) is
    cut, not refused: the article is what was asked for."""
    db, folder = place
    long_title = "Long\u202e " + "Word " * 2_000
    body = "<p>" + "Alice Smith met Bob in New York and they talked for a long while. " * 8
    page = f"<html><head><title>{long_title}</title></head><body><article>{body}</p>"
    path = folder / "long-title.html"
    path.write_text(page + "</article></body></html>", "utf-8")
    report = importing.import_paths(db, [path], "guessed")
    assert report.added == 1, report.errors
    with db.session() as s:
        (article,) = [a for _, a in repo.iter_articles(s, repo.article_ids(s, "guessed"))]
    assert len(article.title) <= 1_000 and article.title.endswith("…")
    assert check_title(article.title) == article.title and "\u202e" not in article.title
