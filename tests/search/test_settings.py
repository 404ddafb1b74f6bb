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
    "'es': s.SEARCH['BACKENDS'].get('elasticsearch', {}).get('URL'), "
    "'api_key': s.SEARCH['BACKENDS'].get('elasticsearch', {}).get('API_KEY'), "
    "'admin_backends': sorted(s.WAGTAILSEARCH_BACKENDS), "
    "'admin_prefix': s.WAGTAILSEARCH_BACKENDS['default'].get('INDEX_PREFIX'), "
    "'admin_options': s.WAGTAILSEARCH_BACKENDS['default'].get('OPTIONS')}))"
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
        "api_key": None,
        "admin_backends": ["default"],
        "admin_prefix": None,
        "admin_options": None,
    }


def test_elasticsearch_when_its_url_is_set(tmp_path):
    env = production_env(tmp_path, ELASTICSEARCH_URL="http://search.internal:9200")
    assert settings_in(env) == {
        "primary": "elasticsearch",
        "fallback": "embedded",
        "backends": ["elasticsearch", "embedded"],
        "wagtail": "search.admin_backend",
        "es": "http://search.internal:9200",
        "api_key": "",
        "admin_backends": ["database", "default"],
        "admin_prefix": "jiyue-wagtail-",
        "admin_options": {},
    }
    assert settings_in({**env, "SEARCH_FALLBACK": "none"})["fallback"] is None


def test_elasticsearch_credentials_reach_both_clients(tmp_path):
    env = production_env(
        tmp_path,
        ELASTICSEARCH_URL="https://search.internal:9200",
        ELASTICSEARCH_API_KEY="aWQ6c2VjcmV0",
        ELASTICSEARCH_CA_CERTS="/etc/jiyue/es-ca.pem",
        ELASTICSEARCH_INDEX="jiyue-staging",
    )
    shown = settings_in(env)
    assert shown["api_key"] == "aWQ6c2VjcmV0"
    assert shown["admin_options"] == {"api_key": "aWQ6c2VjcmV0", "ca_certs": "/etc/jiyue/es-ca.pem"}
    assert shown["admin_prefix"] == "jiyue-staging-wagtail-", "environments on one cluster differ"
