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
from tracker.settings import Preferences


class PreferencesDialog(QDialog):
    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Preferences")
        self.context = context
        prefs = context.preferences
        self.api_url = QLineEdit(prefs.api_base)
        self.pace = QDoubleSpinBox()
        self.pace.setRange(0.0, 10.0)
        self.pace.setSingleStep(0.1)
        self.pace.setSuffix(" s between requests")
        self.pace.setValue(prefs.request_pace_seconds)
        self.author_name = QLineEdit(prefs.author_name)
        self.author_name.setPlaceholderText("shown on your notes in shared watch lists")
        self.home_location = QLineEdit(prefs.home_location)
        self.home_location.setPlaceholderText("a city (e.g. Berlin) or latitude,longitude")
        self.home_location.setToolTip("Used for the nearest recruiting sites; cities come from "
                                      "a bundled list of major cities (docs/sites.md)")
        self.sync_on_start = QCheckBox("Sync all trials when the app starts")
        self.sync_on_start.setChecked(prefs.sync_on_start)
        data_dir = QLabel(str(context.data_dir))
        data_dir.setTextInteractionFlags(data_dir.textInteractionFlags().TextSelectableByMouse)
        self.error = QLabel("")
        self.error.setStyleSheet("color: #c62828;")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                   | QDialogButtonBox.StandardButton.Cancel)
        form = QFormLayout(self)
        form.addRow("ClinicalTrials.gov API URL", self.api_url)
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
            self.error.setText(f"Not saved: {error.errors()[0]['msg']} (API URL)")
            return
        if preferences.home_location:
            try:
                resolve_place(preferences.home_location)
            except UnknownPlaceError as error:
                self.error.setText(f"Not saved: {error}")
                return
        self.context.save_preferences(preferences)
        self.accept()
