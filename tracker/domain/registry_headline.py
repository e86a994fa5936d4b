"""What the headline says when the reviews quote no efficacy figure for a trial.

The headline comes from the curated review figures. A trial without one says so in words
that cannot be read as "the trial reported nothing" (a review found ZUMA-1's card saying "No
efficacy figure reported"): "No efficacy figure in the reviews". It may still have results
posted on ClinicalTrials.gov; the headline then says where they are too. No import beyond
words.py: the card list paints this before the metric rules are compiled.
"""

from __future__ import annotations

from tracker.domain.words import plural

NO_EFFICACY_TEXT = "No efficacy figure in the reviews"
NO_REVIEW_FIGURE_TEXT = "No efficacy figure from the reviews"


def registry_results_words(measures: int | None, posted: bool | None = None) -> str | None:
    """'registry results posted (4 measures)'; '… (no outcome measures)' for a results
    section without any; 'registry results posted' when only the registry's flag is known
    (the card list reads no record); None when nothing is posted or known to be."""
    if measures:
        return f"registry results posted ({plural(measures, 'measure')})"
    if measures == 0:
        return "registry results posted (no outcome measures)"
    return "registry results posted" if posted else None


def no_figure_text(measures: int | None = None, posted: bool | None = None) -> str:
    """'No efficacy figure from the reviews · registry results posted (4 measures)', or
    NO_EFFICACY_TEXT when the registry has posted nothing either."""
    registry = registry_results_words(measures, posted)
    return f"{NO_REVIEW_FIGURE_TEXT} · {registry}" if registry else NO_EFFICACY_TEXT


def headline_or_registry(headline: str, measures: int | None, posted: bool | None) -> str:
    """`headline` (metrics.headline_text) unless it is NO_EFFICACY_TEXT: then what the
    registry has posted, if anything."""
    return no_figure_text(measures, posted) if headline == NO_EFFICACY_TEXT else headline
