"""The centre pane: the article's title and metadata, a label legend, and the text."""

from __future__ import annotations

import html
from collections.abc import Callable

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QLabel, QSizePolicy, QToolButton, QVBoxLayout, QWidget

from desktop.domain import Article
from desktop.domain.names import elide
from desktop.ui.annotating_view import AnnotatingView
from desktop.ui.colors import quote_color
from desktop.ui.flow_layout import FlowLayout

MAX_TITLE_SHOWN = 300  # characters of a title the pane shows (a few lines at most)


class Legend(QWidget):
    """One toggle per entity label in the article; unticking hides that label."""

    toggled = Signal(str, bool)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("legend")
        self._layout = FlowLayout(self)
        self.buttons: dict[str, QToolButton] = {}

    def set_labels(
        self,
        counts: dict[str, int],
        hidden: set[str],
        colors: Callable[[str], QColor],
        keys: dict[str, str],
        dark: bool,
    ) -> None:
        while self._layout.count():
            item = self._layout.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        self.buttons = {}
        for label in sorted(counts):
            button = QToolButton(self)
            key = f"{keys[label]} " if keys.get(label) else ""
            # elided: a label stored before names were checked may be any length
            button.setText(f"{key}{elide(label, 30)} {counts[label]}")
            button.setCheckable(True)
            button.setChecked(label not in hidden)
            shortcut = f"; key {keys[label]} labels a selection" if keys.get(label) else ""
            button.setToolTip(f"Show or hide {elide(label, 100)} highlights{shortcut}")
            colour = colors(label).name()
            text = "#ffffff" if colors(label).lightness() < 140 else "#000000"
            button.setStyleSheet(
                f"QToolButton {{ border: 1px solid {colour}; border-radius: 3px; "
                f"padding: 1px 5px; color: palette(mid); }}"
                f"QToolButton:checked {{ background: {colour}; color: {text}; }}"
            )
            button.toggled.connect(lambda on, name=label: self.toggled.emit(name, on))
            self._layout.addWidget(button)
            self.buttons[label] = button
        mark = QLabel(
            f'<span style="text-decoration: underline; text-decoration-color: '
            f'{quote_color(dark).name()}">quote</span>'
        )
        mark.setToolTip("Quotes are underlined")
        self._layout.addWidget(mark)


class ArticlePane(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = QLabel()
        self.title.setObjectName("articleTitle")
        self.title.setWordWrap(True)
        self.title.setTextFormat(Qt.TextFormat.RichText)
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.meta = QLabel()
        self.meta.setObjectName("articleMeta")
        self.meta.setWordWrap(True)
        self.meta.setTextFormat(Qt.TextFormat.PlainText)
        for label in (self.title, self.meta):
            # a word longer than the pane (a title of one long word) is cut, not widening it
            label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
            label.setMinimumWidth(1)
        self.legend = Legend()
        self.view = AnnotatingView()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.title)
        layout.addWidget(self.meta)
        layout.addWidget(self.legend)
        layout.addWidget(self.view, 1)
        self.legend.toggled.connect(self._toggle_label)

    def show_message(self, message: str) -> None:
        self.title.clear()
        self.meta.clear()
        self._update_legend()
        self.view.show_message(message)

    def show_article(self, article: Article) -> None:
        title = elide(article.title or article.external_id, MAX_TITLE_SHOWN)
        self.title.setText(f"<h2 style='margin:0'>{html.escape(title)}</h2>")
        self.meta.setText(" · ".join(meta_line(article)))
        self.view.show_article(article)
        self._update_legend()

    def _update_legend(self) -> None:
        dark = self.view.dark
        keys = {lab.name: lab.key for lab in self.view.labels}
        self.legend.set_labels(
            self._label_counts(),
            self.view.hidden_labels,
            lambda label: self.view.color_of(label, dark),
            keys,
            dark,
        )

    def _label_counts(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for entity in self.view.article.entities if self.view.article else []:
            if entity.rejected:
                continue
            counts[entity.label] = counts.get(entity.label, 0) + 1
        return counts

    def _toggle_label(self, label: str, shown: bool) -> None:
        if shown:
            self.view.hidden_labels.discard(label)
        else:
            self.view.hidden_labels.add(label)
        self.view.refresh_highlights()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange and self.view.article is not None:
            self._update_legend()


def meta_line(article: Article) -> list[str]:
    parts = []
    for key in ("published", "author", "sitename", "url", "file"):
        value = article.meta.get(key)
        if value:
            parts.append(elide(str(value), 120))
    status = article.status.replace("_", " ")
    if article.status_by:  # who set it, and on which day (UTC)
        when = f" on {article.status_at:%Y-%m-%d}" if article.status_at else ""
        status += f" by {elide(article.status_by, 40)}{when}"
    parts.append(status)
    if article.model_name:
        parts.append(f"analyzed with {article.model_name} {article.model_version or ''}".strip())
    else:
        parts.append("not analyzed yet")
    return parts
