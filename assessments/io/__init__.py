"""Bulk import and export of r2p data (django-import-export resources, a fast indicator-assessment path, CLI)."""
