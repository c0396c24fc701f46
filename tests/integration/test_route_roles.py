"""Every internal route × every role: 401 without or with a bad token, 403 below its role.

One test per route (fresh moto resources are the slow part), checking every case inside it.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from app import app
from chalicelib.auth import ROLE_RANK, issue_token
from chalicelib.http import ROUTE_ROLES
from chalicelib.models import utcnow
from chalicelib.store import tokens as token_store
from tests.conftest import bearer

INTERNAL = sorted((path, method, role) for (path, method), role in ROUTE_ROLES.items() if role)


def concrete(path: str) -> str:
    return re.sub(r"{[^}]+}", "x1", path)


def test_the_table_covers_every_route():
    registered = {(p, m) for p, methods in app.routes.items() for m in methods}
    assert registered == set(ROUTE_ROLES)
    assert ("/tickets/{ticket_id}/resolve", "POST", "agent") in INTERNAL
    assert ("/teams/{team_id}", "PUT", "manager") in INTERNAL
    assert ("/tokens", "POST", "admin") in INTERNAL
    assert ("/classifier/retrain", "POST", "admin") in INTERNAL
    assert ("/classifier/rollback", "POST", "admin") in INTERNAL
    assert ("/classifier", "GET", "manager") in INTERNAL
    assert ("/corrections", "GET", "manager") in INTERNAL
    assert ("/tickets/{ticket_id}/history", "GET", "agent") in INTERNAL


@pytest.mark.parametrize(("path", "method", "role"), INTERNAL, ids=lambda v: str(v))
def test_internal_route_checks_token_and_role(client, resources, path, method, role):
    def call(headers):
        return client.http.request(method, concrete(path), headers=headers, body=b"{}")

    tokens = {r: issue_token(name=f"t-{r}", role=r)[0] for r in ROLE_RANK}  # type: ignore[arg-type]
    expired, _ = issue_token(name="old", role="admin", expires_at=utcnow() - timedelta(seconds=1))
    revoked, record = issue_token(name="gone", role="admin")
    token_store.revoke(str(record["token_id"]))

    unauthorized = {
        "missing": {},
        "unknown": bearer("cc_not-a-token"),
        "wrong scheme": {"Authorization": f"Basic {tokens['admin']}"},
        "expired": bearer(expired),
        "revoked": bearer(revoked),
    }
    for case, headers in unauthorized.items():
        response = call(headers)
        assert response.status_code == 401, (case, response.json_body)
        assert response.json_body["error"] == "unauthorized"

    for weaker, token in tokens.items():
        response = call(bearer(token))
        if ROLE_RANK[weaker] < ROLE_RANK[role]:
            assert response.status_code == 403, (weaker, response.json_body)
            assert response.json_body["error"] == "forbidden"
        else:
            assert response.status_code not in (401, 403), (weaker, response.json_body)
            assert response.status_code < 500, (weaker, response.json_body)
