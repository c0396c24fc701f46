"""Customer care: tickets and their lifecycle, SLA clock, routing and assignment, templates and
replies sent through the platform clients. Domain code only; `app.py` calls in, nothing here
imports Chalice."""
