"""brat standoff in a zip: ``<name>.txt`` and ``<name>.ann`` per article.

``.ann`` holds T lines for entity, quote, cue and source-mention spans and R lines
(``speaker``, ``cue``) linking speakers and cues to their quotes; a span that crosses a line
break is written as brat fragments. ``<name>.json`` beside them carries what brat has no slot
for (source names and types, origins, title, meta); brat ignores it. ``annotation.conf``
declares the types, the relations and an ``<OVERLAP>`` rule (nested and identical spans),
so brat opens the collection as is and its verifier reports no issue.

Reading guards against hostile zips: member names must be plain relative paths, and the
member count and total uncompressed size are capped.
"""

from __future__ import annotations

import hashlib
import json
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path, PurePosixPath
from typing import IO

from desktop.domain import Article
from desktop.domain.names import LINE_BREAKS, is_label, shown
from desktop.formats.checks import check_article
from desktop.formats.errors import (
    MAX_ARTICLE_CHARS,
    MAX_FILE_BYTES,
    FormatError,
    check_article_size,
)
from desktop.formats.flat import (
    BAD_RECORD,
    CUE,
    QUOTE_LABELS,
    REL_CUE,
    REL_SPEAKER,
    RESERVED,
    SOURCE,
    SPEAKER,
    Flat,
    Link,
    Mark,
    bad_record_message,
    flatten,
    info_json,
    info_limit,
    unflatten,
)
from desktop.formats.jsonl import RecordError

MAX_MEMBERS = 60_000
MAX_UNCOMPRESSED = 2 * MAX_FILE_BYTES
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
_TYPE = re.compile(r"[^A-Za-z0-9_-]+")
_ASCII_TYPE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]*")


def safe_name(external_id: str, taken: set[str]) -> str:
    """A file stem made of safe characters only, unique within the zip."""
    base = _UNSAFE.sub("_", external_id).strip("._")[:80] or "article"
    name, n = base, 1
    while name.casefold() in taken:
        n += 1
        name = f"{base}-{n}"
    taken.add(name.casefold())
    return name


def _type(label: str) -> str:
    """The label as a brat type. brat keeps only ``[A-Za-z0-9_-]`` of a type's name (its
    ``normalize_to_storage_form``), so a label of other letters (``人名``, ``Ärzte``) becomes
    those signs as ``_`` plus a short hash that keeps it apart from others; the sidecar's
    ``types`` gives the label back and ``visual.conf`` shows it. A label stored before names
    were checked is only made ``_`` where it is not a valid label."""
    if _ASCII_TYPE.fullmatch(label):
        return label
    digest = hashlib.blake2b(label.encode("utf-8", "surrogatepass"), digest_size=4).hexdigest()
    if not is_label(label):
        typed = _TYPE.sub("_", label)[:50] or "LABEL"
        # 'DIRECT,QUOTE' must not come back as a quote, nor 'CUE!' as a cue
        return f"{typed[:40]}_{digest}" if typed in RESERVED else typed
    return f"{_TYPE.sub('_', label)[:40]}_{digest}"


def brat_types(flat: Flat) -> dict[str, str]:
    """The brat types that stand for another label (see ``_type``): type -> label."""
    return {
        _type(m.label): m.label
        for m in flat.marks
        if not _ASCII_TYPE.fullmatch(m.label) and is_label(m.label)
    }


_BREAK = re.compile("[" + "".join(sorted(LINE_BREAKS)) + "]")


def fragments(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The pieces of ``[start, end)`` between line breaks (brat and ``str.splitlines``
    end a line at each, so no piece may hold one)."""
    out, begin = [], start
    for found in _BREAK.finditer(text, start, end):
        if found.start() > begin:
            out.append((begin, found.start()))
        begin = found.end()
    if end > begin:
        out.append((begin, end))
    return out


def sidecar(text: str, flat: Flat) -> dict[str, object]:
    """The ``.json`` beside the ``.ann``: the info block, plus the true extent of each mark
    that starts or ends on a line break (its fragments leave the break out), plus the label
    of each type that stands for one brat cannot name (``types``)."""
    extents = {}
    for m in flat.marks:
        if text[m.start] in LINE_BREAKS or text[m.end - 1] in LINE_BREAKS:
            pieces = fragments(text, m.start, m.end)
            if pieces and (pieces[0][0], pieces[-1][1]) != (m.start, m.end):
                extents[m.id] = [m.start, m.end]
    info: dict[str, object] = {**flat.info, "extents": extents} if extents else flat.info
    types = brat_types(flat)
    return {**info, "types": types} if types else info


def _apply_types(flat: Flat) -> None:
    """Give back their labels to the marks whose brat type the sidecar's ``types`` names."""
    types = flat.info.pop("types", None) if isinstance(flat.info, dict) else None
    if not types:
        return
    if not isinstance(types, dict) or not all(isinstance(v, str) for v in types.values()):
        raise RecordError('"types" must map brat types to labels')
    flat.marks = [Mark(m.id, m.start, m.end, types.get(m.label, m.label)) for m in flat.marks]


def _apply_extents(text: str, flat: Flat) -> None:
    """Give back their line breaks to the marks the sidecar's ``extents`` names."""
    extents = flat.info.pop("extents", None) if isinstance(flat.info, dict) else None
    if not extents:
        return
    if not isinstance(extents, dict):
        raise RecordError('"extents" must be an object')
    marks = {m.id: m for m in flat.marks}
    wider: dict[str, Mark] = {}
    for mid, extent in extents.items():
        m = marks.get(mid)
        if m is None or not isinstance(extent, list) or len(extent) != 2:
            raise RecordError(f"extents names {shown(mid)}, which is not a span")
        start, end = extent
        if not (isinstance(start, int) and isinstance(end, int) and start <= m.start):
            raise RecordError(f"the extent of {mid} does not hold its fragments")
        added = text[max(start, 0) : m.start] + text[m.end : end]
        if start < 0 or end < m.end or any(ch not in LINE_BREAKS for ch in added):
            raise RecordError(f"the extent of {mid} adds more than line breaks")
        wider[mid] = Mark(m.id, start, end, m.label)
    flat.marks = [wider.get(m.id, m) for m in flat.marks]


def ann_lines(text: str, flat: Flat) -> Iterator[str]:
    for m in flat.marks:
        fragments_ = fragments(text, m.start, m.end)
        where = ";".join(f"{s} {e}" for s, e in fragments_ or [(m.start, m.end)])
        # exactly the text of its fragments, tabs too: brat compares it with the document
        shown = " ".join(text[s:e] for s, e in fragments_)
        yield f"{m.id}\t{_type(m.label)} {where}\t{shown}\n"
    for link in flat.links:
        yield f"{link.id}\t{link.label} Arg1:{link.head} Arg2:{link.child}\n"


def write_brat(articles: Iterator[Article], fh: IO[bytes]) -> int:
    """Write the zip entry by entry; only the member names are kept in memory."""
    n, taken, types, shown_as = 0, {"annotation", "visual"}, set[str](), dict[str, str]()
    with zipfile.ZipFile(fh, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for article in articles:
            flat = flatten(article)
            name = safe_name(article.external_id, taken)
            zf.writestr(f"{name}.txt", article.text.encode("utf-8"))
            zf.writestr(f"{name}.ann", "".join(ann_lines(article.text, flat)).encode("utf-8"))
            info = info_json(sidecar(article.text, flat))
            zf.writestr(f"{name}.json", info.encode("utf-8"))
            types.update(_type(m.label) for m in flat.marks)
            shown_as.update(brat_types(flat))
            n += 1
        zf.writestr("annotation.conf", annotation_conf(types).encode("utf-8"))
        if shown_as:  # brat shows these types by their labels
            labels = "".join(f"{t} | {label}\n" for t, label in sorted(shown_as.items()))
            zf.writestr("visual.conf", f"[labels]\n{labels}".encode())
    return n


def annotation_conf(types: set[str]) -> str:
    """brat's configuration for the types used: every quote kind, cue, speaker and source;
    the two relations; and an ``<OVERLAP>`` rule, since entities nest in quotes and a
    speaker lies on the same characters as its PERSON entity and its source mention."""
    quotes = "|".join(sorted(QUOTE_LABELS.values()))
    entities = sorted(types | set(QUOTE_LABELS.values()) | {CUE, SPEAKER, SOURCE})
    conf = ["[entities]", *entities, "", "[relations]"]
    conf += [
        f"{REL_SPEAKER}\tArg1:{SPEAKER}, Arg2:{quotes}",
        f"{REL_CUE}\tArg1:{CUE}, Arg2:{quotes}",
        "<OVERLAP>\tArg1:<ENTITY>, Arg2:<ENTITY>, <OVL-TYPE>:<ANY>",
    ]
    conf += ["", "[events]", "", "[attributes]", ""]
    return "\n".join(conf)


def check_member_name(path: Path, name: str) -> None:
    """Refuse absolute paths, parent references, backslashes and drive letters."""
    parts = PurePosixPath(name).parts
    if (
        not name
        or name.startswith("/")
        or "\\" in name
        or ".." in parts
        or (parts and ":" in parts[0])
        or "\x00" in name
    ):
        raise FormatError(path, f"the zip holds an unsafe member name {name!r}")


def _members(path: Path, zf: zipfile.ZipFile) -> dict[str, dict[str, zipfile.ZipInfo]]:
    infos = zf.infolist()
    if len(infos) > MAX_MEMBERS:
        raise FormatError(path, f"the zip holds more than {MAX_MEMBERS:,} files")
    total = 0
    docs: dict[str, dict[str, zipfile.ZipInfo]] = {}
    for info in infos:
        check_member_name(path, info.filename)
        total += info.file_size
        if total > MAX_UNCOMPRESSED:
            raise FormatError(path, f"the zip unpacks to more than {MAX_UNCOMPRESSED // 2**20} MiB")
        if info.is_dir() or info.filename.startswith("__MACOSX/"):
            continue
        stem, dot, ext = info.filename.rpartition(".")
        if dot and ext in ("txt", "ann", "json"):
            docs.setdefault(stem, {})[ext] = info
    return docs


def _read(path: Path, zf: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int = 0) -> str:
    # the declared size first, so that a bomb is refused before anything is inflated;
    # reading stops one byte past the limit in case the declaration lies
    if not limit:
        limit = 4 * MAX_ARTICLE_CHARS if info.filename.endswith(".txt") else MAX_FILE_BYTES
    if info.file_size > limit:
        raise FormatError(
            path, f"{info.filename} is too large ({info.file_size:,} bytes, at most {limit:,})"
        )
    try:
        with zf.open(info) as member:
            raw = member.read(limit + 1)
    except Exception as exc:
        # a damaged member (bad CRC, broken deflate data, a lying header), an unknown
        # compression or a password: zipfile and zlib each raise their own kind
        raise FormatError(path, f"{info.filename} cannot be unpacked ({exc})") from exc
    if len(raw) > limit:
        raise FormatError(path, f"{info.filename} is too large")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise FormatError(path, f"{info.filename} is not UTF-8 text") from exc


def parse_ann(ann: str) -> Flat:
    """T and R lines into marks and links; notes, attributes and events are skipped."""
    flat = Flat()
    for number, line in enumerate(ann.splitlines(), start=1):
        if not line.strip() or line[0] not in "TR":
            continue
        fields = line.split("\t")
        if len(fields) < 2:
            raise RecordError(f"line {number} has no tab-separated fields")
        head = fields[1].split(" ")
        try:
            if line[0] == "T":
                pieces = " ".join(head[1:]).split(";")
                offsets = [tuple(int(x) for x in p.split()) for p in pieces]
                if not offsets or any(len(o) != 2 for o in offsets):
                    raise ValueError
                start, end = min(o[0] for o in offsets), max(o[1] for o in offsets)
                flat.marks.append(Mark(fields[0], start, end, head[0]))
            else:
                args = dict(a.split(":", 1) for a in head[1:3])
                flat.links.append(Link(fields[0], args["Arg1"], args["Arg2"], head[0]))
        except (ValueError, KeyError):
            raise RecordError(
                f"line {number} is not a valid brat annotation: {shown(line, 80)}"
            ) from None
    return flat


def read_brat(path: Path) -> Iterator[Article]:
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise FormatError(path, f"the file is larger than {MAX_FILE_BYTES // 2**20} MiB")
        zf = zipfile.ZipFile(path)
    except FormatError:
        raise
    except Exception as exc:
        # zipfile parses the hostile bytes itself and fails in many ways: BadZipFile,
        # NotImplementedError (version), UnicodeDecodeError (names), ValueError, EOFError...
        raise FormatError(path, f"not a readable zip file ({type(exc).__name__}: {exc})") from exc
    with zf:
        docs = _members(path, zf)
        for stem in sorted(docs):
            parts = docs[stem]
            if "txt" not in parts:
                if "ann" in parts:
                    raise FormatError(path, f"{stem}.ann has no {stem}.txt beside it")
                continue
            text = _read(path, zf, parts["txt"])
            check_article_size(path, text)
            try:
                flat = parse_ann(_read(path, zf, parts["ann"])) if "ann" in parts else Flat()
                if "json" in parts:
                    # a sidecar holds names and meta for the spans of its text: no more
                    limit = info_limit(len(text.encode("utf-8")), len(flat.marks) + len(flat.links))
                    flat.info = json.loads(_read(path, zf, parts["json"], limit))
                    _apply_extents(text, flat)
                    _apply_types(flat)
                article = unflatten(text, flat, fallback_id=PurePosixPath(stem).name)
            except RecursionError as exc:
                raise FormatError(path, f"{stem}.json is nested too deep") from exc
            except BAD_RECORD as exc:  # JSONDecodeError is a ValueError
                raise FormatError(path, f"article {stem}: {bad_record_message(exc)}") from exc
            try:
                check_article(path, article)
            except FormatError as exc:
                raise FormatError(path, f"article {stem}: {exc.reason}") from None
            yield article
