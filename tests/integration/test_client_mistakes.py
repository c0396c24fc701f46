"""A client's mistake is a 4xx naming the field, never a 500 (issue 16, item 5): JSON nested
~1,000 deep on every route with a body and every webhook, uploads that are not UTF-8, ranges that
mix naive and offset times, dates at year 1 or 9999, and forged cursors."""

from __future__ import annotations

import base64
import json
import re

import pytest

import app  # noqa: F401 (registers the routes the tables below enumerate)
from chalicelib import jsonbody
from chalicelib.errors import InvalidJson
from chalicelib.http import ROUTE_DOCS
from chalicelib.platforms import catalogue
from tests import helpers, social
from tests.conftest import bearer

DEEP = b"[" * 1000 + b"]" * 1000
DEEP_OBJECT = b'{"a":' * 40 + b"1" + b"}" * 40  # deeper than MAX_DEPTH, shallow for Python
SAMPLE_IDS = {
    "ticket_id": "T999",
    "token_id": "0123456789ab",
    "customer_id": "C000000000000",
    "mention_id": "telegram:1:1",
}
# Routes that read no body: the deep body is ignored and the unknown id is a 404.
NO_BODY = {"approve", "cancel", "viewing"}


def body_routes() -> list[tuple[str, str]]:
    """Every internal route that may take a body, as registered (new routes are included; a CORS
    preflight takes none: it is answered before any body is read)."""
    return sorted(
        (path, method)
        for (path, method), doc in ROUTE_DOCS.items()
        if method not in ("GET", "OPTIONS")
        and not path.startswith("/webhooks")
        # an action on the whole deployment that reads no body has nothing to refuse
        and (doc.body is not None or "{" in path)
    )


@pytest.mark.parametrize("body", [DEEP, DEEP_OBJECT], ids=["1000-deep", "40-deep"])
def test_deep_json_on_every_route_with_a_body_is_400(client, admin_token, body):
    """One table over every route (one set of resources: the table is the loop)."""
    headers = {**bearer(admin_token), "Content-Type": "application/json"}
    routes = body_routes()
    assert len(routes) > 30
    wrong = []
    for path, method in routes:
        # ids shaped as the route declares (unknown, so a route that reads no body is a 404)
        url = re.sub(r"\{[^}]+\}", lambda m: SAMPLE_IDS.get(m.group(0)[1:-1], "x"), path)
        response = client.http.request(method, url, headers=headers, body=body)
        got = (response.status_code, (response.json_body or {}).get("error"))
        if method == "DELETE" or path.rsplit("/", 1)[-1] in NO_BODY:
            expected = (404, "not_found")
        else:
            expected = (400, "invalid_json")
            field = (response.json_body or {}).get("details", [{}])[0].get("field")
            got = (*got, field)
            expected = (*expected, "body")
        if got != expected:
            wrong.append((method, path, got))
    assert wrong == []


def signed(platform: str, raw: bytes) -> dict[str, str]:
    return {
        "telegram": lambda: helpers.telegram_headers(),
        "generic": lambda: helpers.generic_headers(raw),
        "meta": lambda: social.meta_headers(raw),
        "x": lambda: social.x_headers(raw),
        "linkedin": lambda: social.linkedin_headers(raw),
    }[platform]()


def test_deep_json_on_every_webhook_is_400(client):
    wrong = []
    for platform in catalogue.names():
        for body in (DEEP, DEEP_OBJECT):
            response = client.http.post(
                f"/webhooks/{platform}", headers=signed(platform, body), body=body
            )
            got = (response.status_code, response.json_body.get("error"))
            if got != (400, "invalid_json"):
                wrong.append((platform, len(body), got))
    assert wrong == []


def test_the_parser_measures_depth_without_recursion():
    assert jsonbody.depth(json.loads("[[1, {}], 2]")) == 3
    assert jsonbody.parse(b'{"a": [1]}') == {"a": [1]}
    for bad in (DEEP, DEEP_OBJECT, b"\xff", b"[NaN]", b"{"):
        with pytest.raises(InvalidJson):
            jsonbody.parse(bad)


def forged(**key: str) -> str:
    raw = json.dumps(key, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


# Each case: its method, path, query or body, then the status and the field it must name.
MISTAKES = [
    # a range mixing a naive `to` with an offset `from`
    ("GET", "/mentions?from=2026-01-01T00:00:00%2B05:00&to=2026-01-02T00:00:00", None, 422, "to"),
    # dates at the ends of Python's calendar, where offsets and zones overflow
    ("GET", "/mentions?from=0001-01-01T00:00:00%2B05:00", None, 422, "from"),
    ("GET", "/mentions?to=9999-12-31T23:59:59-05:00", None, 422, "to"),
    ("GET", "/calendar?from=0001-01-01T00:00:00&to=0001-01-02T00:00:00&tz=Asia/Tehran", None,
     422, "from"),
    ("GET", "/calendar?from=2026-01-01T00:00:00Z&to=9999-12-31T23:00:00Z", None, 422, "to"),
    ("GET", "/calendar/next-slot?network=telegram&account_id=%40acme&after=9999-12-31T23:59:00Z",
     None, 422, "after"),
    ("GET", "/reports/care?from=0001-01-01&to=0001-01-02", None, 422, "from"),
    ("GET", "/reports/engagement?to=9999-12-31", None, 422, "to"),
    ("POST", "/tokens", {"name": "bot", "role": "agent", "expires_at": "0001-01-01T00:00:00+01:00"},
     422, "expires_at"),
    # cursors forged with the right partition but not issued by the listing
    ("GET", "/mentions?cursor=" + forged(gsi1pk="MENTIONS"), None, 400, "cursor"),
    ("GET", "/mentions?cursor=" + forged(gsi1pk="MENTIONS", gsi1sk="x", pk="p", sk="s", z="1"),
     None, 400, "cursor"),
    ("GET", "/tokens?cursor=" + forged(gsi1pk="TOKENS", gsi1sk="", pk="p", sk="s"), None, 400,
     "cursor"),
]  # fmt: skip


def test_client_mistakes_are_4xx_naming_the_field(client, admin_token):
    headers = {**bearer(admin_token), "Content-Type": "application/json"}
    wrong = []
    for method, path, body, status, field in MISTAKES:
        payload = json.dumps(body) if body is not None else None
        response = client.http.request(method, path, headers=headers, body=payload)
        fields = [d.get("field") for d in (response.json_body or {}).get("details", [])]
        if response.status_code != status or field not in fields:
            wrong.append((method, path, response.status_code, response.body[:300]))
    assert wrong == []


def test_a_schedule_at_year_9999_is_422(client, admin_token):
    headers = {**bearer(admin_token), "Content-Type": "application/json"}
    post = {"network": "telegram", "account_id": "@acme", "text": "hi"}
    created = client.http.post("/posts", headers=headers, body=json.dumps(post))
    response = client.http.post(
        f"/posts/{created.json_body['id']}/schedule",
        headers=headers,
        body=json.dumps({"scheduled_at": "9999-12-31T23:59:59-05:00"}),
    )
    assert response.status_code == 422, response.body
    assert response.json_body["details"][0]["field"] == "scheduled_at"


@pytest.mark.parametrize(
    ("content_type", "raw"),
    [
        ("text/csv", "network,account,posted_at\ntelegram,@rival,2026-01-01T10:00:00Z\n"),
        ("application/json", '[{"network":"telegram","account":"@rival"}]'),
    ],
)
def test_uploads_that_are_not_utf8_are_400(client, manager_token, content_type, raw):
    body = raw.replace("@rival", "@rivål").encode("latin-1")
    response = client.http.post(
        "/insights/observations",
        headers={**bearer(manager_token), "Content-Type": content_type},
        body=body,
    )
    assert response.status_code == 400, response.body
    assert response.json_body["details"][0]["field"] == "body"
