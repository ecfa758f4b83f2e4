"""Revision history: change-only historical records, timelines, comparisons and the activity feed."""
