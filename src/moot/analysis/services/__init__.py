"""Writes of the analysis app: runs, the analyst's changes, and the published summary."""
