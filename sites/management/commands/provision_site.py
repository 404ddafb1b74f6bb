from django.core.management.base import BaseCommand, CommandError

from sites.provisioning import ProvisioningError, SiteSpec, provision_site


class Command(BaseCommand):
    help = "Provision one site (站点) or add to an existing one what its standard now requires."

    def add_arguments(self, parser):
        for name, label in SiteSpec.LABELS.items():
            parser.add_argument(f"--{name.replace('_', '-')}", dest=name, help=label)

    def handle(self, *args, **options):
        data = {name: options[name] for name in SiteSpec.LABELS if options.get(name) is not None}
        try:
            report = provision_site(SiteSpec.from_mapping(data))
        except ProvisioningError as error:
            raise CommandError("无法创建站点：\n  " + "\n  ".join(error.problems)) from None
        verb = "已创建" if report.created else "已更新"
        self.stdout.write(self.style.SUCCESS(f"{verb} {report.name}（{report.hostname}）"))
        for item in report.added or ["（无需补充）"]:
            self.stdout.write(f"  + {item}")
