"""The summary of responses in its forms: Markdown for the page, PDF, and CSV/XLSX tables."""
