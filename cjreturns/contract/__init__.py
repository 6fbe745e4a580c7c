"""The return contract: reference data, the frameworks and their JSON Schemas (with the sources
they are built from), the rule catalogue, the data dictionaries and the workbook layout.

Above the readers (which only turn bytes into documents) and below validation (which applies
the contract to a document).
"""
