"""Typed domain records and the rules on them: no I/O, so every rule is tested in memory.

The store returns these records and the contexts decide with them; the API still answers the
stored shape (`to_dict()`), so the records change what the code can say, not what it answers.
"""
