"""The Elasticsearch 8/9 backend, through elasticsearch-dsl.

A versioned index `<INDEX>-<timestamp>` sits behind the alias `<INDEX>`; a rebuild fills a new
index and moves the alias in one atomic call, then drops the old one. Text is analysed with the
built-in CJK bigram chain (standard tokenizer, cjk_width, lowercase, cjk_bigram), preceded by a
mapping char filter that folds traditional characters to simplified ones; `ANALYZER` may name
"smartcn" or "ik" instead when those plugins are installed. A `.chars` sub-field keeps single
characters for one-character queries. Matching and ranking mirror the embedded backend: every
piece of a term must occur; boosts put a 发文字号 hit first, then a phrase in the title, then a
phrase in the body; ties go to the newer document. Synonyms are expanded in the query
(search.synonyms), so editing them needs no reindex. Highlighting happens in Python, the same
as for the embedded backend.

Timeouts are short and there are no client retries: when the cluster is unreachable every call
raises SearchUnavailable at once, and the service falls back or reports a limited search.
"""

from contextlib import contextmanager
from datetime import datetime

from django.conf import settings
from elastic_transport import TransportError
from elasticsearch import ApiError, Elasticsearch, NotFoundError, helpers
from elasticsearch_dsl import (
    A,
    Date,
    Document,
    Index,
    Integer,
    Keyword,
    Q,
    Search,
    Text,
    analyzer,
    char_filter,
)

from ..chinese import is_single_han, t2s_pairs
from ..documents import SearchDocument
from ..query import FacetValue, SearchResults
from . import IndexingError, SearchBackend, SearchUnavailable, build_hit

TEXT_ANALYZER = "jiyue_text"
CHARS_ANALYZER = "jiyue_chars"
TOKENIZERS = {"cjk": "standard", "smartcn": "smartcn_tokenizer", "ik": "ik_max_word"}
TITLE_PHRASE_BOOST, BODY_PHRASE_BOOST, NUMBER_BOOST = 100, 10, 1000


def _text():
    return Text(analyzer=TEXT_ANALYZER, fields={"chars": Text(analyzer=CHARS_ANALYZER)})


class IndexedDocument(Document):
    """The mapping of a search document (search.documents.SearchDocument) in Elasticsearch."""

    id = Keyword()
    kind = Keyword()
    site_code = Keyword()
    site_name = Keyword()
    department = Keyword()
    language = Keyword()
    title = _text()
    body = _text()
    url = Keyword(index=False)
    published_at = Date()
    updated_at = Date()
    year = Integer()
    document_number = _text()
    document_number_key = Keyword()
    issuing_organ = Keyword()
    topic = Keyword()
    validity = Keyword()
    fingerprint = Keyword(index=False)


def analyzers(flavour):
    """The text analyzer (bigrams or a named segmenter) and the single-character one."""
    if flavour not in TOKENIZERS:
        raise ValueError(f"SEARCH analyzer must be one of {', '.join(TOKENIZERS)}, not {flavour}")
    t2s = char_filter(
        "jiyue_t2s", "mapping", mappings=[f"{old} => {new}" for old, new in t2s_pairs()]
    )
    filters = ["cjk_width", "lowercase"] + (["cjk_bigram"] if flavour == "cjk" else [])
    text = analyzer(TEXT_ANALYZER, tokenizer=TOKENIZERS[flavour], char_filter=[t2s], filter=filters)
    chars = analyzer(
        CHARS_ANALYZER, tokenizer="standard", char_filter=[t2s], filter=["cjk_width", "lowercase"]
    )
    return text, chars


class ElasticsearchBackend(SearchBackend):
    def __init__(self, name, params):
        super().__init__(name, params)
        self.alias = params.get("INDEX", "jiyue")
        self.flavour = params.get("ANALYZER", "cjk")
        self.refresh = params.get("REFRESH", False)  # tests: True, to search what was written
        self.replicas = params.get("REPLICAS", 0)
        self.client = Elasticsearch(
            params["URL"],
            request_timeout=params.get("TIMEOUT", 3),
            max_retries=0,
            retry_on_timeout=False,
        )
        self._index_ready = False

    @contextmanager
    def _available(self):
        try:
            yield
        except TransportError as error:  # refused, timed out, DNS …
            raise SearchUnavailable(f"Elasticsearch {self.params['URL']}: {error}") from error
        except NotFoundError as error:  # no index yet: nothing to answer from
            raise SearchUnavailable(f"Elasticsearch index {self.alias}: {error}") from error
        except ApiError as error:
            if error.meta.status >= 500 or error.meta.status == 429:
                raise SearchUnavailable(f"Elasticsearch: {error}") from error
            raise

    # --- indices --------------------------------------------------------------------------

    def _new_index(self):
        name = f"{self.alias}-{datetime.now():%Y%m%d%H%M%S%f}"
        index = Index(name, using=self.client)
        index.settings(number_of_shards=1, number_of_replicas=self.replicas)
        for definition in analyzers(self.flavour):
            index.analyzer(definition)
        index.document(IndexedDocument)
        index.create()
        return name

    def _ensure_index(self):
        if self._index_ready:
            return
        with self._available():
            if not self.client.indices.exists_alias(name=self.alias):
                name = self._new_index()
                self.client.indices.put_alias(index=name, name=self.alias)
        self._index_ready = True

    def _indices_behind_alias(self):
        if not self.client.indices.exists_alias(name=self.alias):
            return []
        return list(self.client.indices.get_alias(name=self.alias))

    def drop(self):
        """Delete the alias and every index behind it (tests, decommissioning)."""
        with self._available():
            for name in self._indices_behind_alias():
                self.client.indices.delete(index=name)
        self._index_ready = False

    # --- writing --------------------------------------------------------------------------

    @staticmethod
    def _source(document):
        return {
            **document.to_dict(),
            "year": document.year,
            "document_number_key": document.document_number_key,
            "fingerprint": document.fingerprint,
        }

    def _bulk(self, actions, ignore_missing=False):
        with self._available():
            _, errors = helpers.bulk(
                self.client, actions, raise_on_error=False, refresh=self.refresh
            )
        failed = {}
        for error in errors:
            (result,) = error.values()
            if not (ignore_missing and result.get("status") == 404):
                failed[result["_id"]] = str(result.get("error", result.get("status")))
        if failed:
            raise IndexingError(failed)

    def upsert(self, documents):
        self._ensure_index()
        self._bulk(
            {"_index": self.alias, "_id": d.id, "_source": self._source(d)} for d in documents
        )

    def delete(self, document_ids):
        self._ensure_index()
        self._bulk(
            ({"_op_type": "delete", "_index": self.alias, "_id": i} for i in document_ids),
            ignore_missing=True,
        )

    def rebuild(self, documents):
        with self._available():
            name = self._new_index()
            try:
                self.client.indices.put_settings(index=name, settings={"refresh_interval": "-1"})
                count = 0
                for ok, result in helpers.streaming_bulk(
                    self.client,
                    ({"_index": name, "_id": d.id, "_source": self._source(d)} for d in documents),
                    raise_on_error=False,
                ):
                    if not ok:
                        raise IndexingError({"rebuild": str(result)})
                    count += 1
                self.client.indices.put_settings(index=name, settings={"refresh_interval": "1s"})
                self.client.indices.refresh(index=name)
                old = self._indices_behind_alias()
                self.client.indices.update_aliases(
                    actions=[{"remove": {"index": o, "alias": self.alias}} for o in old]
                    + [{"add": {"index": name, "alias": self.alias}}]
                )
            except BaseException:
                self.client.indices.delete(index=name, ignore_unavailable=True)
                raise
            for index in old:
                self.client.indices.delete(index=index)
        self._index_ready = True
        return count

    # --- reading --------------------------------------------------------------------------

    def fingerprints(self):
        with self._available():
            return {
                hit["_id"]: hit["_source"]["fingerprint"]
                for hit in helpers.scan(
                    self.client, index=self.alias, _source=["fingerprint"], size=1000
                )
            }

    def size_bytes(self):
        with self._available():
            stats = self.client.indices.stats(index=self.alias, metric="store")
        return stats["_all"]["primaries"]["store"]["size_in_bytes"]

    def search(self, query, plan):
        search = Search(using=self.client, index=self.alias).query(self._query(query, plan))
        if query.sort == "date":
            search = search.sort({"published_at": "desc"}, "_score", {"id": "desc"})
        else:
            search = search.sort("_score", {"published_at": "desc"}, {"id": "desc"})
        search = search.extra(track_total_hits=True)[query.offset : query.offset + query.page_size]
        for name in query.facets:
            search.aggs.bucket(name, self._aggregation(name))
        with self._available():
            response = search.execute()
        results = SearchResults(query=query, total=response.hits.total.value, backend=self.name)
        results.hits = [
            build_hit(SearchDocument.from_dict(hit.to_dict()), plan, hit.meta.score or 0.0)
            for hit in response.hits
        ]
        if results.total:
            results.facets = {
                name: self._facet_values(name, response.aggregations[name].buckets)
                for name in query.facets
            }
        return results

    def _query(self, query, plan):
        filters = [Q("terms", **{name: list(values)}) for name, values in query.filters.items()]
        excluded = [Q("terms", **{name: list(values)}) for name, values in query.exclude.items()]
        if not plan.terms:
            return Q("bool", filter=filters, must_not=excluded)
        if query.relaxed:
            match = Q("bool", should=[all_pieces(p) for p in plan.relaxed_alternatives])
        else:
            match = Q("bool", must=[term_query(term) for term in plan.terms])
        boosts = [phrase_query(plan, "title", TITLE_PHRASE_BOOST)]
        boosts.append(phrase_query(plan, "body", BODY_PHRASE_BOOST))
        if plan.document_number_key:
            boosts.append(
                Q(
                    "term",
                    document_number_key={"value": plan.document_number_key, "boost": NUMBER_BOOST},
                )
            )
        return Q("bool", must=[match], should=boosts, filter=filters, must_not=excluded)

    @staticmethod
    def _aggregation(name):
        if name == "year":
            return A(
                "date_histogram",
                field="published_at",
                calendar_interval="year",
                time_zone=settings.TIME_ZONE,
                format="yyyy",
                min_doc_count=1,
                order={"_key": "desc"},
            )
        aggregation = A("terms", field=name, size=200)
        if name == "site_code":
            aggregation.bucket("name", "terms", field="site_name", size=1)
        return aggregation

    @staticmethod
    def _facet_values(name, buckets):
        if name == "year":
            return [FacetValue(int(b.key_as_string), b.doc_count, b.key_as_string) for b in buckets]
        values = []
        for bucket in buckets:
            label = bucket.name.buckets[0].key if name == "site_code" else str(bucket.key)
            values.append(FacetValue(bucket.key, bucket.doc_count, label))
        return values


def piece_query(piece):
    """One piece must occur: a lone character in the `.chars` fields, anything else as text."""
    suffix = ".chars" if is_single_han(piece) else ""
    fields = [f"title{suffix}^10", f"body{suffix}", f"document_number{suffix}^5"]
    return Q("multi_match", query=piece, fields=fields, operator="and")


def all_pieces(pieces):
    return Q("bool", must=[piece_query(p) for p in pieces])


def term_query(term):
    return Q(
        "bool",
        should=[all_pieces(alternative.pieces) for alternative in term.alternatives],
        minimum_should_match=1,
    )


def phrase_query(plan, field, boost):
    """Every term's exact phrase (any alternative) in `field`."""
    return Q(
        "bool",
        must=[
            Q(
                "bool",
                should=[Q("match_phrase", **{field: a.text}) for a in term.alternatives],
                minimum_should_match=1,
            )
            for term in plan.terms
        ],
        boost=boost,
    )
