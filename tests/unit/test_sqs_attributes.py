"""Issue 16, item 9: an event id SQS would refuse as a message attribute is never sent as is.

moto stores such a value and then fails every receive around it, so only AWS's own rule, checked
here, shows the defect: non-empty, at most 256 characters here, and only #x9 #xA #xD
#x20-#xD7FF #xE000-#xFFFD #x10000-#x10FFFF.
"""

from __future__ import annotations

import re

import pytest

from chalicelib.ingest.webhooks import MAX_ATTRIBUTE_CHARS, attribute_value

AWS_ALLOWED = re.compile("^[\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]+$")


@pytest.mark.parametrize(
    "event_id",
    ["", "generic:\uffff", "generic:\x00", "generic:\ufffe\x07", "x:" + "9" * 5000, "tg:\x1b[31m"],
)
def test_ids_aws_would_refuse_are_sent_as_their_digest(event_id):
    value = attribute_value(event_id)
    assert AWS_ALLOWED.match(value)
    assert len(value) <= MAX_ATTRIBUTE_CHARS
    assert value.startswith("sha256:")
    assert attribute_value(event_id) == value  # the same delivery is named the same way


@pytest.mark.parametrize("event_id", ["telegram:81", "meta:page:1:2", "generic:سلام", "x:😀"])
def test_ordinary_ids_are_sent_unchanged(event_id):
    assert attribute_value(event_id) == event_id
