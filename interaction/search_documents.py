"""Published letters in the cluster's search (kind "letter", 信件答复): their public, redacted
subject, content and reply, on the site of their mailbox, at the letter's public page. Only the
saves of letters that are or were public are queued (`watches`)."""

from home.search_documents import SiteDirectory
from search.documents import SearchDocument
from search.registry import SearchAdapter, document_id, register

from .models import Letter, MailboxPage
from .public.visibility import shows_in_public


class LetterAdapter(SearchAdapter):
    kinds = {"letter": "信件答复"}

    def indexable(self):
        mailboxes = MailboxPage.objects.live().public()
        return (
            Letter.objects.public()
            .filter(mailbox__in=mailboxes)
            .select_related("mailbox", "reply_unit")
        )

    def watches(self, letter):
        return shows_in_public(letter)

    def to_documents(self, letters):
        sites = SiteDirectory()
        for letter in letters:
            mailbox = letter.mailbox
            profile = sites.profile_of(mailbox)
            if profile is None:
                continue
            url = mailbox.get_full_url() or ""
            yield SearchDocument(
                id=document_id(letter),
                kind="letter",
                site_code=profile.code,
                site_name=profile.name,
                department=profile.sponsor,
                title=letter.public_subject,
                body="\n".join(
                    part
                    for part in (
                        letter.public_content,
                        letter.public_reply,
                        letter.reply_unit.name if letter.reply_unit else "",
                    )
                    if part
                ),
                url=f"{url}{mailbox.reverse_subpage('letter', args=[letter.pk])}",
                published_at=letter.published_at,
                updated_at=max(filter(None, [letter.published_at, letter.rated_at])),
            )


register(Letter, LetterAdapter())
