"""Who wrote a confidential letter (举报 with a confidentiality request) is known only to the
mailbox's dispatchers and the platform admins: everyone else — the handling units, their
reviewers, site admins — sees 【保密】 for the name, phone and e-mail, and the subject and content
with the writer's identifying data masked."""

from django.db.models import Q

from . import redaction

HIDDEN = "【保密】"
IDENTIFYING = {"name", "id_number", "mobile", "landline", "email", "bank_card"}
WRITER_FIELDS = ("name", "phone", "email")


class WriterPrivacy:
    """Built once per request for one user; `hides(letter)` needs `mailbox__unit` loaded."""

    def __init__(self, user):
        self.everything = user.is_superuser
        self.groups = set() if self.everything else set(user.groups.values_list("pk", flat=True))

    def hides(self, letter):
        if not letter.confidential or self.everything:
            return False
        unit = letter.mailbox.unit
        return unit is None or unit.dispatchers_id not in self.groups

    def hidden_q(self):
        """The letters whose writer this user may not know (for searches on their text)."""
        if self.everything:
            return Q(pk__in=[])
        return Q(confidential=True) & ~Q(mailbox__unit__dispatchers__in=self.groups)

    def writer(self, letter):
        """(label, value) of the writer's name, phone and e-mail as this user may see them."""
        hidden = self.hides(letter)
        return [
            (letter._meta.get_field(name).verbose_name, HIDDEN if hidden else getattr(letter, name))
            for name in WRITER_FIELDS
        ]

    def text(self, letter, field):
        text = getattr(letter, field)
        if not self.hides(letter):
            return text
        masks = [m for m in redaction.find(text, [letter.name]) if m.kind in IDENTIFYING]
        return redaction.apply(text, masks)
