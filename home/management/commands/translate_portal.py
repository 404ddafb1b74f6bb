from django.core.management.base import BaseCommand, CommandError
from wagtail.models import Locale

from home.translation import translate_portal
from sites.models import portal_profile


class Command(BaseCommand):
    help = "Create or refresh the portal's translation (home, columns, policy library)."

    def add_arguments(self, parser):
        parser.add_argument("--language", default="en")

    def handle(self, *args, language, **options):
        if portal_profile() is None:
            raise CommandError("尚未创建门户网站，请先运行 provision_cluster")
        if not Locale.objects.filter(language_code=language).exists():
            raise CommandError(f"语言「{language}」未启用")
        pages = translate_portal(language)
        self.stdout.write(
            self.style.SUCCESS(f"已更新门户网站 {language} 版本：{len(pages)} 个页面")
        )
