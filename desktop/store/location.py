"""Where a database is: a SQLite file (a path) or a PostgreSQL server (a URL).

``--db``, ``QUOTEDESK_DB`` and the Preferences take either. A URL names the server in
libpq's own form (``postgresql://user@host:5432/dbname?sslmode=require``) and is opened with
psycopg 3. Passwords belong in libpq's places (``~/.pgpass``, ``PGPASSWORD``, a service
file): one written into the URL is used for that connection only and stripped from every
form of it that Quotedesk shows or saves (``ServerLocation.shown``). Query parameters
(``sslmode``, ``sslrootcert``, ``service``, ``host`` for a socket folder, ...) go to libpq
as they are.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from desktop.store.errors import StoreError

if TYPE_CHECKING:  # SQLAlchemy only for a URL: a path is told without it (issue 16)
    from sqlalchemy.engine import URL

SERVER_SCHEMES = ("postgresql", "postgres", "postgresql+psycopg")
DRIVER = "postgresql+psycopg"
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*)://")


@dataclass(frozen=True)
class ServerLocation:
    """A PostgreSQL database, as SQLAlchemy's URL for the psycopg 3 driver."""

    url: URL

    @property
    def shown(self) -> str:
        """The URL in libpq's form without any password: what may be printed or saved."""
        from sqlalchemy.engine import URL

        u = self.url
        bare = URL.create(  # set() cannot clear a field: build it anew without the password
            "postgresql", u.username, None, u.host, u.port, u.database, u.query
        )
        return bare.render_as_string(hide_password=False)

    @property
    def database(self) -> str:
        return self.url.database or ""

    def __str__(self) -> str:
        return self.shown


Location = Path | ServerLocation


def is_server_url(value: str | os.PathLike[str]) -> bool:
    """Whether ``value`` is written as a URL (``scheme://...``) rather than a path."""
    return isinstance(value, str) and _SCHEME.match(value.strip()) is not None


def parse_location(value: str | os.PathLike[str] | ServerLocation) -> Location:
    """A path (``~`` expanded) or a PostgreSQL URL; any other URL is refused in one line."""
    if isinstance(value, ServerLocation):
        return value
    if not is_server_url(value):
        return Path(value).expanduser()
    text = str(value).strip()
    found = _SCHEME.match(text)
    assert found is not None
    if found[1].lower() not in SERVER_SCHEMES:
        raise StoreError(
            f"Quotedesk opens a SQLite file (a path) or a PostgreSQL URL "
            f"(postgresql://user@host:5432/dbname), not a {found[1]}:// URL."
        )
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        url = make_url(DRIVER + text[found.end(1) :])
    except (ArgumentError, ValueError) as exc:
        raise StoreError(f"{_without_password(text)} is not a PostgreSQL URL: {exc}") from None
    if not url.database:
        raise StoreError(
            f"{ServerLocation(url).shown} names no database: add it after the server, as in "
            "postgresql://user@host:5432/dbname."
        )
    return ServerLocation(url)


def shown(value: str | os.PathLike[str] | ServerLocation) -> str:
    """What to print or save for a location someone gave: a password never appears."""
    if isinstance(value, ServerLocation):
        return value.shown
    if is_server_url(value):
        return _without_password(str(value))
    return str(value)


def _without_password(text: str) -> str:
    """``scheme://user:secret@host`` -> ``scheme://user@host``, even in a URL that does not
    parse (the text of an error message must not carry the password either)."""
    return re.sub(r"^([^:/]+://[^:@/?#]*):[^@/?#]*@", r"\1@", text.strip())
