"""The portal's English version, made with wagtail-localize (explicit translation, no tree sync).

`translate_portal()` submits the portal home and its top-level pages (columns and the policy
library) for translation, fills the untranslated segments it knows from
`platform/glossary.toml`, and publishes the translations. Anything the glossary lacks keeps
the source text until an editor translates it in the admin (wagtail-localize's editor);
running it again refreshes from the source and keeps the editors' translations.
"""

import tomllib
from functools import cache

from django.conf import settings
from django.db import transaction
from wagtail.models import Locale, Page
from wagtail_localize.models import (
    StringSegment,
    StringTranslation,
    Translation,
    TranslationSource,
)

from sites.models import portal_profile


@cache
def glossary(language_code):
    with open(settings.PLATFORM_DIR / "glossary.toml", "rb") as handle:
        return tomllib.load(handle).get(language_code, {})


def pages_to_translate(home):
    return [home.specific, *(page.specific for page in home.get_children().live().in_menu())]


@transaction.atomic
def translate_portal(language_code="en"):
    """Create or refresh the portal's translation into `language_code`; returns the pages."""
    locale = Locale.objects.get(language_code=language_code)
    known = glossary(language_code)
    translated = []
    for page in pages_to_translate(portal_profile().home_page):
        source, _ = TranslationSource.get_or_create_from_instance(page)
        source.update_from_db()
        translation, _ = Translation.objects.get_or_create(
            source=source, target_locale=locale, defaults={"enabled": True}
        )
        for segment in StringSegment.objects.filter(source=source).select_related("string"):
            if segment.string.data in known:  # fills gaps only: an editor's translation wins
                StringTranslation.objects.get_or_create(
                    translation_of=segment.string,
                    locale=locale,
                    context=segment.context,
                    defaults={"data": known[segment.string.data]},
                )
        # Saved as a draft, then published here and now: wagtail-localize would publish in an
        # on-commit callback holding the page as it was before its children were translated,
        # and its stale child count would then overwrite the tree's.
        translation.save_target(publish=False)
        target = page.get_translation(locale)
        target.get_latest_revision().publish()
        translated.append(Page.objects.get(pk=target.pk).specific)
    return translated
