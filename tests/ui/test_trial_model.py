"""The card list model and the card delegate."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import QModelIndex, QPoint, QSize, Qt
from PySide6.QtGui import QImage, QPainter
from PySide6.QtWidgets import QListView, QStyleOptionViewItem

from tracker.domain import Modality, RegistryStatus
from tracker.store import TrialCard
from tracker.ui.card_delegate import TrialCardDelegate
from tracker.ui.formatting import freshness
from tracker.ui.trial_model import TRIAL_IDS_MIME, TrialListModel, TrialRole


def make_card(trial_id: str, status: RegistryStatus | None = None, state: str = "found",
              **extra) -> TrialCard:
    values = dict(
        num=int(trial_id[3:]), id=trial_id, title=f"Trial {trial_id}", subtitle="A subtitle", status=status,
        registry_state=state, phase_text="Phase 2", modality=Modality.CAR_T, diseases="MM",
        headline="ORR 97.9% · CR 82.5%", start="2020-01", primary_completion="2026-06",
        primary_completion_estimated=True, last_synced_at=None, last_update_posted=None,
        has_notes=True, changed_in_last_sync=True)
    values.update(extra)
    return TrialCard(**values)


@pytest.fixture
def model(qtmodeltester):
    model = TrialListModel()
    cards = {f"NCT0000000{i}": make_card(f"NCT0000000{i}") for i in range(5)}
    model.set_cards(cards, order=list(cards)[::-1])
    qtmodeltester.check(model)
    return model


def test_model_passes_qtmodeltester_through_changes(qtmodeltester, model):
    model.show_only(["NCT00000001", "NCT00000003", "NCT99999999"])
    qtmodeltester.check(model)
    assert model.visible_ids() == ["NCT00000001", "NCT00000003"]
    model.update_cards({"NCT00000003": make_card("NCT00000003", RegistryStatus.COMPLETED)})
    model.set_highlighted({"NCT00000003"})
    qtmodeltester.check(model)


def test_model_roles_expose_card_id_status_and_highlight(model):
    model.set_highlighted({"NCT00000004"})
    index = model.index(0)
    assert index.data(TrialRole.TRIAL_ID) == "NCT00000004"
    assert index.data(TrialRole.CARD).headline == "ORR 97.9% · CR 82.5%"
    assert index.data(TrialRole.STATUS) == "found"
    assert index.data(TrialRole.HIGHLIGHTED) is True
    assert model.index(1).data(TrialRole.HIGHLIGHTED) is False
    assert model.row_of("NCT00000000") == 4
    assert model.data(QModelIndex(), TrialRole.CARD) is None


def test_model_drags_trial_ids(model):
    mime = model.mimeData([model.index(0), model.index(2)])
    assert bytes(mime.data(TRIAL_IDS_MIME)).decode() == "NCT00000004\nNCT00000002"


def test_model_is_read_only_and_a_drag_never_removes_cards(model):
    """The C++ string list underneath would accept edits and a drag's move; the cards refuse."""
    first = model.index(0)
    assert not model.flags(first) & Qt.ItemFlag.ItemIsEditable
    assert model.flags(first) & Qt.ItemFlag.ItemIsDragEnabled
    assert model.supportedDragActions() == Qt.DropAction.CopyAction
    assert model.setData(first, "NCT99999999") is False
    assert model.removeRows(0, 2) is False
    assert model.insertRows(0, 1) is False
    assert model.rowCount() == 5
    assert first.data(TrialRole.TRIAL_ID) == "NCT00000004"
    model.sort(0, Qt.SortOrder.DescendingOrder)  # Qt's own sort would reorder placeholders
    assert first.data(TrialRole.TRIAL_ID) == "NCT00000004"
    assert model.itemData(first)[Qt.ItemDataRole.DisplayRole].endswith("(NCT00000004)")


def test_row_lookups_agree_before_and_after_the_lookup_table_is_built(model):
    model.show_only(["NCT00000002", "NCT00000000", "NCT00000003"])
    expected = {"NCT00000002": 0, "NCT00000000": 1, "NCT00000003": 2, "NCT00000001": None,
                "NCT99999999": None}
    for _ in range(3):  # the first lookups scan the list, later ones use a table
        assert {trial_id: model.row_of(trial_id) for trial_id in expected} == expected


def test_a_result_from_the_loaded_cards_is_shown_as_given(model):
    model.show_only(["NCT00000003", "NCT00000001"], all_loaded=True)
    assert model.rowCount() == 2
    assert [model.index(row).data(TrialRole.TRIAL_ID) for row in range(2)] == [
        "NCT00000003", "NCT00000001"]


def test_a_list_view_lays_out_a_large_result_without_asking_python_per_row(qapp):
    """rowCount and index are Qt's own (QListView calls them once or twice per row when it
    lays out a reset list; in Python that cost ~150 ms at 100,000 rows), and laying out
    20,000 rows calls `data` only for the rows painted."""
    for name in ("rowCount", "index", "columnCount", "parent"):
        assert name not in vars(TrialListModel), f"{name} must stay Qt's C++ implementation"
    asked: list[int] = []

    class CountingModel(TrialListModel):
        def data(self, index, role=Qt.ItemDataRole.DisplayRole):
            asked.append(index.row())
            return super().data(index, role)

    model = CountingModel()
    cards = {f"NCT{n:08d}": make_card(f"NCT{n:08d}") for n in range(1, 20_001)}
    model.set_cards(cards)
    view = QListView()
    view.setUniformItemSizes(True)
    view.setModel(model)
    view.resize(400, 600)
    view.show()
    qapp.processEvents()
    view.scrollToBottom()
    qapp.processEvents()
    assert view.indexAt(QPoint(5, 5)).row() >= 19_900  # the last page is on screen
    assert len(set(asked)) < 200  # only rows that were on screen (first and last pages)


@pytest.mark.parametrize("status", [*RegistryStatus, None])
@pytest.mark.parametrize("state", ["never_synced", "not_found", "no_registry_record", "found"])
def test_delegate_paints_every_status(qapp, status, state):
    view = QListView()
    model = TrialListModel()
    model.set_cards({"NCT00000001": make_card("NCT00000001", status, state)})
    view.setModel(model)
    delegate = TrialCardDelegate(view)
    option = QStyleOptionViewItem()
    option.rect = view.rect().adjusted(0, 0, 0, 0)
    option.rect.setSize(QSize(480, 96))
    option.palette = view.palette()
    option.font = view.font()
    image = QImage(480, 96, QImage.Format.Format_ARGB32)
    image.fill(0)
    painter = QPainter(image)
    delegate.paint(painter, option, model.index(0))
    painter.end()
    assert image.pixel(240, 48) != 0  # the card was drawn
    assert delegate.sizeHint(option, model.index(0)).height() == 96


def test_freshness_reads_naturally():
    now = dt.datetime(2026, 11, 26, 12, 0, tzinfo=dt.UTC)
    assert freshness(None) == "not synced yet"
    assert freshness(now - dt.timedelta(days=3), now) == "synced 3 days ago"
    assert freshness(now - dt.timedelta(hours=1), now) == "synced 1 hour ago"
    assert freshness(now - dt.timedelta(seconds=5), now) == "synced just now"
