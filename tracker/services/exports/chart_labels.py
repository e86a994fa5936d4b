"""Row labels for the handout's charts: short enough for the label column, never two alike.

There is no font engine on this side (the charts are SVG text drawn later by Qt or a browser),
so widths are estimated from DejaVu Sans advance widths (the charts' first font, and wider
than Arial), rounded up, so an estimated fit is a real fit.
"""

from __future__ import annotations

from collections import Counter

from tracker.domain import Trial
from tracker.domain.ids import is_nct_id

ELLIPSIS = "…"
# DejaVu Sans advance widths (em), ASCII by groups, each rounded up
_ADVANCES = {
    0.32: " ',.IJijl", 0.37: "-/:;\\f|", 0.40: "!()[]rt", 0.52: "*_`sz\"", 0.57: "?Lc",
    0.62: "FPTYaekovxy", 0.66: "0123456789$ESKbdghnpqu{}", 0.70: "ABCRVXZ", 0.76: "DHNU",
    0.79: "&GOQw", 0.84: "#+<=>M^~", 0.95: "%m", 1.0: "@W…",
}
_ADVANCE = {char: em for em, chars in _ADVANCES.items() for char in chars}
_LINK_WORDS = frozenset(["a", "an", "and", "as", "at", "by", "for", "in", "of", "on", "or", "plus", "the", "to", "vs", "with"])
_OTHER = 1.0  # letters outside ASCII (Greek, accented, CJK): assume the widest


def text_width(text: str, font_size: float) -> float:
    """The estimated width of `text` in pixels at `font_size` (never less than the real one
    in DejaVu Sans, the widest of the charts' fonts)."""
    return font_size * sum(_ADVANCE.get(char, _OTHER) for char in text)


def fit(text: str, width: float, font_size: float) -> str:
    """`text`, or as much of it as fits in `width` followed by '…' (cut at a word boundary
    when one is near, so 'autoleucel' does not end as 'autole…')."""
    text = " ".join(text.split())
    if text_width(text, font_size) <= width:
        return text
    room = width - text_width(ELLIPSIS, font_size)
    kept, used = "", 0.0
    for char in text:
        used += font_size * _ADVANCE.get(char, _OTHER)
        if used > room:
            break
        kept += char
    space = kept.rfind(" ")
    if space >= len(kept) * 0.6:  # a word boundary in the last part: end on a whole word
        kept = kept[:space]
        words = kept.split(" ")
        while len(words) > 2 and words[-1].casefold() in _LINK_WORDS:
            words.pop()  # 'autoleucel…', not 'autoleucel in…'
        kept = " ".join(words)
    return kept.rstrip(" ,;:–-(/") + ELLIPSIS


def _with_suffix(title: str, suffix: str, width: float, font_size: float) -> str:
    """The title shortened so that ' suffix' fits after it."""
    suffix = fit(suffix, width / 2, font_size)
    head = fit(title, width - text_width(f" {suffix}", font_size), font_size)
    return f"{head} {suffix}"


def _head_and_tail(title: str, width: float, font_size: float) -> str:
    """'Phase 1 study of venetoclax … in AML': both ends of the title, for titles that only
    differ after the cut."""
    words = title.split()
    tail = ""
    for word in reversed(words[1:]):
        candidate = f"{word} {tail}".strip()
        if text_width(candidate, font_size) > width * 0.45:
            break
        tail = candidate
    if not tail:
        return fit(title, width, font_size)
    head = fit(title[:len(title) - len(tail)].rstrip(), width - text_width(f" {tail}", font_size),
               font_size)
    if not head.endswith(ELLIPSIS):
        head += f" {ELLIPSIS}"
    return f"{head} {tail}"


def row_labels(trials: list[Trial], width: float, font_size: float,
               groups: list[str] | None = None) -> list[str]:
    """One label per trial, in order: the acronym, else the title (shortened with '…' to fit
    `width`), followed by the group the row shows when one is given ("… (R/R)"). Labels
    that would read alike get a distinguishing part: first both ends of the title, then the
    trial's id; an ordinal only if even the ids cannot tell them apart."""
    titles = [t.acronym or t.brief_title or t.id for t in trials]
    labels = [_with_suffix(title, f"({group})", width, font_size) if group
              else fit(title, width, font_size)
              for title, group in zip(titles, groups or [""] * len(titles), strict=True)]
    tries = (
        lambda trial, title: _head_and_tail(title, width, font_size),
        lambda trial, title: _with_suffix(title, f"({trial.id})" if is_nct_id(trial.id)
                                          else trial.id, width, font_size),
    )
    for attempt in tries:
        alike = _alike(labels)
        if not alike:
            return labels
        for number in alike:
            labels[number] = attempt(trials[number], titles[number])
    seen: Counter[str] = Counter()
    for number in _alike(labels):
        key = labels[number].casefold()
        seen[key] += 1
        if seen[key] > 1:
            labels[number] = _with_suffix(titles[number], f"#{seen[key]}", width, font_size)
    return labels


def _alike(labels: list[str]) -> list[int]:
    """Positions of labels another label reads the same as (ignoring case)."""
    counts = Counter(label.casefold() for label in labels)
    return [number for number, label in enumerate(labels) if counts[label.casefold()] > 1]
