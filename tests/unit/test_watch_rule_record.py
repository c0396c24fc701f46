"""A stored watch rule reads back as a typed record that shows exactly the stored fields, and
the matcher's model validates from it."""

from __future__ import annotations

from chalicelib.listening.rules import WatchRule
from chalicelib.store.watch_rules import RuleRecord

STORED = {
    "id": "r_0a1b2c3d4e5f",
    "name": "Digiland",
    "category": "brand",
    "query": {"any": ["digiland", "دیجی‌لند"]},
    "enabled": True,
    "version": 3,
    "created_at": "2025-03-01T10:00:00Z",
    "updated_at": "2025-03-02T10:00:00Z",
}


def test_a_stored_rule_reads_back_field_for_field():
    record = RuleRecord.from_item(STORED)
    assert record.version == 3
    assert record.query == {"any": ["digiland", "دیجی‌لند"]}
    assert record.as_dict() == STORED


def test_an_older_item_without_optional_fields_gets_their_defaults():
    old = {k: v for k, v in STORED.items() if k not in ("enabled", "version", "updated_at")}
    record = RuleRecord.from_item(old)
    assert (record.enabled, record.version, record.updated_at) == (True, 1, STORED["created_at"])


def test_the_matcher_model_validates_from_the_record():
    rule = WatchRule.model_validate(RuleRecord.from_item(STORED).as_dict())
    assert (rule.id, rule.category, rule.version) == ("r_0a1b2c3d4e5f", "brand", 3)
