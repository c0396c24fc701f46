"""Customer records (issue 13): search, a customer with all their conversations, merging two
records of one person, and erasure. Views parse, call `chalicelib.care.customers`, return."""

from __future__ import annotations

import re
from typing import Any

from chalice import Blueprint

from chalicelib.http import LazyModels, parse_body, parse_query, route

bp = Blueprint(__name__)
models = LazyModels("chalicelib.care.team_models")
_ID = re.compile(r"^C[0-9a-f]{12}$")


def _checked(customer_id: str) -> str:
    from chalicelib.errors import NotFound

    if not _ID.match(customer_id):
        raise NotFound(f"no customer '{customer_id}'")
    return customer_id


@route(bp, "/customers", role="agent", query=models.CustomerQuery, response=models.CustomerPage)
def search_customers() -> dict[str, Any]:
    """Customers whose name or handle starts with q (prefix, normalised; no Scan)."""
    from chalicelib.care import customers

    return {"items": customers.search(parse_query(bp, models.CustomerQuery).q)}


@route(bp, "/customers/{customer_id}", role="agent", response=models.CustomerDetail, errors=(404,))
def get_customer(customer_id: str) -> dict[str, Any]:
    """A customer: profile, identities per network, conversations and their last messages."""
    from chalicelib.care import customers

    return customers.detail(_checked(customer_id))


@route(
    bp,
    "/customers/{customer_id}/merge",
    methods=("POST",),
    role="agent",
    body=models.MergeRequest,
    response=models.CustomerDetail,
    errors=(404, 409, 422),
)
def merge_customers(customer_id: str) -> dict[str, Any]:
    """Merge another record of the same person into this one (identities move here)."""
    from chalicelib.care import customers

    request = parse_body(bp, models.MergeRequest)
    return customers.merge(_checked(customer_id), request.customer_id)


@route(
    bp,
    "/customers/{customer_id}",
    methods=("DELETE",),
    role="admin",
    response=models.Erasure,
    errors=(404, 409),
)
def erase_customer(customer_id: str) -> dict[str, Any]:
    """Erase a customer: their messages' text and profile anonymised, counts kept, recorded."""
    from chalicelib.care import customers

    return customers.erase(_checked(customer_id))
