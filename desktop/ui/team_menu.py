"""The window's Team menu: assignments, agreement, and curating the article on screen.

The connection's annotator (who assigns and curates here) is ``$QUOTEDESK_ANNOTATOR``, the
login role on PostgreSQL, or the OS user (``services.team.connection_annotator``). Each
view is a dialog of its own module; this one only opens them for the collection and article
the window shows.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QLabel, QMenu

from desktop.domain.names import elide
from desktop.ui import icons
from desktop.ui.window_host import WindowHost

if TYPE_CHECKING:
    from desktop.ui.agreement_view import AgreementView
    from desktop.ui.assignment_view import AssignmentView
    from desktop.ui.curation_view import CurationView


class TeamMenu:
    """Adds "&Team" to the window's menu bar, before Settings."""

    def __init__(self, window: WindowHost) -> None:
        self.window = window
        # who assigns and curates here: asked at the first use on a server (the window's
        # start tells it first, from its worker thread: ``annotator_name.start``)
        self._me: str | None = None
        self.menu = QMenu("&Team", window)
        self.menu.setObjectName("teamMenu")
        self.assignments_action = self._action("mdi6.account-multiple-outline",
                                               "&Assignments…", self.open_assignments)  # fmt: skip
        self.agreement_action = self._action("mdi6.scale-balance", "A&greement…",
                                             self.open_agreement)  # fmt: skip
        self.curate_action = self._action("mdi6.call-merge", "&Curate this article…",
                                          self.open_curation)  # fmt: skip
        self.menu.addSeparator()
        self.curated_action = self._action(
            "mdi6.pencil-box-outline", "&Edit the curated version", self.edit_curated
        )
        self.curated_action.setCheckable(True)
        self.curated_action.setToolTip(
            "Show and edit each article's curated version (where it has one) instead of "
            "your own or the shared layer"
        )
        bar = window.menuBar()
        before = next((a for a in bar.actions() if a.text() == "&Settings"), None)
        if before is not None:
            bar.insertMenu(before, self.menu)
        else:
            bar.addMenu(self.menu)
        self.views: list[object] = []  # the last of each kind, for tests and screenshots
        self.layer_label = QLabel()  # which layer is on screen, when it is not the shared one
        self.layer_label.setObjectName("layerLabel")
        self.layer_label.hide()
        window.statusBar().addPermanentWidget(self.layer_label)

    @property
    def me(self) -> str:
        """The connection's annotator (``services.team.connection_annotator``)."""
        from desktop.services import team

        if self._me is None:
            self._me = team.own_name(self.window.db)
        return self._me

    @me.setter
    def me(self, name: str) -> None:
        self._me = name

    @property
    def named(self) -> bool:
        """Whether ``me`` is known without asking the server."""
        return self._me is not None

    def _action(self, icon: str, text: str, slot: object) -> QAction:
        act = QAction(text, self.window)
        icons.later(act, icon)
        act.triggered.connect(slot)
        self.menu.addAction(act)
        return act

    def show_layer(self, article_id: int | None) -> None:
        """Say in the status bar which layer of the article the window shows and edits."""
        # a LayerEditor's ``showing``; none before the window's editor is made (issue 16)
        showing = getattr(getattr(self.window.edits, "editor", None), "showing", None)
        kind = ""
        if isinstance(showing, dict) and article_id is not None:
            kind = showing.get(article_id, "shared")
        text = ""
        if kind == "annotator":  # the name only when it is shown (it may ask the database)
            text = f"Your layer ({elide(self.me, 30)})"
        elif kind == "curated":
            text = "Curated version"
        self.layer_label.setText(text)
        self.layer_label.setVisible(bool(text))

    def edit_curated(self) -> None:
        """Switch the window's editor to the curated versions (or back) and show again."""
        from desktop.services.team_editing import LayerEditor

        editor = getattr(self.window.edits, "editor", None)
        if not isinstance(editor, LayerEditor):
            return
        editor.curating = self.curated_action.isChecked()
        self.window.edits.stack.clear()  # an undo must never cross from one layer to another
        if self.window.current_id is not None:
            self.window.show_article(self.window.current_id)

    def _collection(self) -> str:
        return self.window.browser.collection() or self.window.shown_collection or ""

    def open_assignments(self) -> AssignmentView:
        from desktop.ui.assignment_view import AssignmentView

        view = AssignmentView(
            self.window.db, self.window.runner, self.me, self.window.browser.select, self.window
        )
        view.on_error = self.window.show_error
        self.views.append(view)
        view.load(self._collection())
        view.show()
        return view

    def open_agreement(self) -> AgreementView:
        from desktop.ui.agreement_view import AgreementView

        view = AgreementView(self.window.db, self.window.runner, self.window)
        view.on_error = self.window.show_error
        self.views.append(view)
        view.load(self._collection() or None)
        view.show()
        return view

    def open_curation(self) -> CurationView | None:
        from desktop.ui.curation_view import CurationView

        article_id = self.window.current_id
        if article_id is None:
            self.window.statusBar().showMessage("Pick an article to curate first.", 5000)
            return None
        view = CurationView(self.window.db, self.window.runner, self.me, self.window)
        view.on_error = self.window.show_error
        self.views.append(view)
        view.load(article_id)
        view.show()
        return view
