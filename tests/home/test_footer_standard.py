import pytest

from sites.standards import load_standards
from tests.factories import provision

pytestmark = pytest.mark.django_db


def test_footer_shows_every_identity_field_the_standard_requires(client):
    provision("www", "portal")
    profile = provision("edu")
    html = client.get("/", HTTP_HOST="edu.localhost").content.decode()
    footer = html[html.index("<footer") : html.index("</footer>")]
    for field in load_standards().footer_required:
        assert getattr(profile, field) in footer, field
