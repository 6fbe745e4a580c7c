"""The report's sections, one module each, in reading order (see content.py)."""
