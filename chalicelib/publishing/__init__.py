"""Planning and publishing: posts, validation per network, approval, calendar and cadence, the
due sweep (claim, lease, retry, exactly-once) and tracked links."""
