"""The provisioning commands: output a platform admin can read, and errors that create nothing."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from sites.models import SiteProfile
from tests.factories import provision

pytestmark = pytest.mark.django_db

INVENTORY = """
[[sites]]
code = "www"
kind = "portal"
name = "测试市人民政府"
sponsor = "测试市人民政府办公室"
site_id_code = "3698000001"
icp_number = "赣ICP备2099000001号"
police_number = "赣公网安备36990000000001号"
contact_phone = "0799-12345"
contact_address = "测试市人民路1号"

[[sites]]
code = "edu"
kind = "department"
name = "测试市教育局"
sponsor = "测试市教育局"
site_id_code = "3698000002"
icp_number = "赣ICP备2099000002号"
police_number = "赣公网安备36990000000002号"
contact_phone = "0799-22222"
contact_address = "测试市人民路2号"
parent = "www"

[[sites]]
code = "qx"
kind = "district"
name = "测试市清溪区人民政府"
sponsor = "测试市清溪区人民政府办公室"
site_id_code = "3698010001"
icp_number = "赣ICP备2099000003号"
police_number = "赣公网安备36990000000003号"
contact_phone = "0799-33333"
contact_address = "清溪区政务中心"
"""


def run(*args):
    out = StringIO()
    call_command(*args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_provision_cluster_creates_then_reports_unchanged(tmp_path):
    inventory = tmp_path / "cluster.toml"
    inventory.write_text(INVENTORY, encoding="utf-8")

    first = run("provision_cluster", str(inventory))
    assert "共 3 个站点：新建 3，补充 0，不变 0" in first
    assert "edu.localhost" in first
    assert SiteProfile.objects.count() == 3

    second = run("provision_cluster", str(inventory))
    assert "共 3 个站点：新建 0，补充 0，不变 3" in second


@pytest.mark.parametrize(
    "content, message",
    [
        ('[[sites]]\ncode = "edu"\nkind = ', "格式错误（TOML）"),
        ("title = 'no sites'", "没有 [[sites]] 条目"),
        ('[[sites]]\ncode = "edu"\nkind = "department"\ncolour = "x"', "未知字段「colour」"),
        ('[[sites]]\ncode = "edu"\nkind = "department"', "缺少网站名称（name）"),
        (
            INVENTORY.replace('site_id_code = "3698000002"', 'site_id_code = "3698000001"'),
            "第 2 个站点：网站标识码「3698000001」与第 1 个站点重复",
        ),
        (
            INVENTORY.replace('kind = "district"', 'kind = "county"'),
            "第 3 个站点（qx）：未知的站点类型「county」",
        ),
    ],
)
def test_broken_inventory_names_the_problem_and_creates_nothing(tmp_path, content, message):
    inventory = tmp_path / "cluster.toml"
    inventory.write_text(content, encoding="utf-8")
    with pytest.raises(CommandError) as error:
        run("provision_cluster", str(inventory))
    assert "未创建任何站点" in str(error.value)
    assert message in str(error.value)
    assert SiteProfile.objects.count() == 0


def test_missing_inventory_file(tmp_path):
    with pytest.raises(CommandError, match="找不到清单文件"):
        run("provision_cluster", str(tmp_path / "absent.toml"))


def test_provision_site_command():
    provision("www", "portal")
    args = [
        "provision_site",
        "--code",
        "env",
        "--kind",
        "department",
        "--name",
        "测试市生态环境局",
        "--sponsor",
        "测试市生态环境局",
        "--site-id-code",
        "3698000009",
        "--icp-number",
        "赣ICP备2099000009号",
        "--police-number",
        "赣公网安备36990000000009号",
        "--contact-phone",
        "0799-99999",
        "--contact-address",
        "测试市人民路9号",
    ]
    output = run(*args)
    assert "已创建 测试市生态环境局（env.localhost）" in output
    assert "+ 栏目 gzdt" in output
    assert "（无需补充）" in run(*args)


def test_provision_site_command_refuses_bad_input():
    with pytest.raises(CommandError) as error:
        run("provision_site", "--code", "env", "--kind", "department", "--site-id-code", "12")
    assert "缺少网站名称（name）" in str(error.value)
    assert SiteProfile.objects.count() == 0


def test_archive_command_round_trip():
    provision("www", "portal")
    provision("edu")
    assert "已归档" in run("archive_site", "edu")
    assert SiteProfile.objects.get(code="edu").is_archived
    with pytest.raises(CommandError, match="已经归档"):
        run("archive_site", "edu")
    assert "已恢复" in run("archive_site", "edu", "--restore")
    with pytest.raises(CommandError, match="没有代码为「nope」的站点"):
        run("archive_site", "nope")
