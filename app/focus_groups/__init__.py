"""Facilitators: focus groups as data (see routes.py for the pages, queries.py for the reports)."""
