"""The OpenAPI document is the API's contract: every route is driven here with seeded data and
its real answer (status and body) is validated against what `docs/openapi.json` says, and no
operation may lack its request, response or error schemas.

Each call is a step of one care-and-publishing story, so later steps act on what earlier ones
created; a failed step is reported with its answer, every step runs regardless.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from app import app
from chalicelib.clock import iso, utcnow
from chalicelib.http import ROUTE_DOCS
from chalicelib.openapi import build
from chalicelib.store import quarantine
from tests import helpers, social
from tests.conftest import bearer
from tests.integration.care_seed import stored


@pytest.fixture(scope="module")
def document() -> dict[str, Any]:
    return build(app)


@dataclass
class Step:
    method: str
    path: str  # the documented path
    url: str  # the concrete URL called
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    expect: int | None = None  # the status this step is meant to provoke


def _schema_for(document: dict[str, Any], operation: dict[str, Any], status: int, media: str):
    answer = operation["responses"].get(str(status))
    if answer is None:
        return None, f"status {status} is not documented"
    content = answer.get("content")
    if status == 204 or content is None:
        return None, None
    base = media.split(";")[0].strip()
    if base not in content:
        return None, f"media type {base} is not documented for {status}"
    return {**content[base]["schema"], "components": document["components"]}, None


def _check(document: dict[str, Any], step: Step, response: Any) -> str | None:
    operation = document["paths"][step.path][step.method.lower()]
    status = response.status_code
    if step.expect is not None and status != step.expect:
        return f"answered {status}, the step expects {step.expect}: {response.body[:300]!r}"
    media = {k.lower(): v for k, v in response.headers.items()}.get("content-type", "")
    schema, problem = _schema_for(document, operation, status, media)
    if problem:
        return problem
    if status == 204:
        return None if not response.body else "a 204 has a body"
    if schema is None:
        return None
    body: Any = response.body.decode() if not media.startswith("application/json") else None
    if body is None:
        body = json.loads(response.body)
    errors = sorted(Draft202012Validator(schema).iter_errors(body), key=str)
    if errors:
        first = errors[0]
        where = "/".join(str(p) for p in first.absolute_path)
        return f"{status} body does not match the document at '{where}': {first.message[:200]}"
    return None


def _steps(admin: str) -> list[Step]:
    """The story, in order. Every internal call uses the admin token (roles are the route-role
    test's subject); ids are the ones earlier steps create."""
    auth = {**bearer(admin), "Content-Type": "application/json"}
    at = iso(utcnow() + timedelta(days=3))
    steps: list[Step] = []

    def add(method: str, path: str, url: str | None = None, body: Any = None, **kw: Any) -> None:
        headers = kw.pop("headers", auth)
        steps.append(Step(method, path, url or path, body, headers, **kw))

    telegram = helpers.compact(helpers.private_message(810000001))
    add("GET", "/health", headers={}, expect=200)
    add("GET", "/openapi.json", headers={}, expect=200)
    add(
        "POST",
        "/webhooks/{platform}",
        "/webhooks/telegram",
        telegram,
        headers={**helpers.telegram_headers(), "Content-Type": "application/json"},
        expect=200,
    )
    add(
        "POST",
        "/webhooks/{platform}",
        "/webhooks/telegram",
        telegram,
        headers={"Content-Type": "application/json"},
        expect=401,
    )
    add("GET", "/webhooks/{platform}", "/webhooks/x?crc_token=foo", headers={}, expect=200)
    hub = f"hub.mode=subscribe&hub.verify_token={social.META_VERIFY_TOKEN}&hub.challenge=42"
    add("GET", "/webhooks/{platform}", f"/webhooks/meta?{hub}", headers={}, expect=200)
    add("GET", "/mentions", "/mentions?limit=5&sentiment=negative", expect=200)
    add("GET", "/mentions", "/mentions?limt=5", expect=422)
    add("GET", "/quarantine", expect=200)
    add("GET", "/alerts", "/alerts?limit=5", expect=200)
    add("GET", "/alerts", "/alerts?limit=0", expect=422)

    add("POST", "/tickets", body={"mention_id": "telegram:555:1"}, expect=201)
    add("POST", "/tickets", body={"mention_id": "telegram:555:1"}, expect=200)
    add("POST", "/tickets", body={"mention_id": "telegram:nope"}, expect=404)
    add("POST", "/tickets", body={"mention": "x"}, expect=422)
    add("GET", "/tickets", "/tickets?status=open", expect=200)
    add("GET", "/tickets/{ticket_id}", "/tickets/T1", expect=200)
    add("GET", "/tickets/{ticket_id}", "/tickets/not-a-ticket", expect=404)
    add("GET", "/tickets/{ticket_id}/history", "/tickets/T1/history?limit=2", expect=200)
    add("GET", "/tickets/{ticket_id}/history", "/tickets/T1/history?cursor=bm9wZQ", expect=400)
    actions = [
        ("acknowledge", {}),
        ("assign", {"assignee": "sara"}),
        ("route", {"team": "billing", "note": "about a refund"}),
        ("reply", {"text": "We are on it."}),
        ("pause", {"note": "waiting for the customer"}),
        ("resume", {}),
        ("resolve", {"text": "Refunded."}),
        ("reopen", {"note": "came back"}),
    ]
    for name, body in actions:
        add("POST", f"/tickets/{{ticket_id}}/{name}", f"/tickets/T1/{name}", body, expect=200)
    add("POST", "/tickets/{ticket_id}/resume", "/tickets/T1/resume", {}, expect=409)

    # care for teams (issue 13): idempotent replies, viewing marks, customers, ticket rows
    once = {**auth, "Idempotency-Key": "contract-1"}
    reply = "/tickets/{ticket_id}/reply"
    add("POST", reply, "/tickets/T1/reply", {"text": "Once."}, headers=once, expect=200)
    add("POST", reply, "/tickets/T1/reply", {"text": "Once."}, headers=once, expect=200)
    add("POST", reply, "/tickets/T1/reply", {"text": "Other"}, headers=once, expect=422)
    add("POST", reply, "/tickets/T1/reply", {"text": "x", "version": 1}, expect=409)
    viewing = "/tickets/{ticket_id}/viewing"
    add("POST", viewing, "/tickets/T1/viewing", expect=200)
    add("POST", viewing, "/tickets/T9999/viewing", expect=404)
    add("GET", "/tickets/{ticket_id}", "/tickets/T1", expect=200)  # remembers its customer
    add("GET", "/customers", "/customers?q=customer", expect=200)
    add("GET", "/customers", "/customers?name=x", expect=422)
    add("GET", "/customers/{customer_id}", "/customers/{customer}", expect=200)
    add("GET", "/customers/{customer_id}", "/customers/nope", expect=404)
    merge = "/customers/{customer_id}/merge"
    add("POST", merge, "/customers/{customer}/merge", {"customer_id": "{customer}"}, expect=422)
    add("POST", merge, "/customers/{customer}/merge", {"customer_id": "x"}, expect=422)
    add("GET", "/reports/tickets", "/reports/tickets", expect=200)
    add("GET", "/reports/tickets", "/reports/tickets?format=csv", expect=200)
    add("GET", "/reports/tickets", "/reports/tickets?from=2026-02-01&to=2026-01-01", expect=422)
    add("DELETE", "/customers/{customer_id}", "/customers/{customer}", expect=204)

    # triage and label corrections (issue 14): 555:3 waits in triage, 555:2 does not
    add("GET", "/triage", "/triage?reason=no_reply_needed&platform=telegram", expect=200)
    add("GET", "/triage", "/triage?reasn=spam", expect=422)
    labels = "/mentions/{mention_id}/labels"
    add("PATCH", labels, "/mentions/telegram:555:3/labels", {"intent": "question"}, expect=200)
    add("PATCH", labels, "/mentions/telegram:555:3/labels", {}, expect=422)
    add("PATCH", labels, "/mentions/telegram:nope/labels", {"intent": "other"}, expect=404)
    dismiss = "/mentions/{mention_id}/dismiss"
    add("POST", dismiss, "/mentions/telegram:555:3/dismiss", {"reason": "other"}, expect=200)
    add("POST", dismiss, "/mentions/telegram:555:3/dismiss", {"reason": "spam"}, expect=409)
    from_triage = "/mentions/{mention_id}/ticket"
    add("POST", from_triage, "/mentions/telegram:555:2/ticket", {}, expect=201)
    add("POST", from_triage, "/mentions/telegram:555:2/ticket", b"", expect=200)
    add("POST", from_triage, "/mentions/not-a-mention/ticket", {}, expect=404)

    add("GET", "/teams", expect=200)
    team = {"name": "QA", "members": [{"agent": "rhea"}], "terms": ["crash"]}
    add("PUT", "/teams/{team_id}", "/teams/qa", team, expect=200)
    add("PUT", "/teams/{team_id}", "/teams/Bad!", team, expect=404)
    add("GET", "/teams/{team_id}", "/teams/qa", expect=200)
    duty = "/teams/qa/members/rhea/duty"
    add("PUT", "/teams/{team_id}/members/{agent}/duty", duty, {"on_duty": False}, expect=200)
    add("GET", "/teams/{team_id}/sla", "/teams/qa/sla", expect=200)
    targets = {"ack_seconds": 3600, "resolve_seconds": 7200}
    policy = {"calendar": {"timezone": "Asia/Tehran"}, "targets": targets}
    add("PUT", "/teams/{team_id}/sla", "/teams/qa/sla", policy, expect=200)
    add("GET", "/teams/{team_id}/escalation", "/teams/qa/escalation", expect=200)
    add("PUT", "/teams/{team_id}/escalation", "/teams/qa/escalation", {"manager": "mina"})
    add("GET", "/contacts/{agent}", "/contacts/mina")
    add("PUT", "/contacts/{agent}", "/contacts/mina", {"email": "mina@example.com"}, expect=200)
    add("GET", "/contacts/{agent}", "/contacts/mina", expect=200)
    add("DELETE", "/teams/{team_id}", "/teams/qa", expect=204)
    add("DELETE", "/teams/{team_id}", "/teams/qa", expect=404)

    add("GET", "/templates", "/templates?kind=acknowledgement", expect=200)
    template = {"kind": "reply", "language": "en", "text": "Hi {customer_name}"}
    add("PUT", "/templates/{template_id}", "/templates/hi-en", template, expect=200)
    add("GET", "/templates/{template_id}", "/templates/hi-en", expect=200)
    add("DELETE", "/templates/{template_id}", "/templates/hi-en", expect=204)
    add("GET", "/templates/{template_id}", "/templates/hi-en", expect=404)

    add("GET", "/tokens", expect=200)
    add("POST", "/tokens", body={"name": "bot", "role": "agent"}, expect=201)
    add("DELETE", "/tokens/{token_id}", "/tokens/{created_token}", expect=204)
    add("DELETE", "/tokens/{token_id}", "/tokens/000000000000", expect=404)

    rule = {"name": "Acme", "category": "brand", "query": {"any": ["acme"]}}
    add("POST", "/watch-rules", body=rule, expect=201)
    add("POST", "/watch-rules", body={**rule, "category": "gossip"}, expect=422)
    add("GET", "/watch-rules", "/watch-rules?category=brand", expect=200)
    add("GET", "/watch-rules/{rule_id}", "/watch-rules/{created_rule}", expect=200)
    add("PUT", "/watch-rules/{rule_id}", "/watch-rules/{created_rule}", rule, expect=200)
    stale = {**rule, "version": 1}
    add("PUT", "/watch-rules/{rule_id}", "/watch-rules/{created_rule}", stale, expect=409)
    patch = {"enabled": False}
    add("PATCH", "/watch-rules/{rule_id}", "/watch-rules/{created_rule}", patch, expect=200)
    add("DELETE", "/watch-rules/{rule_id}", "/watch-rules/{created_rule}", expect=204)

    post = {"network": "telegram", "account_id": "@acme", "text": "Hello https://example.com"}
    add("POST", "/posts", body={**post, "track_links": True}, expect=201)
    add("GET", "/posts", "/posts?status=draft", expect=200)
    add("GET", "/posts/{post_id}", "/posts/{created_post}", expect=200)
    add("PATCH", "/posts/{post_id}", "/posts/{created_post}", {"text": "Hello again"}, expect=200)
    schedule = {"scheduled_at": at}
    add("POST", "/posts/{post_id}/schedule", "/posts/{created_post}/schedule", schedule)
    add("POST", "/posts/{post_id}/approve", "/posts/{created_post}/approve", expect=409)
    add("POST", "/posts/{post_id}/cancel", "/posts/{created_post}/cancel", expect=200)
    add("DELETE", "/posts/{post_id}", "/posts/{created_post}", expect=204)
    add("GET", "/posts/{post_id}", "/posts/{created_post}", expect=404)
    window = {"start": "09:00", "end": "18:00"}
    cadence = {"network": "telegram", "max_per_day": 3, "windows": [window]}
    add("PUT", "/calendar", body=cadence, expect=200)
    week = f"from={iso(utcnow())}&to={iso(utcnow() + timedelta(days=7))}"
    add("GET", "/calendar", f"/calendar?{week}", expect=200)
    add("GET", "/calendar/next-slot", "/calendar/next-slot?network=telegram&account_id=@acme")

    add("POST", "/links", body={"target": "https://example.com/a", "code": "promo1"}, expect=201)
    add("POST", "/links", body={"target": "https://example.com/a", "code": "promo1"}, expect=409)
    add("GET", "/links", expect=200)
    add("GET", "/links/{code}", "/links/promo1", expect=200)
    add("GET", "/l/{code}", "/l/promo1?fbclid=x", headers={}, expect=302)
    add("GET", "/l/{code}", "/l/nope", headers={}, expect=404)

    for kind in ("care", "listening", "engagement"):
        add("GET", f"/reports/{kind}", f"/reports/{kind}", expect=200)
        add("GET", f"/reports/{kind}", f"/reports/{kind}?format=csv", expect=200)
    add("GET", "/reports/care", "/reports/care?from=2025-13-01", expect=422)
    add("GET", "/insights/best-times", "/insights/best-times?network=instagram", expect=200)
    observation = [
        {
            "network": "instagram",
            "account": "rival",
            "posted_at": iso(utcnow() - timedelta(days=2)),
            "reactions": 10,
            "followers": 1000,
        }
    ]
    add("POST", "/insights/observations", body=observation, expect=201)

    add("GET", "/classifier", expect=200)
    # Earlier steps' label corrections may or may not make a no-worse model: either answer must
    # match the document (test_classifier_retrain.py pins each case).
    add("POST", "/classifier/retrain")
    add("POST", "/classifier/rollback")
    add("GET", "/corrections", expect=200)
    add("GET", "/corrections", "/corrections?format=jsonl", expect=200)
    add("GET", "/corrections", "/corrections?format=xml", expect=422)
    # The console's routes (chalicelib/api/console.py).
    add("GET", "/me", expect=200)
    add("POST", "/tickets/{ticket_id}/notes", "/tickets/T1/notes", {"note": "VIP"}, expect=201)
    add("POST", "/tickets/{ticket_id}/notes", "/tickets/T1/notes", {"note": ""}, expect=422)
    add("GET", "/tickets/{ticket_id}/related", "/tickets/T1/related", expect=200)
    # The CORS preflight beside every internal path (204; which origin may read the answers is
    # tests/integration/test_console_api.py's subject).
    preflight = {"Origin": "https://elsewhere.test", "Access-Control-Request-Method": "GET"}
    for path in sorted({p for (p, m) in ROUTE_DOCS if m == "OPTIONS"}):
        url = re.sub(r"{[^}]+}", "x1", path)
        add("OPTIONS", path, url, headers=preflight, expect=204)
    return steps


def _fill(url: str, created: dict[str, str]) -> str:
    for name, value in created.items():
        url = url.replace(f"{{{name}}}", value)
    return url


def _remember(step: Step, response: Any, created: dict[str, str]) -> None:
    if step.path == "/tickets/{ticket_id}" and response.status_code == 200:
        created["customer"] = json.loads(response.body).get("customer_id", "")
    if response.status_code != 201:
        return
    body = json.loads(response.body)
    keys = {
        "/tokens": ("created_token", "token_id"),
        "/watch-rules": ("created_rule", "id"),
        "/posts": ("created_post", "id"),
    }
    if step.path in keys:
        name, key = keys[step.path]
        created[name] = body[key]


def test_every_route_answers_what_the_document_says(
    client, resources, document, admin_token, fake_platform, teams
):
    stored(1)
    stored(2, sentiment="positive", intent="praise", needs_reply=False)
    stored(3, kind="comment", intent="praise", needs_reply=False, intake="triage")
    quarantine.record(record_id="m-1", platform="telegram", reason="bad", body="{}", attempt=3)
    created: dict[str, str] = {}
    failures: list[str] = []
    covered: set[tuple[str, str]] = set()
    for step in _steps(admin_token):
        url = _fill(step.url, created)
        body = step.body
        if body is not None and not isinstance(body, bytes):
            body = _fill(json.dumps(body, ensure_ascii=False), created).encode()
        response = client.http.request(step.method, url, headers=step.headers, body=body or b"")
        problem = _check(document, step, response)
        import os

        if os.environ.get("DUMP"):
            print("=====", step.method, url, response.status_code, response.body[:1500])
        if problem:
            failures.append(f"{step.method} {url}: {problem}")
        _remember(step, response, created)
        covered.add((step.path, step.method))
    registered = {(path, method) for path, methods in app.routes.items() for method in methods}
    assert sorted(registered - covered) == [], "routes no step drives"
    assert failures == []


def test_no_operation_lacks_its_schemas(document):
    """Every body a route takes and every 2xx it answers (but 204) has a schema, and every
    error it can answer is documented with the error body."""
    missing = []
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            doc = ROUTE_DOCS[(path, method.upper())]
            name = f"{method.upper()} {path}"
            if method in ("post", "put", "patch") and (doc.body or doc.upload):
                content = operation.get("requestBody", {}).get("content", {})
                if not content or not all(c.get("schema") for c in content.values()):
                    missing.append(f"{name}: request schema")
            for status, answer in operation["responses"].items():
                code = int(status)
                if 200 <= code < 300 and code != 204:
                    content = answer.get("content", {})
                    if not content or not all(c.get("schema") for c in content.values()):
                        missing.append(f"{name}: {status} schema")
                if code >= 400:
                    schema = answer["content"]["application/json"]["schema"]
                    if schema != {"$ref": "#/components/schemas/ErrorBody"}:
                        missing.append(f"{name}: {status} is not the error body")
            takes_no_body = not (doc.body or doc.upload)
            if takes_no_body and "requestBody" in operation:
                missing.append(f"{name}: documents a body it does not take")
    assert missing == []


def test_the_declared_conventions_hold(document):
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            statuses = {int(s) for s in operation["responses"]}
            if method == "delete":
                assert 204 in statuses, (path, statuses)
                assert not statuses & {200, 201}, (path, statuses)
            if ROUTE_DOCS[(path, method.upper())].strict_query:
                assert 422 in statuses, (path, method)


def test_the_document_is_valid_openapi(document):
    from openapi_spec_validator import validate

    validate(document)
