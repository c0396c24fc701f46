"""Property-based (issue 16): every store write, fed generated field sets, ends stored,
quarantined with a reason, or refused with a 4xx — never a 5xx, never silently lost.

Two doors lead into the store:
- the ingest consumer (every platform's payloads, mutated leaf by leaf with arbitrary JSON by the
  strategies of tests/unit/test_webhook_properties.py): each record is settled (nothing goes to
  the DLQ for a reason a retry cannot cure) and each thing the adapter produced is either in the
  table or has a quarantine record naming it;
- the API's writes (watch rules, posts, teams), with bodies mutated the same way: a 2xx means
  the resource reads back; anything else is a 4xx JSON error.

One moto table serves all of a test's examples (fresh tables per example would be the slow part);
ids are unique per example. `max_examples` stays modest so the suite stays fast.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chalicelib.definitions import INGEST_QUEUE
from chalicelib.errors import PermanentParseError
from chalicelib.ingest.consumer import handle_batch
from chalicelib.platforms import registry
from chalicelib.platforms.base import load_json
from chalicelib.store import keys, quarantine
from chalicelib.store.table import get
from local.lambda_events import sqs_event
from tests.conftest import bearer
from tests.unit.test_webhook_properties import JSON, TEMPLATES, bodies, paths, replaced

PROPERTY = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def _quarantined(record_id: str) -> dict[str, Any] | None:
    return get(keys.quarantine(quarantine.key_id(record_id)), consistent=True)


def check_consumer(resources: Any, platform: str, payload: Any) -> None:
    adapter = registry.get(platform)
    raw = json.dumps(payload)
    try:
        parsed = adapter.parse(load_json(raw.encode()))
    except PermanentParseError:
        parsed = None
    message_id = str(uuid.uuid4())
    message = {
        "MessageId": message_id,
        "ReceiptHandle": message_id,
        "Body": raw,
        "MessageAttributes": {"platform": {"DataType": "String", "StringValue": platform}},
    }

    result = handle_batch(sqs_event([message], resources.queue_arns[INGEST_QUEUE.name]))

    # Settled: nothing left to a retry that would end the same way
    assert result == {"batchItemFailures": []}, payload
    if parsed is None:
        record = _quarantined(message_id)
        assert record, payload
        assert record["reason"], payload
        return
    for bad in parsed.bad:
        record = _quarantined(f"{message_id}:{bad.ref}")
        assert record, bad
        assert record["reason"], bad
    for mention in parsed.mentions:
        stored = get(keys.mention(mention.platform, mention.platform_id), consistent=True)
        ref = f"{message_id}:{mention.raw_ref}#{mention.platform_id}"
        assert stored or _quarantined(ref), (mention, payload)
    for snapshot in parsed.engagement:
        ref = f"{message_id}:{snapshot.raw_ref}#{snapshot.target_id}"
        stored = get(keys.engagement(snapshot.platform, snapshot.target_id), consistent=True)
        assert stored or snapshot.delta_id or _quarantined(ref), (snapshot, payload)


@pytest.mark.parametrize("platform", sorted(TEMPLATES))
def test_every_consumed_event_ends_stored_or_quarantined(resources, app_module, platform):
    @PROPERTY
    @given(payload=bodies(platform))
    def run(payload: Any) -> None:
        check_consumer(resources, platform, payload)

    run()


# --- the API's writes ------------------------------------------------------------------------

API_WRITES: dict[str, tuple[str, str, dict[str, Any], str]] = {
    # name: (method, path, a valid body, where it reads back: {id} from the answer)
    "watch-rule": (
        "POST",
        "/watch-rules",
        {
            "name": "Digiland",
            "category": "brand",
            "query": {"any": ["دیجی‌لند", "digiland"], "handles": ["@Digiland"]},
        },
        "/watch-rules/{id}",
    ),
    "post": (
        "POST",
        "/posts",
        {"network": "telegram", "account_id": "@acme", "text": "New collection on Friday"},
        "/posts/{id}",
    ),
    "team": (
        "PUT",
        "/teams/{team}",
        {"name": "Tech", "members": [{"agent": "rhea", "on_duty": False}], "terms": ["login"]},
        "/teams/{id}",
    ),
}


@st.composite
def api_bodies(draw: Any, valid: dict[str, Any]) -> Any:
    if draw(st.booleans()):
        return draw(JSON)
    body = valid
    for _ in range(draw(st.integers(min_value=1, max_value=3))):
        body = replaced(body, draw(st.sampled_from(paths(body))), draw(JSON))
    return body


@pytest.mark.parametrize("name", sorted(API_WRITES))
def test_every_api_write_stores_or_refuses_with_a_4xx(client, manager_token, name):
    method, path, valid, read_back = API_WRITES[name]
    headers = {**bearer(manager_token), "Content-Type": "application/json"}

    @PROPERTY
    @given(body=api_bodies(valid))
    def run(body: Any) -> None:
        target = path.format(team=f"t{uuid.uuid4().hex[:8]}")
        response = client.http.request(method, target, headers=headers, body=json.dumps(body))
        assert response.status_code < 500, (body, response.body)
        answer = response.json_body
        if response.status_code >= 400:
            assert answer["error"], answer
            return
        created_id = answer.get("id") or target.rsplit("/", 1)[-1]
        again = client.http.get(read_back.format(id=created_id), headers=headers)
        assert again.status_code == 200, (body, again.body)

    run()
