"""Publishing the annex: one data builder (annex.py), every export format rendered from its data."""
