"""PostgreSQL login roles for annotators and curators (the policies are migration 0007's).

``add_person`` asks the server's own ``quotedesk_add_person`` (made by the migration) to
create a login role named as the annotator, in the ``quotedesk_annotators`` group (which
may use every table) and, for a curator, in ``quotedesk_curator``. The name reaches the
server as a bound parameter and is quoted there (``format('%I')``); the caller needs the
CREATEROLE privilege (the database's owner or an administrator). Passwords stay libpq's
business (``ALTER ROLE ... PASSWORD`` by the administrator, ``~/.pgpass`` on each machine).
"""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.orm import Session

ADD_PERSON = text("SELECT quotedesk_add_person(:person, :curator)")
CURRENT_USER = text("SELECT current_user")


def add_person(session: Session, name: str, curator: bool = False) -> None:
    """Make (or update) the login role of annotator ``name``."""
    session.execute(ADD_PERSON, {"person": name, "curator": curator})


def database_user(session: Session) -> str:
    """The role this connection logged in as (PostgreSQL)."""
    return str(session.execute(CURRENT_USER).scalar_one())
