"""Reads of the analysis app: engine inputs from the response store, and what the staff pages
and the published summary show."""
