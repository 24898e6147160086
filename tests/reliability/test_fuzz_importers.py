"""Every importer against generated hostile files (Hypothesis): a FormatError or a correct
import, never another exception, a hang or a half-import. See ``fuzzkit.check_import``.

``benchmarks/fuzz.py`` runs the same strategies with many more inputs (RELIABILITY.md).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desktop.store import Database
from tests.reliability import fuzzkit

EXAMPLES = 25
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,  # the suite stays repeatable; benchmarks/fuzz.py explores at random
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.function_scoped_fixture,
        HealthCheck.large_base_example,
    ],
)


@pytest.fixture(scope="module")
def fuzz_db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Database, Path]]:
    folder = tmp_path_factory.mktemp("fuzz")
    db = Database.open(folder / "fuzz.sqlite3")
    yield db, folder
    db.close()


@pytest.fixture(scope="module")
def docbin_bytes(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    return fuzzkit.valid_docbin(tmp_path_factory.mktemp("docbin"))


CASES = fuzzkit.cases()


@pytest.mark.parametrize("case", sorted(CASES))
def test_an_importer_survives_hostile_files(case: str, fuzz_db: tuple[Database, Path]) -> None:
    db, folder = fuzz_db
    name, fmt, strategy = CASES[case]

    @FUZZ
    @given(data=strategy)
    def run(data: bytes) -> None:
        fuzzkit.check_import(db, folder, name, data, fmt)

    run()


def test_the_spacy_importer_survives_damaged_docbins(
    fuzz_db: tuple[Database, Path], docbin_bytes: bytes
) -> None:
    db, folder = fuzz_db
    assert fuzzkit.check_import(db, folder, "ok.spacy", docbin_bytes, "spacy")  # the seed imports

    @FUZZ
    @given(data=fuzzkit.docbin_mutations(docbin_bytes))
    def run(data: bytes) -> None:
        fuzzkit.check_import(db, folder, "a.spacy", data, "spacy")

    run()


@FUZZ
@given(data=st.binary(max_size=500), suffix=st.sampled_from(sorted(fuzzkit.SUFFIXES)))
def test_random_bytes_under_any_suffix_are_refused_or_imported(
    fuzz_db: tuple[Database, Path], data: bytes, suffix: str
) -> None:
    db, folder = fuzz_db
    fuzzkit.check_import(db, folder, f"a{suffix}", data, None)


def test_the_checker_itself_catches_a_half_import(
    fuzz_db: tuple[Database, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """If an importer failed after writing, check_import would say so."""
    from desktop.formats import FormatError
    from desktop.services import importing

    db, folder = fuzz_db
    real = importing.import_paths

    def leaky(db_: Database, paths, collection, fmt=None):  # type: ignore[no-untyped-def]
        report = real(db_, paths, collection, fmt=fmt)
        report.errors.append(str(FormatError(Path(paths[0]), "late failure")))
        return report

    monkeypatch.setattr(importing, "import_paths", leaky)
    with pytest.raises(AssertionError, match="half-import"):
        fuzzkit.check_import(db, folder, "a.txt", b"Some article text.", None)
