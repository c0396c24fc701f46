"""The fake platform server lives in `local/fake_platforms.py` (the local runtime serves it too);
tests import it from here, in its strict mode: 404 unless a reply is queued."""

from local.fake_platforms import PlatformServer
from local.fake_replies import Recorded, Reply, bad_request, ok, rate_limited, server_error, slow

__all__ = [
    "PlatformServer",
    "Recorded",
    "Reply",
    "bad_request",
    "ok",
    "rate_limited",
    "server_error",
    "slow",
]
