"""Cut the handout's rich-text part into pages from one layout.

The document is laid out once as a single long column; each page shows a slice of it. A trial
section (its h3 heading up to the next heading; an h2 right above the h3 belongs to it), and
any other heading with the paragraph or picture under it, starts a new page when it would
straddle a page end and fits on a page; everything else (and a section longer than a page)
breaks between lines, never through one. Qt's paged layout did
the same with page-break flags, but setting them meant laying the whole document out again.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import QTextDocument

KEEP_LIMIT = 0.95  # a section taller than this share of a page breaks between lines
_OBJECT = "\ufffc"  # the character an inline image stands on


@dataclass(frozen=True)
class Slice:
    """Document rows [top, bottom) shown on one page; `split` when the page starts inside a
    paragraph: that block and the number of its first line on this page."""

    top: float
    bottom: float
    split: tuple[object, int] | None = None


@dataclass
class _Unit:
    top: float
    bottom: float
    blocks: list  # QTextBlock
    keep: bool


def _blocks(document: QTextDocument) -> list[tuple[object, float, float, int]]:
    """(block, top, bottom, heading level) for every block, in order."""
    layout = document.documentLayout()
    levels: dict[int, int] = {}  # heading level per block format (few formats, many blocks)
    found = []
    block = document.begin()
    while block.isValid():
        index = block.blockFormatIndex()
        level = levels.get(index)
        if level is None:
            level = levels[index] = block.blockFormat().headingLevel()
        rect = layout.blockBoundingRect(block)
        found.append((block, rect.top(), rect.bottom(), level))
        block = block.next()
    return found


def _units(blocks) -> list[_Unit]:
    units, i = [], 0
    while i < len(blocks):
        block, top, bottom, level = blocks[i]
        opens = level == 3 or (level and i + 1 < len(blocks) and blocks[i + 1][3] == 3)
        if not opens:
            if level and i + 1 < len(blocks):  # a heading stays with what it heads
                follower = blocks[i + 1]
                units.append(_Unit(top, follower[2], [block, follower[0]], keep=True))
                i += 2
                continue
            units.append(_Unit(top, bottom, [block], keep=False))
            i += 1
            continue
        end = i + (1 if level == 3 else 2)
        while end < len(blocks) and not blocks[end][3]:
            end += 1
        members = blocks[i:end]
        units.append(_Unit(top, members[-1][2], [m[0] for m in members], keep=True))
        i = end
    return units


def block_origin(block) -> QPointF:
    """Where the block's lines start, in document coordinates (a block inside a frame, as
    Qt makes of a bordered div, has its layout positioned relative to that frame)."""
    layout = block.layout()
    box = block.document().documentLayout().blockBoundingRect(block)
    inner = layout.boundingRect()
    return QPointF(box.left() - inner.left(), box.top() - inner.top())


def _line_bottoms(unit: _Unit):
    """(bottom, the block and number of the line after it when it is in the same block)."""
    for block in unit.blocks:
        layout = block.layout()
        y = block_origin(block).y()
        count = layout.lineCount()
        for number in range(count):
            line = layout.lineAt(number)
            after = (block, number + 1) if number + 1 < count else None
            yield y + line.y() + line.height(), after


def paginate(document: QTextDocument, first_room: float, room: float) -> list[Slice]:
    """Slices of the laid-out `document`: the first at most `first_room` tall (the space
    left under the comparison table), the others at most `room`."""
    slices: list[Slice] = []
    page_top, space, split = 0.0, first_room, None

    def cut(at: float, after=None) -> None:
        nonlocal page_top, space, split
        slices.append(Slice(page_top, at, split))
        page_top, space, split = at, room, after

    for unit in _units(_blocks(document)):
        if unit.bottom - page_top <= space:
            continue
        if unit.keep and unit.bottom - unit.top <= room * KEEP_LIMIT:
            cut(unit.top)  # the whole section on the next page
            continue
        previous, after = unit.top, None
        for bottom, following in _line_bottoms(unit):
            while bottom - page_top > space:  # a line (or picture) taller than a page is cut
                if previous > page_top:
                    cut(previous, after)
                else:
                    cut(page_top + space)
            previous, after = bottom, following
    slices.append(Slice(page_top, max(document.size().height(), page_top), split))
    return slices


def image_boxes(document: QTextDocument, names) -> dict[str, QRectF]:
    """Where the inline images called `names` sit in the laid-out document."""
    boxes: dict[str, QRectF] = {}
    cursor = document.find(_OBJECT)
    while not cursor.isNull():
        image = cursor.charFormat().toImageFormat()
        if image.isValid() and image.name() in names:
            block = cursor.block()
            layout = block.layout()
            at = cursor.selectionStart() - block.position()
            line = layout.lineForTextPosition(at)
            origin = block_origin(block)
            x = line.cursorToX(at)
            x = origin.x() + (x[0] if isinstance(x, tuple) else x)
            baseline = origin.y() + line.y() + line.ascent()
            boxes[image.name()] = QRectF(x, baseline - image.height(), image.width(),
                                         image.height())
        cursor = document.find(_OBJECT, cursor)
    return boxes

