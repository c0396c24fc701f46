"""carecycle's Chalice app: the HTTP blueprints and the event handlers, each a few lines.

Routes live in one blueprint per context under `chalicelib/api/`; the handlers below take events
from SQS and EventBridge schedules. Nothing runs at import time beyond registration: settings,
secrets, AWS clients and models are created on first use.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

from chalice import Chalice

from chalicelib import definitions
from chalicelib.api import (
    care,
    classifier,
    console,
    listening,
    measure,
    meta,
    publishing,
    sla,
    ticket_history,
    triage,
)
from chalicelib.api import care_extras as care_extras_api
from chalicelib.api import customers as customers_api
from chalicelib.api import ingest as webhooks_and_mentions

app = Chalice(app_name=definitions.APP_NAME)
app.register_blueprint(meta.bp)
app.register_blueprint(webhooks_and_mentions.bp)
app.register_blueprint(care.bp)
app.register_blueprint(sla.bp)
app.register_blueprint(listening.bp)
app.register_blueprint(publishing.bp)
app.register_blueprint(measure.bp)
app.register_blueprint(classifier.bp)
app.register_blueprint(console.bp)
app.register_blueprint(triage.bp)  # triage and label corrections
app.register_blueprint(care_extras_api.bp)  # viewing marks, ticket rows
app.register_blueprint(customers_api.bp)  # customer records
app.register_blueprint(ticket_history.bp)

Handler = TypeVar("Handler", bound=Callable[..., dict[str, Any]])


def flushed(handler: Handler) -> Handler:
    """Flush the handler's metrics when it ends, however it ends (Lambda may freeze the
    process right after the return, and EMF metrics are buffered until flushed)."""

    @functools.wraps(handler)
    def wrapped(*args: Any, **kwargs: Any) -> dict[str, Any]:
        from chalicelib.observability import flush

        try:
            return handler(*args, **kwargs)
        finally:
            flush()

    return wrapped  # type: ignore[return-value]


@app.on_sqs_message(queue=definitions.INGEST_QUEUE.name, batch_size=10)
@flushed
def ingest(event: Any) -> dict[str, Any]:
    from chalicelib.ingest.consumer import handle_batch

    return handle_batch(event.to_dict(), event.context)


@app.on_sqs_message(queue=definitions.NOTIFY_QUEUE.name, batch_size=10)
@flushed
def notify(event: Any) -> dict[str, Any]:
    from chalicelib.care.notify import handle_batch

    return handle_batch(event.to_dict(), event.context)


@app.schedule("rate(1 minute)", name="publish_sweep")
@flushed
def publish_sweep(event: Any) -> dict[str, Any]:  # noqa: ARG001 (the clock is the input)
    from chalicelib.publishing import sweep

    return sweep.run().as_dict()


@app.schedule("rate(1 hour)", name="metrics_pull")
@flushed
def metrics_pull(event: Any) -> dict[str, Any]:  # noqa: ARG001 (the clock is the input)
    from chalicelib.measure.engagement import pull

    return pull().as_dict()
