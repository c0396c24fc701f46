"""The embedded local runtime behind `make run` (never deployed)."""
