"""A letter as an A4 PDF for a window envelope: weasyprint lays out the letter's HTML page (CSS @page)."""

from __future__ import annotations

import logging


def html_to_pdf(page: str) -> bytes:
    """The HTML letter page as PDF bytes; nothing outside the page itself is ever fetched."""
    import weasyprint
    from weasyprint.urls import URLFetcher

    # a ledger template may hold raw HTML: <img src="file:///..."> or a web address must not be read
    fetcher = URLFetcher(allowed_protocols=("data",))
    logging.getLogger("weasyprint").setLevel(logging.ERROR)  # refused fetches are expected, not news
    return weasyprint.HTML(string=page, url_fetcher=fetcher).write_pdf()
