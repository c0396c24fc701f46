"""The one builder of DynamoDB UpdateItem expressions, robust to absent values.

DynamoDB refuses an UpdateExpression naming a value placeholder it was not given, and
`table.values` (like the serializer) drops None. A value that is legitimately absent — a
Telegram chat without a public username has no URL, a platform answer without an optional
field — therefore used to turn an outcome write into a ValidationException, which killed the
sweep and left the post stuck in `publishing`. Every update in `chalicelib/store/` is built here,
with one rule for absence instead of a case per call site:

- `set(field, None)` REMOVEs the attribute (an absent value is an absent attribute);
- `add(field, 0 or None)`, `append(field, empty)` and `set_if_absent(field, None)` are skipped;
- a raw `clause` whose named values include None is skipped as a whole.

Every attribute name is aliased (`#n0`...), so reserved words and odd characters are safe.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from chalicelib.store.table import values as serialize_values


class Update:
    """Collects SET / REMOVE / ADD parts, then renders the UpdateItem keyword arguments."""

    def __init__(self) -> None:
        self._names: dict[str, str] = {}
        self._values: dict[str, Any] = {}
        self._sets: list[str] = []
        self._set_fields: set[str] = set()
        self._removes: list[str] = []
        self._adds: list[str] = []

    # -- names and values ---------------------------------------------------------------------

    def name(self, field: str) -> str:
        """The alias of an attribute name (`#n<k>`), created once per name."""
        for alias, existing in self._names.items():
            if existing == field:
                return alias
        alias = f"#n{len(self._names)}"
        self._names[alias] = field
        return alias

    def value(self, value: Any) -> str:
        """A fresh placeholder for a (non-None) value, for clauses and conditions."""
        if value is None:
            raise ValueError("a placeholder needs a value; absent values are handled by set()")
        placeholder = f":v{len(self._values)}"
        self._values[placeholder] = value
        return placeholder

    # -- actions ------------------------------------------------------------------------------

    def set(self, field: str, value: Any) -> Update:
        if value is None:
            return self.remove(field)
        self._set_fields.add(field)
        self._sets.append(f"{self.name(field)} = {self.value(value)}")
        return self

    def set_many(self, fields: Mapping[str, Any]) -> Update:
        for field, value in fields.items():
            self.set(field, value)
        return self

    def set_if_absent(self, field: str, value: Any) -> Update:
        if value is not None:
            alias = self.name(field)
            self._set_fields.add(field)
            self._sets.append(f"{alias} = if_not_exists({alias}, {self.value(value)})")
        return self

    def append(self, field: str, items: list[Any] | None) -> Update:
        """Append to a list attribute, creating it when missing."""
        if items:
            alias = self.name(field)
            self._set_fields.add(field)
            self._sets.append(
                f"{alias} = list_append(if_not_exists({alias}, {self.value([])}), "
                f"{self.value(list(items))})"
            )
        return self

    def add(self, field: str, amount: int | float | None) -> Update:
        if amount:
            self._adds.append(f"{self.name(field)} {self.value(amount)}")
        return self

    def remove(self, *fields: str) -> Update:
        for field in fields:
            alias = self.name(field)
            if alias not in self._removes:
                self._removes.append(alias)
        return self

    def clause(self, template: str, **named: Any) -> Update:
        """A raw SET clause whose `{name}` placeholders become values (any `#alias` it uses is
        passed to `kwargs(names=...)`); skipped as a whole when any value is None. Example:
        `clause("first_seen_at = if_not_exists(first_seen_at, {now})", now=now)`."""
        if any(v is None for v in named.values()):
            return self
        self._sets.append(template.format(**{k: self.value(v) for k, v in named.items()}))
        return self

    # -- rendering ----------------------------------------------------------------------------

    def expression(self) -> str:
        removes = [alias for alias in self._removes if self._names[alias] not in self._set_fields]
        parts = []
        if self._sets:
            parts.append("SET " + ", ".join(self._sets))
        if removes:
            parts.append("REMOVE " + ", ".join(removes))
        if self._adds:
            parts.append("ADD " + ", ".join(self._adds))
        if not parts:
            raise ValueError("an update with nothing to change")
        return " ".join(parts)

    def kwargs(
        self,
        *,
        condition: str | None = None,
        names: Mapping[str, str] | None = None,
        values: Mapping[str, Any] | None = None,
    ) -> dict[str, Any]:
        """UpdateExpression, ConditionExpression and the attribute maps. A condition may use
        its own `#names` and `:values` (not `#n<k>` / `:v<k>`, which are the builder's)."""
        expression = self.expression()
        all_names = {**self._names, **(names or {})}
        out: dict[str, Any] = {"UpdateExpression": expression}
        if condition:
            out["ConditionExpression"] = condition
        if all_names:
            out["ExpressionAttributeNames"] = all_names
        all_values = serialize_values({**self._values, **(values or {})})
        if all_values:
            out["ExpressionAttributeValues"] = all_values
        return out


def build(
    *,
    set: Mapping[str, Any] | None = None,
    add: Mapping[str, int | float | None] | None = None,
    remove: Iterable[str] = (),
) -> Update:
    """The common case in one call: set (None removes), add (0 skips), remove."""
    update = Update().set_many(set or {})
    for field, amount in (add or {}).items():
        update.add(field, amount)
    return update.remove(*remove)


def update_if(
    key: Mapping[str, str],
    update: Update,
    *,
    condition: str,
    names: Mapping[str, str] | None = None,
    values: Mapping[str, Any] | None = None,
    **extra: Any,
) -> dict[str, Any] | None:
    """One conditional UpdateItem: DynamoDB's response, or None when the condition failed (a
    claim lost, a lease taken over, an item gone). `extra` passes ReturnValues and the like."""
    from chalicelib import aws
    from chalicelib.store.table import is_conditional_failure, serialize, table_name

    try:
        return aws.dynamodb().update_item(
            TableName=table_name(),
            Key=serialize(key),
            **update.kwargs(condition=condition, names=names, values=values),
            **extra,
        )
    except Exception as exc:
        if is_conditional_failure(exc):
            return None
        raise
