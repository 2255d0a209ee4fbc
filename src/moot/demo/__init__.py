"""Demo data: both seed pages with their real facts, and enough more to explore moot.

The loader lives in ``loader.py``; it is imported on first use, because Django imports this
package when it loads the app, before any model may be imported.
"""

from __future__ import annotations

from typing import Any

_LOADER_NAMES = {"DEMO_STAFF_USERNAME", "DemoSummary", "load_demo"}


def __getattr__(name: str) -> Any:
    if name in _LOADER_NAMES:
        from moot.demo import loader

        return getattr(loader, name)
    raise AttributeError(f"module 'moot.demo' has no attribute {name!r}")
