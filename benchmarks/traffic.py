"""What the load test's readers ask for: shared by the locustfile and `manage.py loadtest` (no Django, no locust).

Annexes are not equally popular: ranked in a fixed pseudo-random order, the n-th is read with weight 1/n (Zipf).
Downloads of published files come from the most read annexes of the newest published cycle: on a site in use
those files are in the export cache (they are rendered once per edition and kept), which is what the load test
measures. The first rendering of a file (~1.5 s of CPU for a PDF) is what `make bench` measures; pass
`--download-annexes 0` to `manage.py loadtest` to download from every annex instead (a cold cache: the day a whole
cycle is published).
"""

import random
import re

ANNEX_LINK = re.compile(r'href="(/annex/(\d{4})/[A-Z]{3}/)"')
PUBLISHED_FORMATS = {"pdf": 5, "docx": 2, "json": 1, "md": 1, "html": 1}  # PDF most of all
DOWNLOAD_ANNEXES = 5


def annex_urls(page_html: str) -> list[str]:
    """The annex pages linked from the list of published annexes, in the list's order."""
    return list(dict.fromkeys(url for url, _ in ANNEX_LINK.findall(page_html)))


def ranked(urls: list[str]) -> list[str]:
    """`urls` from most to least read, in an order that is the same in every process and run."""
    return sorted(urls, key=lambda url: random.Random(url).random())


def downloadable(urls: list[str], count: int = DOWNLOAD_ANNEXES) -> list[str]:
    """The annexes whose files readers download: the `count` most read of the newest cycle (0: every annex)."""
    if count <= 0 or not urls:
        return ranked(urls)
    newest = max(url.split("/")[2] for url in urls)
    return ranked([url for url in urls if url.split("/")[2] == newest])[:count]


def download_urls(annexes: list[str]) -> list[str]:
    """Every published file of `annexes` (edition 1), as readers download them."""
    return [f"{annex}v1.{fmt}" for annex in annexes for fmt in PUBLISHED_FORMATS]


def pick_popular(ranked_urls: list[str], rng: random.Random = random) -> str:  # type: ignore[assignment]
    """One of `ranked_urls` (most read first), the n-th with weight 1/n."""
    return rng.choices(ranked_urls, weights=[1 / rank for rank in range(1, len(ranked_urls) + 1)])[0]


def pick_format(rng: random.Random = random) -> str:  # type: ignore[assignment]
    return rng.choices(list(PUBLISHED_FORMATS), weights=list(PUBLISHED_FORMATS.values()))[0]


def annex_page_pdf_link(html: str) -> str | None:
    """The PDF link a reader of an annex page gets (its hashed URL once the file is stored)."""
    match = re.search(r'<ul class="downloads">.*?href="([^"]+\.pdf)"', html, re.S)
    return match[1] if match else None
