"""Measure: engagement pulls, best times, care / listening / engagement reports."""
