"""brat's own verifier (``../shared/tools/brat-verify.py``, a copy of nlplab/brat's checker,
read at run time and skipped when absent) passes on brat exports of any article: the
configuration parses, spans nest, cross and coincide under its ``<OVERLAP>`` rule, and every
span's text is the document's."""

from __future__ import annotations

import io
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desktop.domain import Article
from desktop.formats.brat import write_brat
from tests.unit.test_formats_accepted import any_article
from tests.unit.test_formats_common import sample_articles

VERIFY = Path(__file__).parents[3] / "shared" / "tools" / "brat-verify.py"
PYTHON = shutil.which("python3")

pytestmark = pytest.mark.skipif(
    not VERIFY.exists() or PYTHON is None, reason=f"brat's verifier is not at {VERIFY}"
)


def _verify(
    articles: list[Article], folder: Path, conf_edit: str = ""
) -> subprocess.CompletedProcess[str]:
    buffer = io.BytesIO()
    write_brat(iter(articles), buffer)
    with zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as zf:
        zf.extractall(folder)
    if conf_edit:
        conf = folder / "annotation.conf"
        conf.write_text(conf.read_text("utf-8").replace(conf_edit, ""), "utf-8")
    assert PYTHON is not None
    return subprocess.run(
        [PYTHON, str(VERIFY), str(folder)], capture_output=True, text=True, timeout=120
    )


def test_brat_verifies_the_sample_set(tmp_path: Path) -> None:
    done = _verify(sample_articles(), tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert " 0 issues, 0 config errors" in done.stdout


def test_without_the_overlap_rule_brat_complains(tmp_path: Path) -> None:
    # the check can fail: nested and identical spans are errors for brat without the rule
    done = _verify(
        sample_articles(), tmp_path, "<OVERLAP>\tArg1:<ENTITY>, Arg2:<ENTITY>, <OVL-TYPE>:<ANY>"
    )
    assert done.returncode == 1
    assert "0 issues" not in done.stdout


@settings(
    max_examples=8,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
@given(st.lists(any_article, min_size=1, max_size=25))
def test_brat_verifies_any_export(
    tmp_path_factory: pytest.TempPathFactory, articles: list[Article]
) -> None:
    done = _verify(articles, tmp_path_factory.mktemp("brat"))
    assert done.returncode == 0, done.stdout + done.stderr
