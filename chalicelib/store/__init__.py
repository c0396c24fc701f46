"""The only code that knows DynamoDB keys. Access patterns: see `keys.py`."""
