"""Run a producer of batches one step ahead of its consumer, in a worker thread.

A sync spends its time in two places that need not wait for each other: the registry
(latency, the server's own work, parsing) and the library (applying a batch in SQLite).
`prefetched` lets the next request go out (at the client's pace) while the current batch is
written, so the network and the database overlap instead of taking turns.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterator
from typing import TypeVar

T = TypeVar("T")

_END = object()


def prefetched(source: Iterator[T], ahead: int = 1) -> Iterator[T]:
    """Yield what `source` yields, produced in a daemon thread at most `ahead` items early.

    An exception in `source` is raised here, in the consumer. When the consumer stops early,
    the producer stops after the item it is working on (a request in flight completes)."""
    items: queue.Queue = queue.Queue(maxsize=max(ahead, 1))
    stopped = threading.Event()

    def hand_over(item: object) -> bool:
        while not stopped.is_set():
            try:
                items.put(item, timeout=0.05)
                return True
            except queue.Full:
                continue
        return False

    def produce() -> None:
        try:
            for item in source:
                if not hand_over(item):
                    return
            hand_over(_END)
        except BaseException as error:  # noqa: BLE001 - re-raised in the consumer
            hand_over(_Failure(error))

    worker = threading.Thread(target=produce, name="sync-prefetch", daemon=True)
    worker.start()
    try:
        while True:
            item = items.get()
            if item is _END:
                return
            if isinstance(item, _Failure):
                raise item.error
            yield item
    finally:
        stopped.set()


class _Failure:
    def __init__(self, error: BaseException) -> None:
        self.error = error
