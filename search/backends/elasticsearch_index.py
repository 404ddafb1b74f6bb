"""The Elasticsearch index's definition: its analysis chain and mapping, as sent to
`PUT /<index>` (see search/backends/elasticsearch.py for how they are used, docs/search.md for
the tokenization contract they follow)."""

from ..chinese import t2s_pairs

TEXT_ANALYZER, CHARS_ANALYZER, WORDS_ANALYZER = "jiyue_text", "jiyue_chars", "jiyue_words"
# Plugins that segment words (for ranking only): tokenizer and the filters after it.
SEGMENTERS = {"smartcn": ("smartcn_tokenizer", ["smartcn_stop"]), "ik": ("ik_max_word", [])}
FLAVOURS = ("cjk", *SEGMENTERS)
# Bump when the analysis or the mapping changes: status() then asks for a rebuild.
SCHEMA_VERSION = 2
KEYWORD_FIELDS = ("id", "kind", "site_code", "site_name", "department", "language")
METADATA_FIELDS = ("document_number_key", "issuing_organ", "topic", "validity")


def mapping_rule(old, new):
    """One `mapping` char filter rule; backslash and quote are escaped for Elasticsearch's rule
    parser (a trailing backslash is refused; an escaped character stands for itself)."""

    def escaped(text):
        return text.replace("\\", "\\\\").replace('"', '\\"')

    return f"{escaped(old)} => {escaped(new)}"


def analysis(flavour):
    if flavour not in FLAVOURS:
        raise ValueError(f"SEARCH analyzer must be one of {', '.join(FLAVOURS)}, not {flavour}")
    char_filters = ["jiyue_t2s", "jiyue_separators"]
    definition = {
        "char_filter": {
            "jiyue_t2s": {
                "type": "mapping",
                "mappings": [mapping_rule(old, new) for old, new in t2s_pairs()],
            },
            "jiyue_separators": {
                "type": "pattern_replace",
                "pattern": r"[^\p{L}\p{N}]",
                "replacement": " ",
            },
        },
        "filter": {
            "jiyue_bigram": {
                "type": "cjk_bigram",
                "ignored_scripts": ["hiragana", "katakana", "hangul"],
            }
        },
        "analyzer": {
            TEXT_ANALYZER: {
                "type": "custom",
                "char_filter": char_filters,
                "tokenizer": "standard",
                "filter": ["cjk_width", "lowercase", "jiyue_bigram"],
            },
            CHARS_ANALYZER: {
                "type": "custom",
                "char_filter": char_filters,
                "tokenizer": "standard",
                "filter": ["cjk_width", "lowercase"],
            },
        },
    }
    if flavour in SEGMENTERS:
        tokenizer, filters = SEGMENTERS[flavour]
        definition["analyzer"][WORDS_ANALYZER] = {
            "type": "custom",
            "char_filter": ["jiyue_t2s"],
            "tokenizer": tokenizer,
            "filter": ["cjk_width", "lowercase", *filters],
        }
    return definition


def mappings(flavour):
    def text():
        fields = {"chars": {"type": "text", "analyzer": CHARS_ANALYZER}}
        if flavour in SEGMENTERS:
            fields["words"] = {"type": "text", "analyzer": WORDS_ANALYZER}
        return {"type": "text", "analyzer": TEXT_ANALYZER, "fields": fields}

    unindexed = {"type": "keyword", "index": False}
    properties = {name: {"type": "keyword"} for name in (*KEYWORD_FIELDS, *METADATA_FIELDS)}
    properties.update(
        title=text(),
        body=text(),
        document_number=text(),
        url=unindexed,
        published_at={"type": "date"},
        updated_at={"type": "date"},
        year={"type": "integer"},
        fingerprint=unindexed,
        body_head=unindexed,
        body_tail=unindexed,
        body_length={"type": "integer", "index": False},
    )
    return {
        "dynamic": "strict",
        "_meta": {"jiyue_schema": SCHEMA_VERSION, "analyzer": flavour},
        "properties": properties,
    }


def index_body(flavour="cjk", replicas=0, shards=1, alias=None):
    """The body of `PUT /<index>`: settings with the analysis, the mapping, and the alias."""
    body = {
        "settings": {
            "number_of_shards": shards,
            "number_of_replicas": replicas,
            "analysis": analysis(flavour),
        },
        "mappings": mappings(flavour),
    }
    if alias:
        body["aliases"] = {alias: {"is_write_index": True}}
    return body
