from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from sites.inventory import load_inventory
from sites.provisioning import ProvisioningError, provision_many


class Command(BaseCommand):
    help = "Provision every site of a declared inventory (TOML); a bad inventory creates nothing."

    def add_arguments(self, parser):
        parser.add_argument("inventory", help="e.g. platform/demo_cluster.toml")

    def handle(self, *args, inventory, **options):
        try:
            specs = load_inventory(inventory)
            with tqdm(total=len(specs), unit="站", disable=options["verbosity"] == 0) as bar:
                reports = provision_many(specs, progress=lambda spec: bar.update())
        except ProvisioningError as error:
            raise CommandError(
                "清单有误，未创建任何站点：\n  " + "\n  ".join(error.problems)
            ) from None
        if options["verbosity"] == 0:
            return
        self.stdout.write(f"{'代码':<10}{'结果':<6}{'新增':>6}  域名 / 名称")
        for report in reports:
            result = "新建" if report.created else ("补充" if report.added else "不变")
            added = len(report.added)
            self.stdout.write(
                f"{report.code:<10}{result:<6}{added:>6}  {report.hostname}  {report.name}"
            )
        created = sum(report.created for report in reports)
        updated = sum(bool(report.added) and not report.created for report in reports)
        self.stdout.write(
            self.style.SUCCESS(
                f"共 {len(reports)} 个站点：新建 {created}，补充 {updated}，"
                f"不变 {len(reports) - created - updated}"
            )
        )
