"""The "recruiting within N km of home" filter; home is the Preferences' home location."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from tracker.domain.geo import UnknownPlaceError, resolve_place
from tracker.ui.fit_combo import SHORT_ROLE, FitComboBox

DISTANCES_KM = (50, 100, 200, 500)


class NearHomeBox(FitComboBox):
    """`near(home_text)` gives `TrialQuery.near` for the chosen distance (None: anywhere)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Recruiting near home")
        self.addItem("Sites: anywhere", None)
        for km in DISTANCES_KM:
            self.addItem(f"Recruiting within {km} km of home", km)
            self.setItemData(self.count() - 1, f"Within {km} km of home", SHORT_ROLE)

    def update_home(self, home_text: str) -> None:
        """Enable the distances only when the home location can be placed."""
        place = _place(home_text)
        self.setEnabled(place is not None)
        self.setToolTip(f"Home: {place.name}" if place else
                        "Set a home location in Preferences to filter by distance")
        if place is None:
            self.setCurrentIndex(0)

    def phrase(self) -> str | None:
        km = self.currentData()
        return f"recruiting within {km} km of home" if km else None

    def near(self, home_text: str) -> tuple[float, float, float] | None:
        km, place = self.currentData(), _place(home_text)
        if km is None or place is None:
            return None
        return place.lat, place.lon, float(km)


def _place(text: str):
    if not text:
        return None
    try:
        return resolve_place(text)
    except UnknownPlaceError:
        return None
