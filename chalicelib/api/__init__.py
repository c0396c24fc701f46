"""The HTTP API: one Chalice blueprint per context, each view a few lines over `chalicelib`.

Views are declared with `chalicelib.http.route`, which parses what they declare and answers
what they document. Blueprints import only `chalice`, `chalicelib.http` and the vocabulary at
import time; domain modules and models are imported inside the views (lean cold start).
"""
