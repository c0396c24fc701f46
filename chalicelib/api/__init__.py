"""The HTTP API's blueprints (one per context; see the structure refactor, issue 12)."""
