"""Make moto's in-memory DynamoDB behave like DynamoDB where our code depends on it.

Two gaps matter (issue 16, item 9):

- **Atomic conditional writes.** DynamoDB evaluates a write's condition and applies the write
  atomically per item. moto's threaded server evaluates and applies with no lock, so two racing
  `version = :old` updates could both win (7 times in 300), and neither `make run` nor a
  concurrency test could show the version locks, the publish claim or the dedupe. Every write
  entry point of the backend (put, update, delete, batch write, transaction) is serialised by
  one lock, and so is each DynamoDB request's handling (moto's handlers copy items outside the
  backend): stricter than DynamoDB's per-item isolation, and never weaker.
- **Transactions that copy the whole table.** moto snapshots every table a transaction names
  with `copy.deepcopy` (to roll back on a cancelled transaction), so each TransactWriteItems
  costs time proportional to the table: a ticket with thousands of history items made every
  later ticket write slower. The snapshot is replaced by one of the (at most 100) items the
  transaction touches, restored the same way on cancellation; the rollback semantics are the
  same.

Two more are about speed, because a burst must drain as fast as the handlers allow (issue 16):
moto's SQS recomputes every message's visibility with two clock reads each time a consumer polls
or a send wakes the long polls, and scans the queue twice per deleted receipt, so a queue holding
a burst of 2,000 made every call O(queue) with a large constant. The visible-message list reads
the clock once per call, and a delete is one pass; what they return is unchanged.

`apply()` is idempotent and process-wide; the local runtime calls it before serving, and the test
suite before any test.
"""

from __future__ import annotations

import copy
import functools
import threading
from typing import Any

_LOCK = threading.RLock()
_APPLIED = False
WRITE_METHODS = ("put_item", "update_item", "delete_item", "batch_write_item")


def apply() -> None:
    """Patch moto's DynamoDB backend in this process (once)."""
    global _APPLIED
    with _LOCK:
        if _APPLIED:
            return
        from moto.dynamodb import models
        from moto.dynamodb.models import DynamoDBBackend
        from moto.dynamodb.models.table import Table

        for name in WRITE_METHODS:
            if hasattr(DynamoDBBackend, name):
                setattr(DynamoDBBackend, name, _locked(getattr(DynamoDBBackend, name)))
        DynamoDBBackend.transact_write_items = _transaction(  # type: ignore[method-assign]
            DynamoDBBackend.transact_write_items
        )
        models.copy = _TableSharingCopy(Table)  # type: ignore[assignment]
        # moto's request handlers read and deep-copy items outside the backend's methods (an
        # UpdateItem copies the old item first), so a read racing a write on another thread
        # could see a dict change mid-iteration: each DynamoDB request is handled under the lock.
        from moto.dynamodb.responses import DynamoHandler

        DynamoHandler.call_action = _locked(DynamoHandler.call_action)  # type: ignore[method-assign]
        _speed_up_sqs()
        _APPLIED = True


def _speed_up_sqs() -> None:
    from moto.core.utils import unix_time_millis
    from moto.sqs.exceptions import ReceiptHandleIsInvalid
    from moto.sqs.models import Queue

    def messages(self: Any) -> list[Any]:
        now = unix_time_millis()
        return [m for m in self._messages if now > m.visible_at and not now < m.delayed_until]

    def delete_message(self: Any, receipt_handle: str) -> None:
        if receipt_handle in self.deleted_messages:
            return  # already deleted: SQS accepts a repeat
        for index, message in enumerate(self._messages):
            if receipt_handle == message.receipt_handle or (
                receipt_handle in message._old_receipt_handles
            ):
                self.pending_messages.discard(message)
                self.deleted_messages.update(message.all_receipt_handles)
                self._messages = self._messages[:index] + self._messages[index + 1 :]
                return
        raise ReceiptHandleIsInvalid()

    Queue.messages = property(messages)  # type: ignore[assignment]
    Queue.delete_message = delete_message  # type: ignore[method-assign]


def _locked(method: Any) -> Any:
    @functools.wraps(method)
    def locked(*args: Any, **kwargs: Any) -> Any:
        with _LOCK:
            return method(*args, **kwargs)

    return locked


class _TableSharingCopy:
    """Stands in for the `copy` module inside moto.dynamodb.models: a deep copy of a Table is
    the table itself (the transaction wrapper below snapshots the touched items instead); any
    other deep copy is a real one."""

    def __init__(self, table_type: type) -> None:
        self._table_type = table_type

    def deepcopy(self, value: Any, memo: Any = None) -> Any:
        if isinstance(value, self._table_type):
            return value
        return copy.deepcopy(value, memo)

    def copy(self, value: Any) -> Any:
        return copy.copy(value)


def _transaction(method: Any) -> Any:
    @functools.wraps(method)
    def transact(self: Any, transact_items: list[dict[str, Any]]) -> Any:
        with _LOCK:
            snapshot = _snapshot(self, transact_items)
            try:
                return method(self, transact_items)
            except Exception:
                _restore(snapshot)
                raise

    return transact


def _snapshot(backend: Any, transact_items: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
    """(table, hash value, range value, deep copy of the item or None) per touched item."""
    taken: list[tuple[Any, ...]] = []
    for entry in transact_items[:100]:
        try:
            _, op = next(iter(entry.items()))
            table = backend.get_table(op["TableName"])
            attrs = op.get("Key") or op.get("Item") or {}
            key = {table.hash_key_attr: attrs[table.hash_key_attr]}
            if table.range_key_attr is not None:
                key[table.range_key_attr] = attrs[table.range_key_attr]
            hash_value, range_value = backend.get_keys_value(table, key)
        except Exception:  # noqa: S112 - moto reports the malformed operation itself, later
            continue
        taken.append(
            (
                table,
                hash_value,
                range_value,
                copy.deepcopy(_current(table, hash_value, range_value)),
            )
        )
    return taken


def _current(table: Any, hash_value: Any, range_value: Any) -> Any:
    if table.range_key_attr is not None:
        return table.items.get(hash_value, {}).get(range_value)
    return table.items.get(hash_value)


def _restore(snapshot: list[tuple[Any, ...]]) -> None:
    for table, hash_value, range_value, item in reversed(snapshot):
        if table.range_key_attr is not None:
            bucket = table.items.get(hash_value)
            if item is None:
                if bucket is not None:
                    bucket.pop(range_value, None)
                    if not bucket:
                        table.items.pop(hash_value, None)
            else:
                table.items[hash_value][range_value] = item
        elif item is None:
            table.items.pop(hash_value, None)
        else:
            table.items[hash_value] = item
