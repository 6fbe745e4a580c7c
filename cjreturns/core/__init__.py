"""The bottom layer: result types (findings), limits, the reporting calendar, errors, resources.

Everything else may import from here; nothing here imports from the rest of cjreturns.
"""
