"""Paints one trial card from the model's roles; no widget per trial."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPalette, QPen
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem

from tracker.domain.registry_headline import no_figure_text
from tracker.ui.formatting import (
    completion_text,
    freshness,
    modality_colour,
    status_colour,
    status_label,
)
from tracker.ui.trial_model import TrialRole

if TYPE_CHECKING:
    from tracker.store import TrialCard

CARD_HEIGHT = 96
MARGIN = 6
PADDING = 10
HIGHLIGHT = QColor("#fff3c4")


class TrialCardDelegate(QStyledItemDelegate):
    """Title and status pill, id/phase/modality/diseases, headline outcome, dates, markers."""

    def sizeHint(self, option: QStyleOptionViewItem,
                 index: QModelIndex | QPersistentModelIndex) -> QSize:
        return QSize(320, CARD_HEIGHT)  # the view stretches cards to its width

    def paint(self, painter: QPainter, option: QStyleOptionViewItem,
              index: QModelIndex | QPersistentModelIndex) -> None:
        card: TrialCard | None = index.data(TrialRole.CARD)
        if card is None:
            return
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        rect = option.rect.adjusted(MARGIN, MARGIN // 2, -MARGIN, -MARGIN // 2)
        self._paint_frame(painter, option, rect, card, bool(index.data(TrialRole.HIGHLIGHTED)))
        text_colour = option.palette.color(
            QPalette.ColorRole.HighlightedText if option.state & QStyle.StateFlag.State_Selected
            else QPalette.ColorRole.Text)
        inner = rect.adjusted(PADDING + 4, PADDING - 2, -PADDING, -PADDING + 2)
        pill_width = self._paint_status_pill(painter, inner, card)
        self._paint_lines(painter, option, index, inner, card, text_colour, pill_width)
        painter.restore()

    def _paint_frame(self, painter: QPainter, option: QStyleOptionViewItem, rect: QRect,
                     card: TrialCard, highlighted: bool) -> None:
        palette = option.palette
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        background = palette.color(QPalette.ColorRole.Highlight if selected
                                   else QPalette.ColorRole.Base)
        if highlighted and not selected:
            background = HIGHLIGHT if palette.color(QPalette.ColorRole.Base).lightness() > 128 \
                else QColor("#5d4a00")
        focused = bool(option.state & QStyle.StateFlag.State_HasFocus)
        if focused:  # the keyboard's current card: a ring in the highlight colour
            painter.setPen(QPen(palette.color(QPalette.ColorRole.Highlight), 2.5))
        else:
            painter.setPen(palette.color(QPalette.ColorRole.Mid))
        painter.setBrush(background)
        painter.drawRoundedRect(QRectF(rect), 6, 6)
        stripe = QRectF(rect.left(), rect.top(), 5, rect.height())
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(modality_colour(card.modality))
        painter.drawRoundedRect(stripe, 2, 2)

    def _paint_status_pill(self, painter: QPainter, inner: QRect, card: TrialCard) -> int:
        if card.registry_state == "never_synced":
            return 0  # the window's banner says it once for the whole library
        label = status_label(card.status, card.registry_state)
        font = QFont(painter.font())
        font.setPointSizeF(max(font.pointSizeF() - 1, 7))
        font.setBold(True)
        metrics = QFontMetrics(font)
        width = metrics.horizontalAdvance(label) + 16
        pill = QRectF(inner.right() - width, inner.top(), width, metrics.height() + 4)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(status_colour(card.status, card.registry_state))
        painter.drawRoundedRect(pill, pill.height() / 2, pill.height() / 2)
        painter.setFont(font)
        painter.setPen(QColor("white"))
        painter.drawText(pill, Qt.AlignmentFlag.AlignCenter, label)
        return width

    def _paint_lines(self, painter: QPainter, option: QStyleOptionViewItem, index, inner: QRect,
                     card: TrialCard, colour: QColor, pill_width: int) -> None:
        base = QFont(option.font)
        bold = QFont(base)
        bold.setBold(True)
        bold.setPointSizeF(base.pointSizeF() + 1)
        muted = QColor(colour)
        muted.setAlpha(170)
        line = QFontMetrics(base).height() + 3
        top = inner.top()
        title = index.data(TrialRole.TITLE_TEXT) or card.title
        self._text(painter, bold, colour, QRect(inner.left(), top, inner.width() - pill_width - 8,
                                                line + 2), title)
        meta = meta_text(card, index.data(TrialRole.DISTINCTION) or "")
        self._text(painter, base, muted, QRect(inner.left(), top + line + 3, inner.width(), line),
                   meta)
        self._paint_bottom(painter, base, colour, muted, inner, card, top + 2 * line + 6, line)

    def _paint_bottom(self, painter, font, colour, muted, inner, card, top, line) -> None:
        headline_font = headline_font_for(font, bool(card.headline))
        headline = card_headline(card)
        # The date keeps its natural width (up to half the card); the outcome takes the rest,
        # so a narrow card elides the outcome's tail, not the date.
        date = (completion_text(card.primary_completion, card.primary_completion_estimated,
                                card.primary_completion_overdue)
                if card.primary_completion else "")
        headline_width = QFontMetrics(headline_font).horizontalAdvance(headline)
        date_width = QFontMetrics(font).horizontalAdvance(date) + 4 if date else 0
        date, markers = place_date(date, marker_line(card),
                                   headline_width + 12 + date_width <= inner.width())
        self._text(painter, headline_font, colour if card.headline else muted,
                   QRect(inner.left(), top, inner.width() - (date_width + 12 if date else 0),
                         line), headline)
        if date:
            self._text(painter, font, muted,
                       QRect(inner.right() - date_width, top, date_width, line), date,
                       Qt.AlignmentFlag.AlignRight)
        self._text(painter, font, muted, QRect(inner.left(), top + line, inner.width(), line),
                   markers)

    @staticmethod
    def _text(painter: QPainter, font: QFont, colour: QColor, rect: QRect, text: str,
              align: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignLeft) -> None:
        painter.setFont(font)
        painter.setPen(colour)
        elided = QFontMetrics(font).elidedText(text, Qt.TextElideMode.ElideRight, rect.width())
        painter.drawText(rect, align | Qt.AlignmentFlag.AlignVCenter, elided)


def place_date(date: str, markers: str, fits_beside_outcome: bool) -> tuple[str, str]:
    """(the date beside the outcome, the line below). When both do not fit on one line the
    outcome keeps its line whole (a narrow window used to cut the figure itself) and the date
    leads the line below."""
    if fits_beside_outcome or not date:
        return date, markers
    return "", " · ".join(part for part in (date, markers) if part)


def headline_font_for(base: QFont, reported: bool) -> QFont:
    """Bold for a reported figure; for "No efficacy figure in the reviews" italic, normal
    weight and a point smaller, so an absence of results never reads like a result or like
    missing data."""
    font = QFont(base)
    if reported:
        font.setBold(True)
    else:
        font.setItalic(True)
        font.setPointSizeF(max(base.pointSizeF() - 1, 7))
    return font


def meta_text(card, distinction: str = "") -> str:
    """The card's second line: id, what tells a same-titled card apart (sponsor, product…),
    phase, modality, diseases. The distinction comes second, so it is never elided."""
    parts = [card.id, distinction, card.phase_text, card.modality.label, card.diseases]
    return " · ".join(part for part in parts if part)


def marker_line(card) -> str:
    """The card's last line: what the last sync changed, why a stopped trial stopped,
    freshness, notes."""
    markers = ([freshness(card.last_synced_at, found=card.registry_state != "not_found")]
               if card.last_synced_at else [])
    if card.status_note.startswith("last known"):  # an UNKNOWN status: what it was
        markers.insert(0, card.status_note)
    if card.stop_reason:
        markers.insert(0, f"why stopped: {card.stop_reason}")
    if card.change_marker or card.changed_in_last_sync:
        markers.insert(0, f"● {card.change_marker or 'changed in last sync'}")
    if card.has_notes:
        markers.append("✎ notes")
    return "   ".join(markers)


def card_headline(card) -> str:
    """The card's headline figure; without one 'No efficacy figure in the reviews', or 'No figure
    from the reviews · registry results posted' when the registry flags posted results."""
    return card.headline or no_figure_text(posted=getattr(card, "results_posted", False))
