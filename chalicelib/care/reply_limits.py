"""How long a reply may be on each network, counted the way the customer's network counts it.

The console's reply box counts as the customer will see it (it reads these through the
console's `config.json`); the numbers are the platform catalogue's (`reply_limit`,
`reply_count`) and the X weighting comes from the networks' text rules
(`chalicelib.platforms.text_rules`), so posts and replies can never disagree. Anything else
gets the API's own 4000 (`MessageRequest.text`).
"""

from __future__ import annotations

from typing import Any

from chalicelib.platforms import catalogue
from chalicelib.platforms import text_rules as validation

API_MAX = 4000


def console_limits() -> dict[str, Any]:
    """The limits and the counting rules, as JSON for the console."""
    x_rules = {
        "light_ranges": [list(r) for r in validation._X_LIGHT_RANGES],
        "emoji_ranges": [list(r) for r in validation._EMOJI_RANGES],
        "url_weight": validation.X_URL_WEIGHT,
    }
    limits: dict[str, Any] = {"default": {"max": API_MAX, "count": "chars"}}
    for row in catalogue.ROWS:
        if row.networks:
            rules = x_rules if row.reply_count == "x_weighted" else {}
            limits[row.name] = {"max": row.reply_limit, "count": row.reply_count, **rules}
    return limits
