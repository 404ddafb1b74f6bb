"""The world of the public search page and API tests: a portal, a department and a district,
and a small corpus indexed into the test's own embedded index (tests/search/conftest.py)."""

import pytest

from search.backends import primary_backend
from sites.models import SiteProfile
from tests.conftest import module_world
from tests.factories import provision

from .conftest import doc

PORTAL = "江州市人民政府"
XSS_TITLE = "<script>alert(1)</script>社保演示"


@module_world
def sites():
    return {
        "www": provision("www", "portal", name=PORTAL),
        "fgw": provision("fgw", name="江州市发展和改革委员会"),
        "qhq": provision("qhq", "district", name="江州市清河区人民政府"),
    }


def corpus():
    """Six documents about 社保 on three sites, two of them policy documents of fgw."""
    return [
        doc(
            "p1",
            "关于调整社保缴费基数的通知",
            "各单位：现将2025年度社保缴费基数调整如下。",
            site="fgw",
            days_ago=400,
            kind="policy",
            document_number="江发改〔2025〕3号",
            issuing_organ="江州市发展和改革委员会",
            validity="valid",
        ),
        doc(
            "p2",
            "社保补贴暂行办法",
            "本办法已由新的社保补贴办法替代。",
            site="fgw",
            days_ago=800,
            kind="policy",
            document_number="江人社〔2023〕9号",
            issuing_organ="江州市人力资源和社会保障局",
            validity="abolished",
        ),
        doc("a1", "社保卡办理指南更新", "社保卡可在线申领。", site="fgw", days_ago=10),
        doc("q1", "清河区社保服务大厅搬迁", "新地址：清河大道1号。", site="qhq", days_ago=5),
        doc("q2", XSS_TITLE, "标题里的<b>标签</b>只能原样显示。", site="qhq", days_ago=30),
        doc(
            "w1",
            "全市社保工作会议召开",
            "会议部署今年工作。",
            site="www",
            days_ago=1,
            site_name=PORTAL,
            department=PORTAL,
        ),
    ]


@pytest.fixture
def indexed(sites):
    """The sites, with the corpus in this test's index."""
    primary_backend().upsert(corpus())


def host(code):
    """The Host header of a request to site `code`."""
    return {"HTTP_HOST": SiteProfile.objects.get(code=code).site.hostname}
