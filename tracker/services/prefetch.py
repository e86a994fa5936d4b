"""Run a producer of batches ahead of its consumer, in a worker thread.

A sync spends its time in two places that need not wait for each other: the registry
(latency, the server's own work, parsing) and the library (applying a batch in SQLite).
`prefetched` sends the first request at once and lets the next one go out (at the client's
pace) while the current batch is written, so the network and the database overlap instead of
taking turns; the caller may prepare its first write while the first answer is on its way.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterator
from typing import Generic, TypeVar

T = TypeVar("T")

_END = object()


class prefetched(Generic[T]):
    """Iterate over what `source` yields, produced in a daemon thread (started at once) at
    most `ahead` items early. Use it in a `with` block, or iterate it to the end.

    An exception in `source` is raised in the consumer. When the consumer stops early (or
    the block is left), the producer stops after the item it is working on (a request in
    flight completes)."""

    def __init__(self, source: Iterator[T], ahead: int = 1) -> None:
        self._items: queue.Queue = queue.Queue(maxsize=max(ahead, 1))
        self._stopped = threading.Event()
        self._source = source
        self._worker = threading.Thread(target=self._produce, name="sync-prefetch",
                                        daemon=True)
        self._worker.start()

    def __enter__(self) -> prefetched[T]:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        self._stopped.set()

    def __iter__(self) -> Iterator[T]:
        try:
            while True:
                item = self._items.get()
                if item is _END:
                    return
                if isinstance(item, _Failure):
                    raise item.error
                yield item
        finally:
            self.close()

    def _hand_over(self, item: object) -> bool:
        while not self._stopped.is_set():
            try:
                self._items.put(item, timeout=0.05)
                return True
            except queue.Full:
                continue
        return False

    def _produce(self) -> None:
        try:
            for item in self._source:
                if not self._hand_over(item):
                    return
            self._hand_over(_END)
        except BaseException as error:  # noqa: BLE001 - re-raised in the consumer
            self._hand_over(_Failure(error))


class _Failure:
    def __init__(self, error: BaseException) -> None:
        self.error = error
