"""spaCy DocBin (``.spacy``) export and import: training data that spaCy reads directly.

Layout of each ``Doc`` (one per article; its text is the article text, exactly):

- ``doc.ents``: the entities (when entities overlap, the earlier then longer one; all of
  them are in ``doc.spans["entities"]``, whose ``attrs["origins"]`` lists their origins).
- ``doc.spans["quotes"]``: quote spans labelled ``DIRECT_QUOTE``, ``MIXED_QUOTE`` or
  ``INDIRECT_QUOTE`` (the span formats' labels; ``DIRECT`` etc. of older files read too),
  ``span.id_`` = ``q1``, ``q2``..., ``span.kb_id_`` = the source key; ``attrs["origins"]``.
- ``doc.spans["cues"]``, ``doc.spans["speakers"]``: labelled ``CUE``/``SPEAKER``,
  ``span.id_`` = the id of their quote (``speakers`` also carry the source in ``kb_id_``).
- ``doc.spans["sources"]``: every source mention, labelled with the source type,
  ``kb_id_`` = the source key.
- Custom attributes (stored in ``user_data``, so read them with ``store_user_data``):
  ``Span._.source_id`` on quote, speaker and mention spans (the source link),
  ``Doc._.article`` (id, title, meta, status, model) and ``Doc._.sources`` (key, name, type,
  description, origin of each source).

Tokens come from spaCy's blank English tokenizer, split further wherever an annotation
starts or ends, so every span lands on token boundaries.

Training on it: ``python -m spacy init config config.cfg --lang en --pipeline ner`` then
``python -m spacy train config.cfg --paths.train train.spacy --paths.dev dev.spacy``; a
``spancat`` component with ``spans_key = "quotes"`` learns the quote spans, given a
suggester that proposes spans as long as quotes (README: ``ngram_range_suggester`` up to
``QUOTE_SUGGESTER_MAX`` tokens; the default 1-3 cannot).

Memory: a DocBin is one compressed message, so the export holds the (compact, array-based)
DocBin of the whole set until it is written; it is the one export that does not stream.
"""

from __future__ import annotations

import itertools
import zlib
from bisect import bisect_right
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from desktop.domain import Article, ArticleStatus, Entity, Origin, Quote, QuoteKind, Source, Span
from desktop.domain import record_dicts as rd
from desktop.domain.offsets import check_span, content_id
from desktop.nlp.docbin_names import names_dict, read_names
from desktop.nlp.tokenize import make_doc

if TYPE_CHECKING:
    from spacy.tokens import Doc
    from spacy.vocab import Vocab

# the token attributes these Docs carry (no tags, parses or lemmas): storing only them keeps
# the DocBin, which is held whole until written, to less than half its default size
DOC_ATTRS = ["ORTH", "SPACY", "ENT_IOB", "ENT_TYPE", "ENT_KB_ID", "ENT_ID"]
EXTENSIONS = {"Doc": ("article", "sources"), "Span": ("source_id",)}
QUOTE_LABELS = {kind: f"{kind.value.upper()}_QUOTE" for kind in QuoteKind}
_KIND_OF = {
    **{label: kind for kind, label in QUOTE_LABELS.items()},
    **{kind.value.upper(): kind for kind in QuoteKind},  # as files made before the labels were one
}
QUOTE_SUGGESTER_MAX = 120  # tokens: the README's spancat suggester reaches this far


class DocBinError(ValueError):
    """A .spacy file that cannot be read as Quotedesk articles."""


def register_extensions() -> None:
    """Declare the custom attributes (idempotent), so ``doc._.article`` etc. work."""
    from spacy.tokens import Doc as SpacyDoc
    from spacy.tokens import Span as SpacySpan

    for cls, names in ((SpacyDoc, EXTENSIONS["Doc"]), (SpacySpan, EXTENSIONS["Span"])):
        for name in names:
            if not cls.has_extension(name):
                cls.set_extension(name, default=None)


@contextmanager
def fast_msgpack() -> Iterator[None]:
    """Serve srsly's msgpack extension lookups from a snapshot while a DocBin is built.

    srsly builds a new packer for every ``to_bytes`` call, and each one asks catalogue for
    the registered msgpack encoders, which scans every installed entry point and the whole
    function registry (about 1 ms each); a DocBin serialises several span groups per Doc,
    so that lookup dominated export time. The snapshot holds exactly what the lookup
    returns, so the bytes are the same; the lookup is restored on the way out.
    """
    import srsly

    patched = []
    for registry in (srsly.msgpack_encoders, srsly.msgpack_decoders):
        if "get_all" not in vars(registry):
            snapshot = dict(registry.get_all())
            registry.get_all = lambda snapshot=snapshot: dict(snapshot)
            patched.append(registry)
    try:
        yield
    finally:
        for registry in patched:
            vars(registry).pop("get_all", None)


def tokens_for(tokenizer: Any, text: str, cuts: set[int]) -> Doc:
    """spaCy's tokens, each split again at every annotation boundary inside it.

    Most articles need no split: then the tokenizer's own Doc is used as it is.
    """
    from spacy.tokens import Doc as SpacyDoc

    doc: Doc = tokenizer(text)
    starts, lengths, spaces = (list(col) for col in doc.to_array(["IDX", "LENGTH", "SPACY"]).T)
    points = sorted(cuts)
    inside = [p for p in points if _inside(starts, lengths, p)]
    if not inside:
        return doc
    words: list[str] = []
    gaps: list[bool] = []
    for start, length, space in zip(starts, lengths, spaces, strict=True):
        end = start + length
        i = bisect_right(points, start)
        while i < len(points) and points[i] < end:
            words.append(text[start : points[i]])
            gaps.append(False)
            start = points[i]
            i += 1
        words.append(text[start:end])
        gaps.append(bool(space))
    return SpacyDoc(doc.vocab, words=words, spaces=gaps)


def _inside(starts: list[int], lengths: list[int], point: int) -> bool:
    i = bisect_right(starts, point) - 1
    return i >= 0 and starts[i] < point < starts[i] + lengths[i]


def _flat(entities: list[Entity]) -> list[Entity]:
    out: list[Entity] = []
    for e in sorted(entities, key=lambda e: (e.start, -e.end)):
        if not out or e.start >= out[-1].end:
            out.append(e)
    return out


def article_doc(article: Article, vocab: Vocab, tokenizer: Any) -> Doc:
    """The Doc of one article, laid out as the module docstring says."""
    from spacy.tokens import SpanGroup

    text = article.text
    spans: list[tuple[int, int]] = [(e.start, e.end) for e in article.entities]
    for q in article.quotes:
        spans += [(s.start, s.end) for s in (q, q.cue, q.speaker) if s is not None]
    spans += [(m.start, m.end) for s in article.sources for m in s.mentions]
    doc = tokens_for(tokenizer, text, {p for span in spans for p in span})

    def span(start: int, end: int, label: str, kb: str = "", sid: str = "") -> Any:
        found = doc.char_span(start, end, label=label, kb_id=kb, span_id=sid)
        if found is None:  # only whitespace-bounded spans can miss; keep them exact anyway
            found = doc.char_span(
                start, end, label=label, kb_id=kb, span_id=sid, alignment_mode="expand"
            )
        return found

    doc.ents = [span(e.start, e.end, e.label) for e in _flat(article.entities)]
    ents = [span(e.start, e.end, e.label) for e in article.entities]
    doc.spans["entities"] = SpanGroup(
        doc,
        name="entities",
        spans=ents,
        attrs={"origins": [str(e.origin) for e in article.entities]},
    )
    quotes, cues, speakers = [], [], []
    for n, q in enumerate(article.quotes, start=1):
        qid, key = f"q{n}", q.source_key or ""
        quotes.append(span(q.start, q.end, QUOTE_LABELS[q.kind], key, qid))
        if key:
            quotes[-1]._.source_id = key
        if q.cue is not None:
            cues.append(span(q.cue.start, q.cue.end, "CUE", "", qid))
        if q.speaker is not None:
            speakers.append(span(q.speaker.start, q.speaker.end, "SPEAKER", key, qid))
            if key:
                speakers[-1]._.source_id = key
    origins = [str(q.origin) for q in article.quotes]
    doc.spans["quotes"] = SpanGroup(doc, name="quotes", spans=quotes, attrs={"origins": origins})
    doc.spans["cues"] = SpanGroup(doc, name="cues", spans=cues)
    doc.spans["speakers"] = SpanGroup(doc, name="speakers", spans=speakers)
    mentions = []
    for s in article.sources:
        for m in s.mentions:
            mentions.append(span(m.start, m.end, s.type, s.key, s.key))
            mentions[-1]._.source_id = s.key
    doc.spans["sources"] = SpanGroup(doc, name="sources", spans=mentions)
    doc._.article = {
        "id": article.external_id,
        "title": article.title,
        "meta": article.meta,
        "status": str(article.status),
        "model": {"name": article.model_name, "version": article.model_version},
        **rd.records_dict(article.records),
        **names_dict(article),
    }
    doc._.sources = [
        {
            "id": s.key,
            "name": s.name,
            "type": s.type,
            "description": s.description,
            "origin": str(s.origin),
            **rd.record_link_dict(s.record),  # its collection-wide record (issue 12)
        }
        for s in article.sources
    ]
    return doc


def write_docbin(articles: Iterator[Article], fh: IO[bytes]) -> int:
    """All articles into one DocBin with user data, written to ``fh`` at the end."""
    import spacy
    from spacy.tokens import DocBin

    register_extensions()
    nlp = spacy.blank("en")
    tokenizer = partial(make_doc, nlp)  # bounded time on long runs without white space
    docbin = DocBin(attrs=DOC_ATTRS, store_user_data=True)
    n = 0
    with fast_msgpack():
        for article in articles:
            docbin.add(article_doc(article, nlp.vocab, tokenizer))
            n += 1
        fh.write(docbin.to_bytes())
    return n


def _lists(value: Any) -> Any:
    """msgpack hands lists back as tuples; JSON-like data wants lists."""
    if isinstance(value, tuple | list):
        return [_lists(v) for v in value]
    if isinstance(value, dict):
        return {k: _lists(v) for k, v in value.items()}
    return value


def article_from_doc(doc: Doc) -> Article:
    """The article a Doc of ``write_docbin`` describes; plain Docs (no custom attributes)
    come in with their ``doc.ents`` as human entities."""
    text = doc.text
    if not text.strip():
        raise DocBinError("the document has no text")
    user_data: dict[Any, Any] = doc.user_data  # keyed by tuples, whatever spaCy's hint says
    info = _lists(user_data.get(("._.", "article", None, None))) or {}
    model = info.get("model") or {}
    try:
        status = ArticleStatus(info.get("status") or "unreviewed")
    except ValueError as exc:
        raise DocBinError(f"unknown status {info.get('status')!r}") from exc
    article = Article(
        external_id=str(info.get("id") or content_id(text)),
        text=text,
        title=info.get("title") or "",
        meta=info.get("meta") or {},
        status=status,
        model_name=model.get("name"),
        model_version=model.get("version"),
    )
    groups = doc.spans
    try:
        if "entities" in groups:
            origins = list(groups["entities"].attrs.get("origins") or [])
            found = list(groups["entities"])
        else:
            found, origins = list(doc.ents), []
        for i, s in enumerate(found):
            origin = Origin(origins[i]) if i < len(origins) else Origin.HUMAN
            article.entities.append(Entity(s.start_char, s.end_char, s.label_, s.text, origin))
        article.records = rd.read_records(info)
        for n, s in enumerate(_lists(user_data.get(("._.", "sources", None, None))) or [], 1):
            article.sources.append(
                Source(
                    s["id"],
                    s["name"],
                    s.get("type") or "OTHER",
                    s.get("description") or "",
                    origin=Origin(s.get("origin") or "human"),
                    record=rd.read_record_link(s, f"source {n}") if "link" in s else None,
                )
            )
        by_key = {s.key: s for s in article.sources}
        for m in groups.get("sources", []):
            if m.kb_id_ not in by_key:
                raise DocBinError(f"source mention {m.text!r} names an unknown source {m.kb_id_!r}")
            by_key[m.kb_id_].mentions.append(Span(m.start_char, m.end_char, m.text))
        cues = {s.id_: Span(s.start_char, s.end_char, s.text) for s in groups.get("cues", [])}
        speakers = {
            s.id_: Span(s.start_char, s.end_char, s.text) for s in groups.get("speakers", [])
        }
        if "quotes" in groups:
            origins = list(groups["quotes"].attrs.get("origins") or [])
            for i, s in enumerate(groups["quotes"]):
                key = s.kb_id_ or None
                if key is not None and key not in by_key:
                    raise DocBinError(f"quote {s.text!r} names an unknown source {key!r}")
                article.quotes.append(
                    Quote(
                        s.start_char,
                        s.end_char,
                        s.text,
                        _quote_kind(s.label_),
                        cue=cues.get(s.id_),
                        speaker=speakers.get(s.id_),
                        source_key=key,
                        origin=Origin(origins[i]) if i < len(origins) else Origin.HUMAN,
                    )
                )
        read_names(article, info)
        _check_spans(article)
    except rd.RecordLinkError as exc:
        raise DocBinError(str(exc)) from None
    except (KeyError, ValueError, TypeError) as exc:
        if isinstance(exc, DocBinError):
            raise
        raise DocBinError(f"unexpected annotation data ({exc})") from exc
    return article


def _quote_kind(label: str) -> QuoteKind:
    try:
        return _KIND_OF[label]
    except KeyError:
        raise DocBinError(f"a quote span has the unknown label {label!r}") from None


def _check_spans(article: Article) -> None:
    """Every span inside the text: a damaged file can hold token offsets spaCy accepts."""
    text = article.text
    spans: list[Entity | Quote | Span] = [*article.entities, *article.quotes]
    spans += [m for s in article.sources for m in s.mentions]
    spans += [x for q in article.quotes for x in (q.cue, q.speaker) if x is not None]
    for span in spans:
        check_span(text, span.start, span.end)


def read_docbin(path: Path, max_bytes: int) -> Iterator[Article]:
    """Articles from a .spacy file; a DocBinError says which document is at fault."""
    from spacy.tokens import DocBin
    from spacy.vocab import Vocab

    try:
        if path.stat().st_size > max_bytes:
            raise DocBinError(f"the file is larger than {max_bytes // 2**20} MiB")
        data = path.read_bytes()
        if not _unpacks_within(data, max_bytes):
            raise DocBinError(f"the file unpacks to more than {max_bytes // 2**20} MiB")
        docbin = DocBin(store_user_data=True).from_bytes(data)
    except OSError as exc:
        raise DocBinError(f"cannot read the file ({exc.strerror})") from exc
    except DocBinError:
        raise
    except Exception as exc:  # zlib, msgpack and spaCy all have their own errors
        raise DocBinError(f"not a spaCy DocBin file ({type(exc).__name__})") from exc
    docs = docbin.get_docs(Vocab())
    for n in itertools.count(1):
        # a damaged file fails inside spaCy and msgpack with any exception type
        try:
            with fast_msgpack():
                doc = next(docs, None)
            if doc is None:
                return
            article = article_from_doc(doc)
        except DocBinError as exc:
            raise DocBinError(f"document {n}: {exc}") from exc
        except Exception as exc:
            raise DocBinError(f"document {n} is damaged ({type(exc).__name__})") from exc
        yield article


def _unpacks_within(data: bytes, limit: int) -> bool:
    """Whether the zlib stream of a DocBin inflates to at most ``limit`` bytes, found out
    without holding the inflated bytes (a small file can be a compression bomb)."""
    inflate = zlib.decompressobj()
    total = 0
    try:
        for at in range(0, len(data), 1 << 16):
            pending = data[at : at + (1 << 16)]
            while pending:
                total += len(inflate.decompress(pending, 1 << 20))
                if total > limit:
                    return False
                pending = inflate.unconsumed_tail
    except zlib.error:
        return True  # not zlib at all: DocBin.from_bytes says so
    return True
