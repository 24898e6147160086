"""Who this window annotates as, on a shared database: asked once, kept in the settings,
shown in the status bar, changed in Preferences.

A database has a team when its annotator table is not empty (someone was assigned
articles, given a role, or imported a version). The first time a window opens such a
database without a name for it, a small dialog asks for one, offering the name the
connection has anyway (the login role on PostgreSQL, else the OS user). The name is kept
per database (a key made from its location, never a password) and put in
``$QUOTEDESK_ANNOTATOR`` for this process, which every editor and team view reads
(``services.team.connection_annotator``). A ``$QUOTEDESK_ANNOTATOR`` set before the start
wins and nothing is asked.

At the window's start (``start``) the database is asked (is there a team? what is the
connection's own name?) on the window's worker thread, never on the GUI thread; the
dialog and the status bar's name follow when it answers.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from typing import TYPE_CHECKING
from weakref import WeakKeyDictionary

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QStatusBar,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.names import elide
from desktop.services.progress import CancelToken
from desktop.ui import settings as S
from desktop.ui.window_host import WindowHost

if TYPE_CHECKING:
    from desktop.store import Database

LABEL_NAME = "annotatorLabel"


def current_user() -> str:
    """The OS user's name (``services.editing.current_user``)."""
    from desktop.services import editing

    return editing.current_user()


def setting_for(db: Database) -> S.Setting[str]:
    """The setting that keeps this database's annotator name."""
    return setting_for_location(db.location)


def setting_for_location(location: str) -> S.Setting[str]:
    """``setting_for`` a database whose ``Database.location`` is ``location``."""
    digest = hashlib.sha256(location.encode("utf-8")).hexdigest()[:20]
    return S.Setting(f"team/annotator_{digest}", str, "")


def has_team(db: Database) -> bool:
    """Whether anyone is in the database's annotator table (False when it cannot say)."""
    from sqlalchemy.exc import SQLAlchemyError

    from desktop.store import StoreError, layers

    try:
        with db.session() as session:
            return bool(layers.annotators(session))
    except (StoreError, SQLAlchemyError):
        return False


# a server connection's login role, once asked (it cannot change while the database is
# open): the start asks on the worker thread, so Preferences need not ask on the GUI's
_login_roles: WeakKeyDictionary[Database, str] = WeakKeyDictionary()


def default_name(db: Database) -> str:
    """The name the connection has without asking: the login role on PostgreSQL, else the
    OS user (``$QUOTEDESK_ANNOTATOR`` aside)."""
    from sqlalchemy.exc import SQLAlchemyError

    from desktop.services import team
    from desktop.store import StoreError

    role_only = db.on_server and not os.environ.get(team.ANNOTATOR_ENV)
    if role_only and db in _login_roles:
        return _login_roles[db]
    try:
        name = team.connection_annotator(db=db)
    except (team.TeamError, StoreError, SQLAlchemyError):
        return current_user()
    if role_only:
        _login_roles[db] = name
    return name


class AnnotatorNameDialog(QDialog):
    """Asks for the name to annotate under; a name no rule allows is said under the field."""

    def __init__(self, suggested: str, on_server: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Your annotator name")
        self.setObjectName("annotatorNameDialog")
        self.edit = QLineEdit(suggested)
        self.edit.setObjectName("annotatorNameEdit")
        self.edit.selectAll()
        why = (
            "This database is shared by a team. Every edit you make is recorded under your "
            "name, and in parallel work your own layer carries it."
        )
        if on_server:
            why += (
                f" On this server your login role is {elide(suggested, 40)}: the server lets "
                "you write only the layer of that name."
            )
        intro = QLabel(why + " You can change it later in Preferences.")
        intro.setWordWrap(True)
        self.note = QLabel("")
        self.note.setObjectName("annotatorNameNote")
        self.note.setWordWrap(True)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        for widget in (intro, self.edit, self.note, buttons):
            layout.addWidget(widget)
        self.chosen = ""

    def accept(self) -> None:
        problem = check_name(self.edit.text())
        if problem:
            self.note.setText(problem)
            return
        self.chosen = self.edit.text().strip()
        super().accept()


def check_name(text: str) -> str:
    """Why ``text`` cannot be an annotator's name, in one line; empty when it can."""
    from desktop.services import team

    if not text.strip():
        return "Type a name."
    try:
        team.connection_annotator(text.strip())
    except team.TeamError as exc:
        return str(exc)
    return ""


def choose(
    db: Database, settings: S.Settings, ask: bool = True, parent: QWidget | None = None
) -> str | None:
    """Before the window opens: the name it annotates as, put in ``$QUOTEDESK_ANNOTATOR``;
    None when the connection's own name stands. Asks (when ``ask``) only on a database with
    a team and no name kept for it; Cancel keeps the connection's name for this start."""
    from desktop.services import team

    if os.environ.get(team.ANNOTATOR_ENV):
        return None
    key = setting_for(db)
    name = settings.get(key)
    if not name and ask and has_team(db):
        dialog = AnnotatorNameDialog(default_name(db), db.on_server, parent)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            name = dialog.chosen
            settings.set(key, name)
            settings.sync()
    if name and check_name(name):
        name = ""  # a kept name the rules no longer allow: the connection's own
    if name:
        os.environ[team.ANNOTATOR_ENV] = name
    return name or None


@dataclass(frozen=True)
class TeamCheck:
    """What the window's start needs to know of the database, read off the GUI thread."""

    has_team: bool
    default: str


def look(db: Database) -> TeamCheck:
    """Ask the database whether it has a team and what the connection is called."""
    return TeamCheck(has_team(db), default_name(db))


def kept_name(db: Database, settings: S.Settings) -> str | None:
    """The name kept for this database (put in ``$QUOTEDESK_ANNOTATOR``), read from the
    settings alone: None when there is none, the rules no longer allow it, or the
    variable was set before the start."""
    from desktop.services import team

    if os.environ.get(team.ANNOTATOR_ENV):
        return None
    name = settings.get(setting_for(db))
    if not name or check_name(name):
        return None
    os.environ[team.ANNOTATOR_ENV] = name
    return name


def start(window: WindowHost, settings: S.Settings, named: str | None, ask: bool = True) -> None:
    """At the window's start, what ``choose`` then ``show_in`` do, with the database read
    on the window's worker thread. ``named``: ``kept_name``'s answer, taken before the
    window was made (so its editor has it). Without it or ``$QUOTEDESK_ANNOTATOR``, the
    dialog asks (when ``ask``) on a team's database once the worker has answered; then
    the status bar shows the name."""
    from desktop.services import team
    from desktop.services.team_editing import LayerEditor

    db = window.db
    may_ask = ask and named is None and not os.environ.get(team.ANNOTATOR_ENV)

    def answered(found: TeamCheck) -> None:
        editor = getattr(window.edits, "editor", None)
        if isinstance(editor, LayerEditor) and not editor.named:
            editor.user = found.default  # the login role, asked on the worker thread
        team_menu = getattr(window, "team_menu", None)
        if team_menu is not None and not team_menu.named:
            team_menu.me = found.default
        name = named
        if may_ask and found.has_team:
            dialog = AnnotatorNameDialog(found.default, db.on_server, window)
            if dialog.exec() == QDialog.DialogCode.Accepted:
                name = dialog.chosen
                settings.set(setting_for(db), name)
                settings.sync()
                apply(window, name)
        show_in(window, name is not None or found.has_team, found.default)

    def work(_progress: object, _cancel: CancelToken) -> TeamCheck:
        return look(db)

    window.runner.run("annotator name", work, on_result=answered, on_error=lambda _e: None)


def label_text(name: str) -> str:
    return f"Annotator: {elide(name, 30)}"


def show_in(window: WindowHost, visible: bool, default: str | None = None) -> QLabel:
    """Put "Annotator: NAME" in the window's status bar, and offer the browser's "Assigned
    to me", when ``visible`` (a team's database, or a name chosen); ``default``: the
    connection's own name, when known (else it is asked of the database)."""
    name = _name_of(window, default)
    window.browser.set_annotator(name, offer=visible)
    label = QLabel(label_text(name))
    label.setObjectName(LABEL_NAME)
    label.setToolTip("Your edits are recorded under this name; change it in Preferences")
    window.statusBar().addPermanentWidget(label)
    label.setVisible(visible)
    return label


def _name_of(window: WindowHost, default: str | None = None) -> str:
    from desktop.services.team_editing import LayerEditor

    editor = getattr(window.edits, "editor", None)
    if isinstance(editor, LayerEditor):
        return editor.user
    return default if default is not None else default_name(window.db)


def apply(window: WindowHost, name: str) -> None:
    """Annotate as ``name`` from now on: the editor, the team views, the browser's
    "Assigned to me", the status bar. The undo history is cleared (an undo never crosses
    from one person's edits to another's) and the article shown again (in parallel work,
    the new name's own layer)."""
    from desktop.services import team
    from desktop.services.team_editing import LayerEditor

    os.environ[team.ANNOTATOR_ENV] = name
    editor = getattr(window.edits, "editor", None)
    if isinstance(editor, LayerEditor) and editor.user != name:
        editor.user = name
        editor.showing.clear()
        window.edits.stack.clear()
        if window.current_id is not None:
            window.show_article(window.current_id)
    window.browser.set_annotator(name)
    team_menu = getattr(window, "team_menu", None)
    if team_menu is not None:
        team_menu.me = name
    bar = window.statusBar()
    label = bar.findChild(QLabel, LABEL_NAME) if isinstance(bar, QStatusBar) else None
    if label is not None:
        label.setText(label_text(name))
        label.show()
