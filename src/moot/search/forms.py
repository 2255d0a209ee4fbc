from __future__ import annotations

from django import forms

from moot.search.query import MAX_QUERY_LENGTH
from moot.search.results import SORTS, Sort


class SearchForm(forms.Form):
    """The search box. Only ``q`` can be wrong in a way worth telling the user about; a bad
    ``sort`` or ``page`` (from an edited link) falls back to the default."""

    q = forms.CharField(required=False, strip=True, max_length=MAX_QUERY_LENGTH * 2)

    @property
    def query(self) -> str:
        return str(self.data.get("q", "")).strip()

    @property
    def sort(self) -> Sort:
        return "newest" if self.data.get("sort") == "newest" else SORTS[0]

    @property
    def page(self) -> int:
        try:
            return max(1, int(str(self.data.get("page", "1"))))
        except ValueError:
            return 1

    def reject(self, message: str) -> None:
        """Show ``message`` against the search box (and in the error summary)."""
        self.is_valid()
        self.add_error("q", message)
