"""Duty activities: types and points, drafts, saving, history, quick entry."""
