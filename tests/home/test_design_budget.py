"""Fast by construction: the portal home's weight with a realistic directory, and static files
fingerprinted and compressed by the production storage."""

import gzip
import re

import pytest
from bs4 import BeautifulSoup

from tests.conftest import module_world
from tests.factories import add_article, column, provision
from tests.test_settings import manage, production_env

pytestmark = pytest.mark.django_db

PAGE_WEIGHT_BUDGET = 100 * 1024  # HTML + CSS + JS of the portal home, compressed


@module_world
def large_cluster():
    """A portal with a realistic directory (45 departments and districts) and full sections."""
    portal = provision("www", "portal")
    for number in range(45):
        provision(f"d{number:02d}", "district" if number % 5 == 0 else "department")
    for slug in ["yw", "tzgg", "zfxxgk/fdzdgknr/zcwj", "zfxxgk/xxgknb", "zcjd"]:
        for number in range(8):
            add_article(
                column(portal, slug),
                f"关于进一步优化营商环境提升政务服务效能的若干措施（第{number}号）",
            )
    return portal


def test_portal_home_stays_within_the_page_weight_budget(client, large_cluster):
    response = client.get("/", HTTP_HOST=large_cluster.site.hostname)
    assert response.status_code == 200
    page = BeautifulSoup(response.content, "html.parser")
    assert len(page.select(".directory li")) == 45
    assets = [link["href"] for link in page.find_all("link", rel="stylesheet")]
    assets += [script["src"] for script in page.find_all("script")]
    sizes = {"HTML": len(gzip.compress(response.content))}
    for url in assets:
        asset = client.get(url, HTTP_HOST=large_cluster.site.hostname)
        assert asset.status_code == 200, url
        sizes[url] = len(gzip.compress(asset.getvalue()))
    assert sum(sizes.values()) <= PAGE_WEIGHT_BUDGET, sizes


def test_production_collects_static_files_fingerprinted_and_compressed(tmp_path):
    static_root = tmp_path / "static"
    result = manage(
        production_env(tmp_path, STATIC_ROOT=str(static_root)), "collectstatic", "--noinput"
    )
    assert result.returncode == 0, result.stderr
    for folder, stem, suffix in [("css", "site", "css"), ("js", "site", "js")]:
        hashed = [
            path
            for path in (static_root / folder).iterdir()
            if re.fullmatch(rf"{stem}\.[0-9a-f]{{12}}\.{suffix}", path.name)
        ]
        assert len(hashed) == 1, f"no fingerprinted {stem}.{suffix}"
        assert hashed[0].with_name(hashed[0].name + ".gz").exists()
