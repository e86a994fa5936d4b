"""What a sync or an add tells the user: changes, re-keys, misses and failures."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from tracker.domain import RegistryStatus

ProgressCallback = Callable[[int, int], None]


@dataclass(frozen=True)
class StatusChangeLine:
    trial_id: str
    title: str
    old_status: RegistryStatus | None
    new_status: RegistryStatus

    def describe(self) -> str:
        old = self.old_status.label if self.old_status else "(none)"
        return f"{self.trial_id} {self.title}: {old} -> {self.new_status.label}"


@dataclass
class SyncReport:
    """Outcome of one sync run; `failed` maps a trial id to the reason, in words."""

    requested: int = 0
    changed: list[StatusChangeLine] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    first_seen: list[str] = field(default_factory=list)
    rekeyed: list[tuple[str, str]] = field(default_factory=list)
    not_found: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)
    added: list[str] = field(default_factory=list)
    cancelled: bool = False
    kind: str = "sync"  # or "add"
    error: str | None = None  # a failure that stopped the run (e.g. no network)

    @property
    def ok(self) -> bool:
        return not self.failed and self.error is None

    def headline(self) -> str:
        cancelled = " (cancelled)" if self.cancelled else ""
        if self.kind == "add":
            return (f"{self.requested} trials asked for: {len(self.added)} added, "
                    f"{len(self.unchanged)} already in the library, {len(self.not_found)} not "
                    f"found, {len(self.failed)} failed{cancelled}")
        return (f"{self.requested} trials checked: {len(self.changed)} status changes, "
                f"{len(self.updated)} other updates, {len(self.unchanged)} unchanged, "
                f"{len(self.rekeyed)} re-keyed, {len(self.not_found)} not found, "
                f"{len(self.failed)} failed{cancelled}")

    def summary_lines(self) -> list[str]:
        lines = [self.headline()]
        lines += [f"  changed: {line.describe()}" for line in self.changed]
        lines += [f"  added: {trial_id}" for trial_id in self.added]
        lines += [f"  re-keyed: {old} -> {new} (the registry now uses {new})"
                  for old, new in self.rekeyed]
        lines += [f"  not found in registry: {trial_id}" for trial_id in self.not_found]
        lines += [f"  failed: {trial_id}: {reason}" for trial_id, reason in self.failed.items()]
        if self.error:
            lines.append(f"  stopped: {self.error}")
        return lines
