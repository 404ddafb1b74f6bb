"""Configuration by environment (point 9): embedded by default; with ELASTICSEARCH_URL,
Elasticsearch answers, the embedded index stands in, and the admin search uses Elasticsearch.

Production settings are imported in a fresh interpreter, since they read the environment once.
"""

import json

from tests.test_settings import manage, production_env

SHOW = (
    "import json; from django.conf import settings as s; "
    "print(json.dumps({'primary': s.SEARCH['PRIMARY'], 'fallback': s.SEARCH['FALLBACK'], "
    "'backends': sorted(s.SEARCH['BACKENDS']), "
    "'wagtail': s.WAGTAILSEARCH_BACKENDS['default']['BACKEND'], "
    "'es': s.SEARCH['BACKENDS'].get('elasticsearch', {}).get('URL')}))"
)


def settings_in(env):
    result = manage(env, "shell", "-c", SHOW)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_embedded_by_default(tmp_path):
    assert settings_in(production_env(tmp_path)) == {
        "primary": "embedded",
        "fallback": None,
        "backends": ["embedded"],
        "wagtail": "wagtail.search.backends.database",
        "es": None,
    }


def test_elasticsearch_when_its_url_is_set(tmp_path):
    env = production_env(tmp_path, ELASTICSEARCH_URL="http://search.internal:9200")
    assert settings_in(env) == {
        "primary": "elasticsearch",
        "fallback": "embedded",
        "backends": ["elasticsearch", "embedded"],
        "wagtail": "wagtail.search.backends.elasticsearch8",
        "es": "http://search.internal:9200",
    }
    assert settings_in({**env, "SEARCH_FALLBACK": "none"})["fallback"] is None
