"""Social listening: normalise Persian/English text, match watch rules, classify, decide, alert.

Pure Python with no dependency beyond the standard library and pydantic, so it adds nothing to
the Lambda package and little to cold start (the analysis modules are imported by the ingest
consumer only).
"""
