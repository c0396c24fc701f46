"""Measure (issue 8): engagement pulls, best times, care / listening / engagement reports."""
