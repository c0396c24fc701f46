"""HTTP routes grouped by context, one Chalice Blueprint per module, registered in `app.py`."""
