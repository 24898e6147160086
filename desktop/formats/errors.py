"""Errors raised by importers and exporters: they name the file and line at fault."""

from __future__ import annotations

from pathlib import Path

MAX_FILE_BYTES = 200 * 1024 * 1024
MAX_ARTICLE_CHARS = 2_000_000


class FormatError(Exception):
    """A file that cannot be read as the format it claims to be."""

    def __init__(self, path: Path | str, message: str, line: int | None = None) -> None:
        self.path = str(path)
        self.line = line
        self.reason = message
        where = f"{self.path}, line {line}" if line is not None else self.path
        super().__init__(f"{where}: {message}")


def read_text_file(path: Path) -> str:
    """Decode a text file as UTF-8 (a BOM is dropped); say so clearly when it is not."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise FormatError(path, f"cannot read the file ({exc.strerror})") from exc
    if size > MAX_FILE_BYTES:
        raise FormatError(path, f"the file is larger than {MAX_FILE_BYTES // 2**20} MiB")
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise FormatError(path, f"cannot read the file ({exc.strerror})") from exc
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return raw.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise FormatError(path, "the file is not valid UTF-16 text") from exc
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise FormatError(path, "the file is not UTF-8 text", line) from exc


def check_article_size(path: Path | str, text: str, line: int | None = None) -> None:
    if len(text) > MAX_ARTICLE_CHARS:
        raise FormatError(
            path, f"the article is longer than {MAX_ARTICLE_CHARS:,} characters", line
        )
