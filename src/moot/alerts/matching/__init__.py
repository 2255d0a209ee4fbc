"""Matching saved alerts against new documents: pure Python and numpy, no database."""

from moot.alerts.matching.matcher import AlertMatcher, Matches

__all__ = ["AlertMatcher", "Matches"]
