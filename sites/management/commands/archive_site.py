from django.core.management.base import BaseCommand, CommandError

from sites.archiving import ArchivingError, archive_site, restore_site
from sites.models import SiteProfile


class Command(BaseCommand):
    help = "Archive a site (its pages go offline, content kept) or, with --restore, bring it back."

    def add_arguments(self, parser):
        parser.add_argument("code")
        parser.add_argument("--restore", action="store_true")

    def handle(self, *args, code, restore, **options):
        profile = SiteProfile.objects.filter(code=code).first()
        if profile is None:
            raise CommandError(f"没有代码为「{code}」的站点")
        try:
            (restore_site if restore else archive_site)(profile)
        except ArchivingError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            self.style.SUCCESS(f"站点「{profile.name}」已{'恢复' if restore else '归档'}")
        )
