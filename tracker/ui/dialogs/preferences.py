"""Preferences: API URL, request pace, sync on start; the data directory is shown."""

from __future__ import annotations

from pydantic import ValidationError
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QWidget,
)

from tracker.context import AppContext
from tracker.domain.geo import UnknownPlaceError, resolve_place
from tracker.domain.plain_errors import plain_message
from tracker.settings import DEFAULT_API_URL, Preferences
from tracker.settings_url import shown_url

_FIELD_NAMES = {"api_url": "The API URL", "author_name": "Your name",
                "home_location": "The home location", "request_pace_seconds": "The request pace"}


def plain_validation_error(error: ValidationError, api_url: str) -> str:
    """The first problem in words ("… is not a web address …"), not pydantic's wording."""
    first = error.errors()[0]
    field = str(first["loc"][0]) if first.get("loc") else ""
    if field == "api_url":
        shown = shown_url(api_url.strip()) or "an empty address"
        if "@" in api_url:
            return (f"“{shown}” carries a user name or password; the registry needs none: "
                    "leave them out.")
        return (f"“{shown}” is not a web address: the API URL starts with https:// (or "
                f"http://), for example {DEFAULT_API_URL}.")
    return f"{_FIELD_NAMES.get(field, field)} {plain_message(first)}."


def _fit_placeholder(edit: QLineEdit) -> None:
    """Wide enough to show its placeholder whole."""
    metrics = edit.fontMetrics()
    edit.setMinimumWidth(metrics.horizontalAdvance(edit.placeholderText())
                         + 3 * metrics.averageCharWidth())


def _address_in_use(context: AppContext) -> QLabel | None:
    """When `--api-url` or $TRACKER_API_URL chooses the registry address, the address in use
    and what sets it: the field above is what applies without them (a reviewer edited the
    field to mend a failing sync and nothing changed)."""
    source = context.api_url_set_by()
    if source is None:
        return None
    without = "it is unset" if source.startswith("$") else "the app starts without it"
    label = QLabel(f"In use now: {shown_url(context.api_url)}, set by {source}. The address "
                   f"above applies when {without}.")
    label.setWordWrap(True)
    label.setStyleSheet("color: palette(placeholder-text);")
    return label


class PreferencesDialog(QDialog):
    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Preferences")
        self.context = context
        prefs = context.preferences
        self.api_url = QLineEdit(prefs.api_base)
        self.api_url.setPlaceholderText(DEFAULT_API_URL)
        self.pace = QDoubleSpinBox()
        self.pace.setRange(0.0, 10.0)
        self.pace.setSingleStep(0.1)
        self.pace.setSuffix(" s between requests")
        self.pace.setValue(prefs.request_pace_seconds)
        self.author_name = QLineEdit(prefs.author_name)
        self.author_name.setPlaceholderText("shown on your notes in shared watch lists")
        self.author_name.setMaxLength(120)
        self.home_location = QLineEdit(prefs.home_location)
        self.home_location.setPlaceholderText("a city (e.g. Berlin) or latitude,longitude")
        self.home_location.setMaxLength(120)
        for edit in (self.api_url, self.author_name, self.home_location):
            _fit_placeholder(edit)
        self.home_location.setToolTip("Used for the nearest recruiting sites; cities come from "
                                      "a bundled list of major cities (docs/sites.md)")
        self.sync_on_start = QCheckBox("Sync all trials when the app starts")
        self.sync_on_start.setChecked(prefs.sync_on_start)
        data_dir = QLabel(str(context.data_dir))
        data_dir.setTextInteractionFlags(data_dir.textInteractionFlags().TextSelectableByMouse)
        self.error = QLabel("")
        self.error.setStyleSheet("color: #c62828;")
        self.error.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                   | QDialogButtonBox.StandardButton.Cancel)
        form = QFormLayout(self)
        form.addRow("ClinicalTrials.gov API URL", self.api_url)
        self.api_url_in_use = _address_in_use(context)
        if self.api_url_in_use is not None:
            form.addRow("", self.api_url_in_use)
        form.addRow("Request pace", self.pace)
        form.addRow("", self.sync_on_start)
        form.addRow("Your name", self.author_name)
        form.addRow("Home location", self.home_location)
        form.addRow("Data directory", data_dir)
        form.addRow(self.error)
        form.addRow(buttons)
        buttons.accepted.connect(self._on_save)
        buttons.rejected.connect(self.reject)

    def chosen(self) -> Preferences:
        return Preferences(api_url=self.api_url.text().strip(),
                           request_pace_seconds=self.pace.value(),
                           sync_on_start=self.sync_on_start.isChecked(),
                           author_name=self.author_name.text().strip(),
                           home_location=self.home_location.text().strip())

    def _on_save(self) -> None:
        try:
            preferences = self.chosen()
        except ValidationError as error:
            self._not_saved(plain_validation_error(error, self.api_url.text()))
            return
        if preferences.home_location:
            try:
                resolve_place(preferences.home_location)
            except UnknownPlaceError as error:
                self._not_saved(str(error))
                return
        self.context.save_preferences(preferences)
        self.accept()

    def _not_saved(self, why: str) -> None:
        self.error.setText(f"Not saved: {why}")
        self.adjustSize()  # room for a message that wraps onto a second line
