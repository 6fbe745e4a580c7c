"""Hostile and broken inputs, built at test time (see corpus.py)."""
