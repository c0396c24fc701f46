"""Webhook edge (verify + enqueue) and queue consumer (parse + store)."""
