"""Add trials by NCT id (typed, pasted or as a study URL) or by searching the registry."""

from __future__ import annotations

import re
from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from tracker.context import AppContext
from tracker.domain import InvalidTrialIdError, parse_nct_id
from tracker.domain.enums import phase_label
from tracker.domain.ids import join_spaced_ids
from tracker.services.browse import known_trials
from tracker.ui.tasks import TaskRunner

_SEPARATORS = re.compile(r"[\s,;]+")


def parse_id_list(text: str) -> list[str]:
    """Every id in pasted text; raises InvalidTrialIdError naming every malformed one."""
    tokens = [t for t in _SEPARATORS.split(join_spaced_ids(text).strip()) if t]
    ids, bad = [], []
    for token in tokens:
        try:
            ids.append(parse_nct_id(token))
        except InvalidTrialIdError as error:
            bad.append(error)
    if len(bad) == 1:
        raise bad[0]
    if bad:
        raise MalformedIdsError([error.text for error in bad])
    return list(dict.fromkeys(ids))


class MalformedIdsError(InvalidTrialIdError):
    """Several malformed ids in one paste: all of them named, so all are fixed at once."""

    def __init__(self, texts: list[str]) -> None:
        from tracker.domain.registry_text import shown_visibly

        super().__init__(texts[0])
        shown = [shown_visibly(text) for text in texts]
        hint = "" if shown == texts else (
            "; <U+…> marks an invisible or control character: type the ids instead of "
            "pasting them")
        self.args = (f"{len(texts)} are not NCT ids: {', '.join(shown)} "
                     f"(expected NCT followed by 8 digits{hint})",)
        self.texts = texts


def _one_or_count(ids: list[str]) -> str:
    return ids[0] if len(ids) == 1 else f"{len(ids)} ids"


def _record_block(trial_id: str, record) -> str:
    status = record.status.label if record.status else "unknown status"
    asked = f" (asked for as {trial_id})" if trial_id != record.nct_id else ""
    title = " ".join(t for t in (record.acronym, record.brief_title) if t) or record.nct_id
    return (f"**{record.nct_id}**{asked} · will be added · {status} · "
            f"{phase_label(list(record.phases))}  \n{title}  \n"
            f"Conditions: {', '.join(record.conditions) or 'not stated'} · "
            f"Interventions: {', '.join(record.interventions) or 'not stated'}")


class AddTrialDialog(QDialog):
    def __init__(self, context: AppContext, runner: TaskRunner, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Add trials")
        self.resize(640, 480)
        self.context = context
        self.runner = runner
        self.chosen_ids: list[str] = []
        self.known: dict[str, str] = {}  # typed ids already in the library -> title
        self._previewed: str | None = None  # the text Preview was pressed for
        self._preview_round = 0  # which Preview's answers are shown (the latest's only)
        self._check_timer = QTimer(self)
        self._check_timer.setSingleShot(True)
        self._check_timer.setInterval(300)
        self._build_ui()
        self._connect()

    def _build_ui(self) -> None:
        self.ids_edit = QPlainTextEdit()
        self.ids_edit.setPlaceholderText("NCT04277637, nct06073821 or "
                                         "https://clinicaltrials.gov/study/NCT04277637 …")
        self.preview_button = QPushButton("Preview")
        self.message = QLabel("")
        self.message.setWordWrap(True)
        self.preview = QTextBrowser()
        by_id = QWidget()
        layout = QVBoxLayout(by_id)
        layout.addWidget(QLabel("NCT ids, one or more (typed, pasted, or study URLs):"))
        layout.addWidget(self.ids_edit, 1)
        row = QHBoxLayout()
        row.addWidget(self.preview_button)
        row.addWidget(self.message, 1)
        layout.addLayout(row)
        layout.addWidget(self.preview, 2)
        self.search_edit = QLineEdit()
        self.search_edit.setPlaceholderText("e.g. venetoclax mantle cell")
        self.search_button = QPushButton("Search registry")
        self.results = QListWidget()
        search_page = QWidget()
        search_layout = QVBoxLayout(search_page)
        search_row = QHBoxLayout()
        search_row.addWidget(self.search_edit, 1)
        search_row.addWidget(self.search_button)
        search_layout.addLayout(search_row)
        search_layout.addWidget(self.results, 1)
        self.tabs = QTabWidget()
        self.tabs.addTab(by_id, "By NCT id")
        self.tabs.addTab(search_page, "Search the registry")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Add")
        outer = QVBoxLayout(self)
        outer.addWidget(self.tabs)
        outer.addWidget(self.buttons)

    def _connect(self) -> None:
        self.preview_button.clicked.connect(self._on_preview_clicked)
        self.search_button.clicked.connect(self._on_search_clicked)
        self.search_edit.returnPressed.connect(self._on_search_clicked)
        self.buttons.accepted.connect(self._on_accepted)
        self.buttons.rejected.connect(self.reject)
        self.ids_edit.textChanged.connect(self._check_timer.start)
        self._check_timer.timeout.connect(self._check_known)

    def _check_known(self) -> None:
        """Say which typed ids are already in the library, while the user types."""
        try:
            ids = parse_id_list(self.ids_edit.toPlainText())
        except InvalidTrialIdError:
            return  # said when the user presses Preview or Add
        text = self.ids_edit.toPlainText()
        self.runner.database("known ids", known_trials, self.context.library, ids,
                             on_result=lambda known: self._on_known(text, ids, known))

    def _on_known(self, text: str, ids: list[str], known: dict[str, str]) -> None:
        if text != self.ids_edit.toPlainText() or text == self._previewed:
            return  # typed on meanwhile, or Preview (which checks again) says it all
        self.known = known
        self._say_known(ids, known)

    def _say_known(self, ids: list[str], known: dict[str, str]) -> None:
        """Before Preview only the library is known: which of the other ids the registry
        has (and so will be added) is for Preview to say."""
        if not known:
            self._say("")
            return
        names = ", ".join(f"{i} ({title})" for i, title in known.items())
        if len(known) == len(ids):  # information, not an error: a neutral colour
            self._say(f"Already in the library: {names}. Nothing new to add.")
        else:
            others = len(ids) - len(known)
            self._say(f"Already in the library: {names}. Preview looks up the other "
                      f"{'one' if others == 1 else others} in the registry.")

    def _valid_ids(self) -> list[str] | None:
        try:
            ids = parse_id_list(self.ids_edit.toPlainText())
        except InvalidTrialIdError as error:
            self._say(str(error), error=True)
            return None
        if not ids:
            self._say("Type or paste at least one NCT id.", error=True)
            return None
        return ids

    def _say(self, text: str, error: bool = False) -> None:
        self.message.setText(text)
        self.message.setStyleSheet("color: #c62828;" if error else "")

    def _on_preview_clicked(self) -> None:
        """Which ids the library holds is asked again here, not taken from the check while
        typing: Preview pressed before that check answered would offer them as new."""
        ids = self._valid_ids()
        if ids is None:
            return
        self._check_timer.stop()
        text = self._previewed = self.ids_edit.toPlainText()
        self._preview_round += 1
        this_round = self._preview_round

        def current() -> bool:  # an older Preview's answer, or one for other text, is dropped
            return this_round == self._preview_round and self.ids_edit.toPlainText() == text

        self._say("Looking up…")
        self.runner.database(
            "known ids", known_trials, self.context.library, ids,
            on_result=lambda known: current() and self._look_up(ids, known, current),
            on_error=lambda error: current() and self._on_preview_failed(error))

    def _look_up(self, ids: list[str], known: dict[str, str],
                 current: Callable[[], bool] = lambda: True) -> None:
        self.known = known
        new = [i for i in ids if i not in known]
        if not new:  # every id is in the library: nothing to ask the registry
            self._show_preview(ids, None)
            return
        self._say(f"Looking up {_one_or_count(new)}…")

        def fetch(progress, cancel):
            from tracker.services.registry import RegistryService

            client = self.context.make_client()
            try:
                return RegistryService(self.context.library, client).look_up(new)
            finally:
                client.close()

        self.runner.long_job(
            "preview", fetch,
            on_result=lambda lookup: current() and self._show_preview(ids, lookup),
            on_error=lambda error: current() and self._on_preview_failed(error))

    def _on_preview_failed(self, error: Exception) -> None:
        from tracker.ui.failure_text import plain_error

        self._say(plain_error(str(error)), error=True)
        self.message.setToolTip(str(error))  # the request itself, for whoever needs it

    def _show_preview(self, ids: list[str], lookup) -> None:
        """One line per id entered: found (with its title), already in the library,
        not found in the registry, or failed; the counts add up to the ids entered."""
        found = lookup.found if lookup else {}
        not_found = lookup.not_found if lookup else []
        failed = lookup.failed if lookup else {}
        blocks = []
        for trial_id in ids:
            if trial_id in self.known:
                blocks.append(f"**{trial_id}** · already in the library "
                              f"({self.known[trial_id]}) · nothing to add")
            elif trial_id in found:
                blocks.append(_record_block(trial_id, found[trial_id]))
            elif trial_id in not_found:
                blocks.append(f"**{trial_id}** · not found in the registry · "
                              "check the number; it will not be added")
            else:
                blocks.append(f"**{trial_id}** · could not be looked up: "
                              f"{failed.get(trial_id, 'no answer')}")
        self.preview.setMarkdown("\n\n".join(blocks))
        counts = [(len([i for i in ids if i in found and i not in self.known]),
                   "will be added"),
                  (len([i for i in ids if i in self.known]), "already in the library"),
                  (len([i for i in ids if i in not_found]), "not found in the registry"),
                  (len([i for i in ids if i in failed]), "could not be looked up")]
        parts = ", ".join(f"{n} {what}" for n, what in counts if n)
        entered = f"{len(ids)} id{'s' if len(ids) != 1 else ''} entered"
        self._say(f"{entered}: {parts}.", error=not counts[0][0] and not counts[1][0])

    def _on_search_clicked(self) -> None:
        text = self.search_edit.text().strip()
        if not text:
            return
        self.results.clear()
        self.results.addItem("Searching…")

        def search(progress, cancel):
            from tracker.services.registry import RegistryService

            client = self.context.make_client()
            try:
                return RegistryService(self.context.library, client).search_registry(text)[0]
            finally:
                client.close()

        self.runner.long_job("registry search", search, on_result=self._on_results,
                             on_error=self._on_search_failed)

    def _on_search_failed(self, error: Exception) -> None:
        self.results.clear()
        self.results.addItem(f"Search failed: {error}")

    def _on_results(self, candidates) -> None:
        self.results.clear()
        for candidate in candidates:
            record = candidate.record
            status = record.status.label if record.status else ""
            label = f"{record.nct_id}  {record.acronym or ''} {record.brief_title or ''} ({status})"
            item = QListWidgetItem(label + ("  — already in library" if candidate.in_library else ""))
            item.setData(Qt.ItemDataRole.UserRole, record.nct_id)
            item.setCheckState(Qt.CheckState.Unchecked)
            if candidate.in_library:
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEnabled)
            self.results.addItem(item)
        if not candidates:
            self.results.addItem("No registry study matches.")

    def _checked_results(self) -> list[str]:
        items = [self.results.item(i) for i in range(self.results.count())]
        return [i.data(Qt.ItemDataRole.UserRole) for i in items
                if i.data(Qt.ItemDataRole.UserRole) and i.checkState() == Qt.CheckState.Checked]

    def _on_accepted(self) -> None:
        if self.tabs.currentIndex() == 1:
            self.chosen_ids = self._checked_results()
        else:
            ids = self._valid_ids()
            if ids is None:
                return  # stay open: the message says what is wrong
            if set(ids) <= set(self.known):
                self._say_known(ids, self.known)
                return  # every id is in the library already: the message says so
            self.chosen_ids = ids  # every id, so the report accounts for each one entered
        if self.chosen_ids:
            self.accept()
