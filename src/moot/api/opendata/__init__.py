"""Bulk downloads of moot's public data: what is exported (``datasets``), writing an export
(``export``) and reading the current one (``files``)."""
