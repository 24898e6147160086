"""PostgreSQL login roles for annotators and curators (the policies are migration 0007's).

``add_person`` asks the server's own ``quotedesk_add_person`` (made by the migration) to
create a login role named as the annotator, in the ``quotedesk_annotators`` group (which
may use every table) and, for a curator, in ``quotedesk_curator``. The name reaches the
server as a bound parameter and is quoted there (``format('%I')``); the caller needs the
CREATEROLE privilege (the database's owner or an administrator). Passwords stay libpq's
business (``ALTER ROLE ... PASSWORD`` by the administrator, ``~/.pgpass`` on each machine).

The group's grants hold across migrations: ``grant_team`` (the server's
``quotedesk_grant_team``, migration 0012) grants it every table and sequence and sets the
migrating role's default privileges for the ones it makes later; ``quotedesk_add_person``
runs it, and the store runs it at the end of every upgrade of a server database.
"""

from __future__ import annotations

from sqlalchemy import Connection, text
from sqlalchemy.orm import Session

ADD_PERSON = text("SELECT quotedesk_add_person(:person, :curator)")
CURRENT_USER = text("SELECT current_user")
GRANT_TEAM = text("SELECT quotedesk_grant_team()")


def add_person(session: Session, name: str, curator: bool = False) -> None:
    """Make (or update) the login role of annotator ``name``."""
    session.execute(ADD_PERSON, {"person": name, "curator": curator})


def database_user(session: Session) -> str:
    """The role this connection logged in as (PostgreSQL)."""
    return str(session.execute(CURRENT_USER).scalar_one())


def grant_team(conn: Connection | Session) -> None:
    """Grant the annotators' group every table and sequence there is now (and, by default
    privileges, those the connection's role makes later); nothing when there is no team."""
    conn.execute(GRANT_TEAM)
