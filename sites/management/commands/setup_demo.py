from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from tqdm import tqdm

from home.checks.demo import seed_demo_wording_lists
from home.demo_content import fill_site
from sites import parts
from sites.demo_accounts import DEMO_PASSWORD, create_demo_accounts
from sites.models import SiteProfile


class Command(BaseCommand):
    help = (
        "Provision the demo cluster, fill its columns with demo content and create demo accounts."
    )

    def add_arguments(self, parser):
        parser.add_argument("--inventory", default=str(settings.PLATFORM_DIR / "demo_cluster.toml"))

    def handle(self, *args, inventory, **options):
        call_command("provision_cluster", inventory, verbosity=0)
        profiles = list(SiteProfile.objects.select_related("site"))
        accounts = create_demo_accounts()
        for create in parts.demo_accounts():
            accounts += create()
        items = 0
        for profile in tqdm(profiles, unit="站", desc="示例内容"):
            items += fill_site(profile)
            items += sum(fill(profile) for fill in parts.demos())
        call_command("translate_portal", verbosity=0)
        seed_demo_wording_lists()
        port = settings.SITE_PORT
        portal = SiteProfile.objects.get(kind="portal")
        self.stdout.write(
            self.style.SUCCESS(f"\n{len(profiles)} 个站点就绪，新增示例内容 {items} 篇。")
        )
        self.stdout.write(f"门户网站:  http://{portal.site.hostname}:{port}/ （英文版 /en/）")
        self.stdout.write(
            f"部门网站:  http://<代码>.{settings.PLATFORM_DOMAIN}:{port}/ ，如 http://fgw.{settings.PLATFORM_DOMAIN}:{port}/"
        )
        self.stdout.write(f"管理后台:  http://{portal.site.hostname}:{port}/admin/")
        self.stdout.write(f"示例账号（密码均为 {DEMO_PASSWORD}）：")
        for username, description in accounts:
            self.stdout.write(f"  {username:<18} {description}")
