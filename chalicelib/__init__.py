"""carecycle: everything deployed with the Chalice app (no test or infra code here)."""
