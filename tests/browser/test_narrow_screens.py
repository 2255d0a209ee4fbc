"""No page scrolls sideways on a phone: every public page, at the widths of the smallest phones
people use (320 px) and the most common (375 px)."""

from __future__ import annotations

import pytest

from moot.consultations.models import Consultation
from moot.demo import load_demo
from tests.browser.conftest import screenshot
from tests.browser.test_accessibility import public_pages

pytestmark = pytest.mark.django_db(transaction=True)

# How far the page's content reaches beyond the viewport, in CSS pixels (0 when it fits).
OVERFLOW = """() => {
  const width = document.documentElement.clientWidth;
  let widest = document.documentElement.scrollWidth;
  for (const element of document.body.querySelectorAll('*')) {
    const box = element.getBoundingClientRect();
    if (box.width === 0 || box.height === 0) continue;
    // Content inside a box that scrolls on its own (a wide table in its wrapper) is fine.
    let scrolls = false;
    for (let parent = element.parentElement; parent; parent = parent.parentElement) {
      const overflow = getComputedStyle(parent).overflowX;
      if (overflow === 'auto' || overflow === 'scroll') { scrolls = true; break; }
    }
    if (!scrolls) widest = Math.max(widest, Math.ceil(box.right));
  }
  return Math.max(0, widest - width);
}"""

WIDEST_ELEMENT = """() => {
  const width = document.documentElement.clientWidth;
  const found = [];
  for (const element of document.body.querySelectorAll('*')) {
    const box = element.getBoundingClientRect();
    if (box.right > width + 1 && box.width > 0) {
      const name = element.tagName.toLowerCase() + '.' + element.className;
      found.push(name + ' ' + Math.ceil(box.right));
    }
  }
  return found.slice(-3);
}"""


def narrow_pages() -> list[str]:
    pages = public_pages()
    pages += ["/open-data/", "/api/", "/api-keys/", "/recently-answered/"]
    pages += [
        f"{c.get_absolute_url()}summary-of-responses/"
        for c in Consultation.objects.exclude(published_at=None)
        if c.published_summary is not None
    ]
    return pages


@pytest.mark.parametrize("width", [320, 375])
def test_no_public_page_scrolls_sideways_on_a_phone(
    chromium_browser,  # type: ignore[no-untyped-def]
    live_server,
    settings,
    tmp_path,
    width: int,
) -> None:
    from moot.api.opendata.export import open_data_export
    from moot.search.services import search_index_rebuild

    settings.OPEN_DATA_DIR = tmp_path / "open-data"
    load_demo()
    search_index_rebuild()
    open_data_export()
    context = chromium_browser.new_context(
        base_url=live_server.url, viewport={"width": width, "height": 800}
    )
    page = context.new_page()
    too_wide = {}
    for url in narrow_pages():
        page.goto(url)
        overflow = page.evaluate(OVERFLOW)
        if overflow > 0:
            too_wide[url] = (overflow, page.evaluate(WIDEST_ELEMENT))
    page.goto("/consultations/safeguarding-children-from-sexual-exploitation/")
    screenshot(page, f"seed-000-consultation-{width}px")
    context.close()
    assert too_wide == {}, "\n".join(f"{u}: {o}" for u, o in too_wide.items())
