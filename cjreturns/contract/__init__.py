"""The return contract: reference data, the JSON Schema and its source, the rule catalogue.

Above the readers (which only turn bytes into documents) and below validation (which applies
the contract to a document).
"""
