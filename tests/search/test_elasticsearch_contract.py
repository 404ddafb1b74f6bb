"""What the Elasticsearch backend sends, checked without a cluster (issue 14, points 1, 3, 7, 8).

The real analysis chain runs through Lucene in test_lucene_analysis.py and every request body
is checked against the API specification in test_request_spec.py; these tests hold the rules
that need neither.
"""

import re
from datetime import UTC, datetime

import pytest

from search.backends.breaker import CircuitBreaker, CircuitOpen
from search.backends.elasticsearch import ElasticsearchBackend
from search.backends.elasticsearch_index import index_body, mapping_rule
from search.chinese import HAN, t2s_pairs
from search.documents import SearchDocument


def test_t2s_rules_are_han_only_and_escaped():
    """The full-width rules (among them ＼ => \\, which Elasticsearch refuses) are gone:
    cjk_width folds full-width forms."""
    rules = index_body()["settings"]["analysis"]["char_filter"]["jiyue_t2s"]["mappings"]
    assert len(rules) == len(t2s_pairs()) > 4000
    han = re.compile(f"[{HAN}]+")
    assert all(han.fullmatch(old) and han.fullmatch(new) for old, new in t2s_pairs())
    assert mapping_rule("\\", '"') == '\\\\ => \\"'


def test_smartcn_adds_a_ranking_sub_field_and_keeps_bigrams_for_matching():
    cjk, smartcn = index_body("cjk"), index_body("smartcn")
    title = smartcn["mappings"]["properties"]["title"]
    assert title["analyzer"] == cjk["mappings"]["properties"]["title"]["analyzer"] == "jiyue_text"
    assert title["fields"]["words"]["analyzer"] == "jiyue_words"
    words = smartcn["settings"]["analysis"]["analyzer"]["jiyue_words"]
    assert words["tokenizer"] == "smartcn_tokenizer" and "smartcn_stop" in words["filter"]
    assert "words" not in cjk["mappings"]["properties"]["title"]["fields"]
    with pytest.raises(ValueError):
        index_body("jieba")


def test_the_first_index_carries_its_alias_and_a_strict_versioned_mapping():
    body = index_body(alias="jiyue")
    assert body["aliases"] == {"jiyue": {"is_write_index": True}}
    assert body["mappings"]["dynamic"] == "strict"
    assert "jiyue_schema" in body["mappings"]["_meta"]


def test_empty_metadata_is_not_indexed_as_a_facet_value():
    now = datetime(2026, 3, 1, tzinfo=UTC)
    document = SearchDocument(
        id="x:1",
        kind="article",
        site_code="fgw",
        site_name="发改委",
        department="发改委",
        title="标题",
        body="正文" * 100,
        url="https://x/",
        published_at=now,
        updated_at=now,
    )
    source = ElasticsearchBackend._source(document)
    assert not {"issuing_organ", "validity", "topic", "document_number_key"} & set(source)
    assert source["body_length"] == 200 and source["body_head"] == "正文" * 8


def test_breaker_opens_after_a_failure_and_lets_one_try_through_after_the_pause():
    breaker = CircuitBreaker(seconds=3600)
    breaker.check()
    breaker.failed("连接被拒绝")
    with pytest.raises(CircuitOpen, match="连接被拒绝"):
        breaker.check()
    breaker.succeeded()
    breaker.check()

    paused = CircuitBreaker(seconds=0)
    paused.failed("超时")
    paused.check()  # the pause is over: one call tries again
    assert paused.open_for == 0
