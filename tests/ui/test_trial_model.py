"""The card list model and the card delegate."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import QModelIndex, QSize
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
