"""Property-based: whatever a platform (or an attacker holding a valid signature) sends, every
adapter either names the delivery or refuses it with a 4xx at the edge, and at the consumer either
parses it (bad items quarantined with a reason) or raises PermanentParseError (the whole event is
quarantined with its reason). Never any other exception: that would be a 500 at the edge or an
event lost to the dead-letter queue without a reason.

Bodies are drawn two ways: arbitrary JSON, and real payloads of each platform with random leaves
replaced by arbitrary JSON (which reaches far deeper into each parser). `max_examples` is kept
modest so the suite stays fast; `deadline=None` because CI machines are shared.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chalicelib.errors import CareError, PermanentParseError
from chalicelib.models import ParseResult
from chalicelib.platforms import registry
from chalicelib.platforms.base import load_json
from tests import helpers, social

PROPERTY = settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)

SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**25), max_value=10**25)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=40)
    | st.sampled_from(["", "0", "-1", "1e400", "2026-01-01T00:00:00Z", "9999-12-31", "@x"])
)
JSON = st.recursive(
    SCALARS,
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4)
    ),
    max_leaves=12,
)

TEMPLATES: dict[str, list[Any]] = {
    "telegram": [
        helpers.private_message(1),
        helpers.edited_private_message(2),
        helpers.channel_post(),
        helpers.discussion_comment(),
        helpers.reaction_count(),
    ],
    "generic": [helpers.generic_event()],
    "meta": [
        social.ig_payload(social.ig_comment_change()),
        social.ig_mention_payload(),
        social.page_payload(social.feed_comment(), social.feed_reaction()),
        social.messaging_payload("page", social.dm_event(), social.reaction_event()),
        social.meta_batch(2),
    ],
    "x": [social.x_tweets(social.tweet()), social.x_dm(), social.x_favorite()],
    "linkedin": [social.li_payload(social.li_comment(), social.li_action("LIKE", 9100000002))],
}


def paths(value: Any, prefix: tuple = ()) -> list[tuple]:
    """Every path to a node of a JSON value (the root included)."""
    found = [prefix]
    if isinstance(value, dict):
        for key, child in value.items():
            found += paths(child, (*prefix, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            found += paths(child, (*prefix, index))
    return found


def replaced(value: Any, path: tuple, new: Any) -> Any:
    if not path:
        return new
    copy = json.loads(json.dumps(value))
    node = copy
    for step in path[:-1]:
        node = node[step]
    node[path[-1]] = new
    return copy


@st.composite
def mutated(draw: Any, platform: str) -> Any:
    payload = draw(st.sampled_from(TEMPLATES[platform]))
    for _ in range(draw(st.integers(min_value=1, max_value=3))):
        path = draw(st.sampled_from(paths(payload)))
        payload = replaced(payload, path, draw(JSON))
    return payload


def bodies(platform: str) -> st.SearchStrategy[Any]:
    return st.one_of(JSON, mutated(platform))


def check_edge_and_consumer(platform: str, payload: Any) -> None:
    adapter = registry.get(platform)
    raw = json.dumps(payload).encode()
    # The edge: a name for the delivery, or a 4xx
    refused: CareError | None = None
    try:
        adapter.event_id(load_json(raw))
    except CareError as exc:
        refused = exc
    assert refused is None or 400 <= refused.status < 500, refused
    # The consumer (it also receives bodies the edge would refuse, e.g. replayed from the DLQ)
    quarantined: PermanentParseError | None = None
    try:
        result = adapter.parse(load_json(raw))
    except PermanentParseError as exc:
        quarantined = exc
    if quarantined is not None:
        assert str(quarantined), "a quarantined event needs a reason"
        return
    assert isinstance(result, ParseResult)
    for bad in result.bad:
        assert bad.reason, bad
        assert bad.ref, bad


@pytest.mark.parametrize("platform", sorted(TEMPLATES))
def test_every_adapter_parses_quarantines_or_refuses_any_body(platform_secrets, platform):
    assert sorted(TEMPLATES) == registry.names()  # a new platform must be added here

    @PROPERTY
    @given(payload=bodies(platform))
    def run(payload: Any) -> None:
        check_edge_and_consumer(platform, payload)

    run()
