"""Analysis ▸ Train model…: train the entity model on a collection's corrections.

The dialog picks a collection, its labels and a time budget, and says which articles will
be held out to measure. The training runs through the ``TaskRunner`` on the long-job
thread; the dialog shows its progress (time, epoch, loss, dev F1), a Cancel that leaves the
model in use as it was, and at the end F1 per label before and after with a button to use
the new model. Reading the collection runs off the GUI thread too.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.services.progress import CancelToken
from desktop.ui.tasks import Task, TaskRunner

if TYPE_CHECKING:
    from desktop.services import training
    from desktop.store import Database

TRAIN = "Train"
USE = "Use this model"


class TrainDialog(QDialog):
    """Train a model for one collection; ``use_model(name, collection)`` makes the new one that
    collection's model."""

    def __init__(
        self,
        db: Database,
        runner: TaskRunner,
        use_model: Callable[[str, str], None],
        collection: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        from desktop.services import library, training

        super().__init__(parent)
        self.db, self.runner, self.use_model = db, runner, use_model
        self.task: Task | None = None
        self.model: training.TrainedModel | None = None
        self.plan: training.TrainingPlan | None = None
        self.setWindowTitle("Train the entity model")
        self.collection = QComboBox()
        self.collection.addItems(library.collection_names(db))
        if collection:
            self.collection.setCurrentText(collection)
        self.labels = QListWidget()
        self.labels.setMaximumHeight(110)
        self.minutes = QDoubleSpinBox()
        self.minutes.setRange(0.1, 24 * 60)
        self.minutes.setDecimals(1)
        self.minutes.setValue(training.DEFAULT_MINUTES)
        self.minutes.setSuffix(" min")
        self.held_out = QLabel()
        self.held_out.setWordWrap(True)
        form = QFormLayout()
        form.addRow("Collection", self.collection)
        form.addRow("Labels", self.labels)
        form.addRow("Time budget", self.minutes)
        form.addRow("Measured on", self.held_out)
        self.bar = QProgressBar()
        self.bar.setFormat("%v of %m s")
        self.bar.hide()
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.table = QTableWidget(0, 3)
        self.table.setHorizontalHeaderLabels(["Label", "F1 before", "F1 after"])
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.hide()
        self.train_button = QPushButton(TRAIN)
        self.use_button = QPushButton(USE)
        self.use_button.hide()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.buttons.addButton(self.train_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.buttons.addButton(self.use_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.cancel_button = QPushButton("Cancel training")
        self.cancel_button.hide()
        row = QHBoxLayout()
        row.addWidget(self.bar, 1)
        row.addWidget(self.cancel_button)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addLayout(row)
        layout.addWidget(self.status)
        layout.addWidget(self.table)
        layout.addWidget(self.buttons)
        self.collection.currentTextChanged.connect(self._collection_changed)
        self.labels.itemChanged.connect(lambda _item: self._replan())
        self.train_button.clicked.connect(self.start)
        self.cancel_button.clicked.connect(self.cancel)
        self.use_button.clicked.connect(self._use)
        self.buttons.rejected.connect(self.reject)
        self.resize(520, 520)
        self._collection_changed(self.collection.currentText())

    # --- what will be trained -------------------------------------------------------

    def chosen_labels(self) -> list[str]:
        items = (self.labels.item(i) for i in range(self.labels.count()))
        return [it.text() for it in items if it.checkState() == Qt.CheckState.Checked]

    def _collection_changed(self, name: str) -> None:
        self.labels.clear()
        self._replan(first=True)

    def _replan(self, first: bool = False) -> None:
        from desktop.services import training

        name = self.collection.currentText()
        chosen = None if first else self.chosen_labels()
        self.train_button.setEnabled(False)
        self.held_out.setText("Reading the collection…")

        def work(_progress: Any, _cancel: CancelToken) -> training.TrainingPlan:
            return training.plan_training(self.db, name, chosen)

        def error(exc: BaseException) -> None:
            self.plan = None
            self.held_out.setText(_sentence(exc))

        self.runner.run("plan training", work, self._planned, error)

    def _planned(self, plan: training.TrainingPlan) -> None:
        self.plan = plan
        if not self.labels.count():
            self.labels.blockSignals(True)
            for label in plan.labels:
                item = QListWidgetItem(label)
                item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                item.setCheckState(Qt.CheckState.Checked)
                self.labels.addItem(item)
            self.labels.blockSignals(False)
        self.held_out.setText(
            f"{len(plan.dev_articles)} of {len(plan.train_articles) + len(plan.dev_articles)} "
            f"annotated articles held out (chosen at random, the same each time); the model "
            f"learns from the other {len(plan.train_articles)} and is saved as {plan.name}."
        )
        self.train_button.setEnabled(self.task is None)

    # --- the training ---------------------------------------------------------------

    def start(self) -> None:
        from desktop.services import training

        if self.plan is None or self.task is not None:
            return
        name, labels = self.plan.collection, self.chosen_labels()
        minutes = float(self.minutes.value())

        def work(progress: Any, cancel: CancelToken) -> training.TrainedModel:
            def report(p: training.TrainingProgress) -> None:
                f1 = "–" if p.best_f1 is None else f"{p.best_f1:.3f}"
                progress(
                    round(p.seconds),
                    round(p.budget_seconds),
                    f"Epoch {p.epoch + 1}, step {p.step}: loss {p.loss:.1f}, best dev F1 {f1}",
                )

            return training.train_collection(
                self.db, name, labels, max_minutes=minutes, progress=report, cancel=cancel
            )

        self.table.hide()
        self.use_button.hide()
        self.train_button.setEnabled(False)
        self.cancel_button.show()
        self.bar.setRange(0, round(minutes * 60))
        self.bar.setValue(0)
        self.bar.show()
        self.status.setText("Preparing the training…")
        task = self.runner.run(
            "train", work, self._trained, self._failed, self._progressed, long=True
        )
        if task.running:  # a synchronous runner (tests) has finished it already
            self.task = task
            task.cancelled.connect(self._cancelled)

    def _progressed(self, done: int, total: int, message: str) -> None:
        self.bar.setRange(0, max(total, 1))
        self.bar.setValue(min(done, total))
        self.status.setText(message)

    def cancel(self) -> None:
        if self.task is not None:
            self.task.cancel()
            self.status.setText("Stopping the training…")

    def _cancelled(self) -> None:
        self._idle()
        self.status.setText("Training cancelled: nothing was saved, the model in use is unchanged.")

    def _failed(self, exc: BaseException) -> None:
        self._idle()
        self.status.setText(_sentence(exc))

    def _trained(self, model: training.TrainedModel) -> None:
        from desktop.services import training

        self._idle()
        self.model = model
        how = "the time budget was spent" if model.stopped == "budget" else "it stopped improving"
        quotes = (
            f" Quote confidences refitted on {model.quotes_judged} checked decisions."
            if model.quotes_judged
            else ""
        )
        self.status.setText(
            f"Trained {model.name} in {model.seconds / 60:.1f} min ({how}).{quotes} F1 on "
            f"the {model.dev_articles} held-out articles, before (the base model) and after:"
        )
        rows = [*model.labels, training.ALL]
        self.table.setRowCount(len(rows))
        for r, label in enumerate(rows):
            before, after = model.before.get(label), model.after.get(label)
            cells = [
                "All labels" if label == training.ALL else label,
                f"{before.f1:.3f}" if before else "–",
                f"{after.f1:.3f}" if after else "–",
            ]
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if c:
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                self.table.setItem(r, c, item)
        self.table.resizeColumnsToContents()
        self.table.show()
        self.use_button.show()
        self._replan()  # the next name

    def _use(self) -> None:
        if self.model is not None:
            self.use_model(self.model.name, self.model.collection)
            self.use_button.setEnabled(False)
            self.use_button.setText(f"{self.model.name} is in use for {self.model.collection}")

    def _idle(self) -> None:
        self.task = None
        self.cancel_button.hide()
        self.bar.hide()
        self.train_button.setEnabled(self.plan is not None)

    def reject(self) -> None:
        """Closing the dialog cancels a running training (nothing half-written is kept)."""
        self.cancel()
        super().reject()


def _sentence(exc: BaseException) -> str:
    from desktop.services import training
    from desktop.store import StoreError

    if isinstance(exc, training.TrainingError | StoreError | ValueError):
        text = str(exc)
    else:
        text = f"The training failed: {exc}"
    text = " ".join(text.split())
    text = text[:1].upper() + text[1:]
    return text if text.endswith(".") else text + "."
