"""Customer records (issue 13): search, a customer with all their conversations, merging two
records of one person, and erasure. Views parse, call `chalicelib.care.customers`, return."""

from __future__ import annotations

from typing import Any

from chalice import Blueprint

from chalicelib.http import LazyModels, route

bp = Blueprint(__name__)
models = LazyModels("chalicelib.care.team_models")
CUSTOMER = {"customer_id": r"^C[0-9a-f]{12}$"}


@route(bp, "/customers", role="agent", query=models.CustomerQuery, response=models.CustomerPage)
def search_customers(query: Any) -> dict[str, Any]:
    """Customers whose name or handle starts with q (prefix, normalised; no Scan)."""
    from chalicelib.care import customers

    return {"items": customers.search(query.q)}


@route(bp, "/customers/{customer_id}", role="agent", response=models.CustomerDetail, errors=(404,))
def get_customer(customer_id: str) -> dict[str, Any]:
    """A customer: profile, identities per network, conversations and their last messages."""
    from chalicelib.care import customers

    return customers.detail(customer_id)


@route(
    bp,
    "/customers/{customer_id}/merge",
    methods=("POST",),
    role="agent",
    ids=CUSTOMER,
    body=models.MergeRequest,
    response=models.CustomerDetail,
    errors=(404, 409, 422),
)
def merge_customers(customer_id: str, body: Any) -> dict[str, Any]:
    """Merge another record of the same person into this one (identities move here)."""
    from chalicelib.care import customers

    return customers.merge(customer_id, body.customer_id)


@route(
    bp,
    "/customers/{customer_id}",
    methods=("DELETE",),
    role="admin",
    ids=CUSTOMER,
    errors=(409,),
)
def erase_customer(customer_id: str) -> None:
    """Erase a customer: messages' text and profile anonymised, counts kept; the erasure is
    recorded (GET /customers/{id} shows it)."""
    from chalicelib.care import customers

    customers.erase(customer_id)
