"""How long a reply may be on each network, counted the way the customer's network counts it.

The console's reply box counts as the customer will see it (it reads these through the
console's `config.json`); the numbers and the X weighting come from the publishing validation
(`chalicelib.publishing.validation`) so posts and replies can never disagree.
- telegram: 4096 UTF-16 code units (sendMessage text, after entity parsing);
- x: 280 weighted (URLs 23, light ranges 1, everything else and each emoji 2);
- meta: 2000 characters (Messenger's text limit, the strictest of the replies we send there:
  Instagram comments take 2200, Facebook comments 8000);
- linkedin: 1250 characters (a comment's text);
- anything else: the API's own 4000 (`MessageRequest.text`).
"""

from __future__ import annotations

from typing import Any

from chalicelib.publishing import validation

API_MAX = 4000


def console_limits() -> dict[str, Any]:
    """The limits and the counting rules, as JSON for the console."""
    x_rules = {
        "light_ranges": [list(r) for r in validation._X_LIGHT_RANGES],
        "emoji_ranges": [list(r) for r in validation._EMOJI_RANGES],
        "url_weight": validation.X_URL_WEIGHT,
    }
    return {
        "default": {"max": API_MAX, "count": "chars"},
        "telegram": {"max": 4096, "count": "utf16"},
        "x": {"max": validation.X_MAX_WEIGHTED, "count": "x_weighted", **x_rules},
        "meta": {"max": 2000, "count": "chars"},
        "linkedin": {"max": 1250, "count": "chars"},
    }
