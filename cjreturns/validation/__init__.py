"""Validation: the schema, the rules beyond it, and the findings they produce."""
