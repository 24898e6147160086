"""The window's actions, menus and toolbar: one place for every command's name, icon and key.

Each action is added to the window itself as well, so its shortcut works wherever the focus
is. Icons are set with ``icons.later``: the main window sets them all before its first paint.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence, QUndoStack

from desktop.ui import icons
from desktop.ui.commands import WindowCommands
from desktop.ui.window_host import WindowHost

Key = QKeySequence.StandardKey


class WindowActions:
    """Creates the actions on ``window`` and fills its menu bar and toolbar."""

    def __init__(
        self,
        window: WindowHost,
        commands: WindowCommands,
        undo_stack: QUndoStack,
        toggle_reviewed: Callable[[], None],
        focus_search: Callable[[], None],
    ) -> None:
        self.window = window
        a = self._action
        c = commands
        self.import_action = a(
            "mdi6.file-import-outline", "&Import files…", c.import_files, Key.Open
        )
        self.import_folder_action = a(
            "mdi6.folder-download-outline", "Import &folder…", c.import_folder, "Ctrl+Shift+O"
        )
        self.export_action = a("mdi6.export", "&Export…", c.export, "Ctrl+E")
        self.restore_action = a("mdi6.backup-restore", "&Restore a backup…", c.restore_backup)
        quit_action = a("mdi6.exit-to-app", "&Quit", window.close, Key.Quit)
        self.analyze_action = a("mdi6.text-search", "Analyze &article", c.analyze_current, "Ctrl+R")
        self.analyze_all_action = a(
            "mdi6.text-box-search-outline",
            "Analyze &collection",
            c.analyze_collection,
            "Ctrl+Shift+R",
        )
        self.train_action = a("mdi6.school-outline", "&Train model…", c.train_model)
        self.model_action = a("mdi6.brain", "Collection &model…", c.choose_collection_model)
        browser, sources = window.browser, window.sources
        next_article = a(
            "mdi6.chevron-down", "&Next article", lambda: browser.step(1), ["Ctrl+PgDown"]
        )
        prev_article = a(
            "mdi6.chevron-up", "&Previous article", lambda: browser.step(-1), ["Ctrl+PgUp"]
        )
        next_quote = a(
            "mdi6.format-quote-close", "Next &quote", lambda: sources.step_quote(1), "Alt+Down"
        )
        prev_quote = a(
            "mdi6.format-quote-open", "Previous q&uote", lambda: sources.step_quote(-1), "Alt+Up"
        )
        find = a("mdi6.magnify", "&Search articles", focus_search, Key.Find)
        undo = undo_stack.createUndoAction(window, "&Undo")
        icons.later(undo, "mdi6.undo")
        undo.setShortcuts(Key.Undo)
        redo = undo_stack.createRedoAction(window, "&Redo")
        icons.later(redo, "mdi6.redo")
        redo.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        window.addActions([undo, redo])
        self.reviewed_action = a(
            "mdi6.check-decagram-outline", "Mark &reviewed", toggle_reviewed, "Ctrl+Return"
        )
        self.reviewed_action.setCheckable(True)
        self.labels_action = a(
            "mdi6.label-multiple-outline", "&Labels of this collection…", c.edit_labels
        )
        prefs = a("mdi6.cog-outline", "&Preferences…", c.preferences, Key.Preferences)
        about = a("mdi6.information-outline", "&About Quotedesk", c.about)

        self._menus(
            {
                "&File": [
                    self.import_action,
                    self.import_folder_action,
                    self.export_action,
                    None,
                    self.restore_action,
                    None,
                    quit_action,
                ],
                "&Edit": [undo, redo, None, self.reviewed_action, None, self.labels_action],
                "&Go": [next_article, prev_article, None, next_quote, prev_quote, None, find],
                "&Analysis": [
                    self.analyze_action,
                    self.analyze_all_action,
                    None,
                    self.train_action,
                    self.model_action,
                ],
                "&Settings": [prefs],
                "&Help": [about],
            }
        )
        self._toolbar(
            [
                self.import_action,
                self.analyze_action,
                self.analyze_all_action,
                self.export_action,
                None,
                undo,
                redo,
                self.reviewed_action,
            ]
        )

    def _action(
        self, icon: str, text: str, slot: Callable[[], Any], shortcut: Any = None
    ) -> QAction:
        act = QAction(text, self.window)
        icons.later(act, icon)
        act.triggered.connect(slot)
        if shortcut is not None:
            keys = shortcut if isinstance(shortcut, list) else [shortcut]
            act.setShortcuts([QKeySequence(k) for k in keys])
        self.window.addAction(act)  # shortcuts work wherever the focus is
        return act

    def _menus(self, menus: dict[str, list[QAction | None]]) -> None:
        for title, actions in menus.items():
            menu = self.window.menuBar().addMenu(title)
            for act in actions:
                if act is None:
                    menu.addSeparator()
                else:
                    menu.addAction(act)

    def _toolbar(self, actions: list[QAction | None]) -> None:
        toolbar = self.window.addToolBar("Main")
        toolbar.setObjectName("mainToolbar")
        toolbar.setMovable(False)
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        for act in actions:
            if act is None:
                toolbar.addSeparator()
            else:
                toolbar.addAction(act)
