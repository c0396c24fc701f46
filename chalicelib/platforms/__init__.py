"""One module per platform behind the `PlatformAdapter` protocol (see `base.py`)."""
