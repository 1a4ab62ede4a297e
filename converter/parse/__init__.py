"""Parsers, one per part of an issue: front matter, documents, clause blocks, appointments, the issue."""
