"""The Elasticsearch 8 backend, through the official client and its `elasticsearch.dsl`.

A versioned index `<INDEX>-<timestamp>` sits behind the alias `<INDEX>`; the first index is
created with the alias in the same request, a rebuild fills a new index and moves the alias in
one atomic call, then drops the old one. Writes name the alias with `require_alias`, so a
vanished alias is an error, never a dynamically mapped index of that name.

Tokens follow the embedded engine's contract (search/chinese.py, docs/search.md): every
character that is not a letter or digit separates runs; Han runs become bigrams (cjk_bigram),
letter-and-digit runs one lowercased token; traditional characters fold to simplified (a
`mapping` char filter of Han pairs only: `cjk_width` folds full-width forms). A `.chars`
sub-field keeps single characters for one-character queries. `ANALYZER=smartcn` or `ik` adds a
`.words` sub-field segmented by that plugin, used only to rank dictionary words higher:
matching always uses the bigrams, so both engines find the same documents.

Searches get a short timeout and no retries; writes a longer one with retries. Every failure
becomes SearchUnavailable, and a circuit breaker then leaves the cluster alone for
`BREAKER_SECONDS`, so a sick cluster costs one timeout, not one per search.
"""

import logging
from contextlib import contextmanager
from datetime import datetime

from django.conf import settings
from elastic_transport import TransportError
from elasticsearch import ApiError, Elasticsearch, UnsupportedProductError, helpers
from elasticsearch.dsl import A, Q, Search

from .. import health
from ..chinese import is_single_han
from ..documents import SearchDocument
from ..highlight import SNIPPET_LENGTH
from ..query import FacetValue, SearchResults
from . import IndexingError, SearchBackend, SearchUnavailable, build_hit
from .breaker import CircuitBreaker, CircuitOpen
from .elasticsearch_index import (
    METADATA_FIELDS,
    SCHEMA_VERSION,
    SEGMENTERS,
    analysis,
    index_body,
)

logger = logging.getLogger(__name__)

TITLE_PHRASE_BOOST, BODY_PHRASE_BOOST, NUMBER_BOOST, WORDS_BOOST = 100, 10, 1000, 2
# Marks around the highlighted passage's matches; private-use characters never occur in text.
MARK_START, MARK_END = "\ue000", "\ue001"
BODY_EDGE = 16  # characters of the body's start and end kept to tell where a passage sits
BULK_CHUNK_DOCUMENTS, BULK_CHUNK_BYTES = 200, 5 * 1024 * 1024


def _edges(body):
    flat = " ".join(body.split())
    return flat[:BODY_EDGE], flat[-BODY_EDGE:], len(flat)


class ElasticsearchBackend(SearchBackend):
    def __init__(self, name, params):
        super().__init__(name, params)
        self.alias = params.get("INDEX", "jiyue")
        self.flavour = params.get("ANALYZER", "cjk")
        analysis(self.flavour)  # refuse an unknown analyzer at start, not at the first write
        self.refresh = params.get("REFRESH", False)  # tests: True, to search what was written
        self.replicas = params.get("REPLICAS", 0)
        self.shards = params.get("SHARDS", 1)
        client = Elasticsearch(
            params["URL"],
            api_key=params.get("API_KEY") or None,
            ca_certs=params.get("CA_CERTS") or None,
            max_retries=0,
            retry_on_timeout=False,
        )
        # Searches: one short try. Writes and index management: longer, retried (bulk writes
        # by id are idempotent; creating and alias moves are checked, never blindly retried).
        self.reader = client.options(request_timeout=params.get("TIMEOUT", 2))
        self.writer = client.options(
            request_timeout=params.get("INDEX_TIMEOUT", 30),
            max_retries=2,
            retry_on_timeout=True,
            retry_on_status=(502, 503, 504),
        )
        self.manager = client.options(request_timeout=params.get("INDEX_TIMEOUT", 30))
        self.breaker = CircuitBreaker(params.get("BREAKER_SECONDS", 30))
        self._index_ready = False

    def close(self):
        self.reader.close()

    @contextmanager
    def _available(self, use_breaker=True):
        """Every failure of the cluster becomes SearchUnavailable, recorded for the admin."""
        try:
            if use_breaker:
                self.breaker.check()
            yield
            self.breaker.succeeded()
            return
        except CircuitOpen as error:
            raise SearchUnavailable(f"Elasticsearch {self.alias}: {error}") from None
        except UnsupportedProductError as error:
            message, trip = f"{self.params['URL']} 不是 Elasticsearch：{error}", True
        except TransportError as error:  # refused, timed out, TLS, DNS, not JSON …
            message, trip = f"Elasticsearch {self.params['URL']} 无法访问：{error}", True
        except ApiError as error:
            message, trip = self._api_failure(error)
        health.record_error(self.name, message)
        if trip:
            self.breaker.failed(message)
        raise SearchUnavailable(message)

    def _api_failure(self, error):
        """(message, whether to stop asking for a while) for an error answer of the cluster."""
        status = error.meta.status
        if status == 404:  # the alias went away: make it again before the next write
            self._index_ready = False
            return f"Elasticsearch 索引 {self.alias} 不存在：{error}", False
        if status in (401, 403):
            return f"Elasticsearch 拒绝了本系统的凭据（API_KEY / 证书）：{error}", True
        if status == 429 or status >= 500:
            return f"Elasticsearch 暂时无法处理请求（{status}）：{error}", True
        # 400, 413 …: this request was refused; others may still work.
        logger.error("Elasticsearch refused a request (%s): %s", status, error)
        return f"Elasticsearch 拒绝了请求（{status}）：{error}", False

    # --- indices --------------------------------------------------------------------------

    def _create_index(self, name, alias=None, **settings_overrides):
        body = index_body(self.flavour, self.replicas, self.shards, alias)
        body["settings"].update(settings_overrides)
        self.manager.indices.create(index=name, **body)

    def _ensure_index(self):
        """Create the first index with the alias in one request; a process that loses the race
        finds the index made by the other."""
        if self._index_ready:
            return
        with self._available():
            if not self.manager.indices.exists_alias(name=self.alias):
                first = f"{self.alias}-initial"
                try:
                    self._create_index(first, alias=self.alias)
                except ApiError as error:
                    if error.error != "resource_already_exists_exception":
                        raise
                if not self.manager.indices.exists_alias(name=self.alias):
                    raise SearchUnavailable(
                        f"索引 {first} 已存在但没有别名 {self.alias}：请运行 rebuild_search_index"
                    )
        self._index_ready = True

    def _indices_behind_alias(self):
        if not self.manager.indices.exists_alias(name=self.alias):
            return []
        return sorted(self.manager.indices.get_alias(name=self.alias))

    def drop(self):
        """Delete the alias and every index behind it (tests, decommissioning)."""
        with self._available(use_breaker=False):
            for name in self._indices_behind_alias():
                self.manager.indices.delete(index=name)
        self._index_ready = False

    # --- writing --------------------------------------------------------------------------

    @staticmethod
    def _source(document):
        head, tail, length = _edges(document.body)
        source = {
            **document.to_dict(),
            "year": document.year,
            "document_number_key": document.document_number_key,
            "fingerprint": document.fingerprint,
            "body_head": head,
            "body_tail": tail,
            "body_length": length,
        }
        # An empty keyword is no value: it must not become a "" facet bucket.
        return {k: v for k, v in source.items() if not (k in METADATA_FIELDS and v == "")}

    def _bulk(self, actions, ignore_missing=False, **options):
        with self._available():
            _, errors = helpers.bulk(
                self.writer,
                actions,
                chunk_size=BULK_CHUNK_DOCUMENTS,
                max_chunk_bytes=BULK_CHUNK_BYTES,
                raise_on_error=False,
                max_retries=2,
                initial_backoff=1,
                refresh=self.refresh,
                **options,
            )
        failed = {}
        for error in errors:
            (result,) = error.values()
            if result.get("error", {}).get("type") == "index_not_found_exception":
                self._index_ready = False
                raise SearchUnavailable(f"Elasticsearch 别名 {self.alias} 不存在，将重建后重试")
            if not (ignore_missing and result.get("status") == 404):
                failed[result["_id"]] = str(result.get("error", result.get("status")))
        if failed:
            raise IndexingError(failed)

    def upsert(self, documents):
        self._ensure_index()
        self._bulk(
            ({"_index": self.alias, "_id": d.id, "_source": self._source(d)} for d in documents),
            require_alias=True,
        )

    def delete(self, document_ids):
        self._ensure_index()
        self._bulk(
            ({"_op_type": "delete", "_index": self.alias, "_id": i} for i in document_ids),
            ignore_missing=True,
        )

    def rebuild(self, documents):
        name = f"{self.alias}-{datetime.now():%Y%m%d%H%M%S%f}"
        with self._available(use_breaker=False):
            self._create_index(name, refresh_interval="-1")
            try:
                count = self._fill(name, documents)
                self.manager.indices.put_settings(index=name, settings={"refresh_interval": None})
                self.manager.indices.refresh(index=name)
                old = [index for index in self._indices_behind_alias() if index != name]
                self._move_alias(name, old)
            except BaseException:
                self._drop_unless_aliased(name)
                raise
            for index in old:
                self.manager.indices.delete(index=index, ignore_unavailable=True)
        self._index_ready = True
        return count

    def _fill(self, name, documents):
        count = 0
        for ok, result in helpers.streaming_bulk(
            self.writer,
            ({"_index": name, "_id": d.id, "_source": self._source(d)} for d in documents),
            chunk_size=BULK_CHUNK_DOCUMENTS,
            max_chunk_bytes=BULK_CHUNK_BYTES,
            raise_on_error=False,
            max_retries=2,
            initial_backoff=1,
        ):
            if not ok:
                raise IndexingError({"rebuild": str(result)})
            count += 1
        return count

    def _move_alias(self, name, old):
        """One atomic alias move. A call that failed may still have been applied (a timeout
        after the cluster did it): what the alias points at afterwards decides."""
        actions = [{"remove": {"index": index, "alias": self.alias}} for index in old]
        actions.append({"add": {"index": name, "alias": self.alias, "is_write_index": True}})
        try:
            self.manager.indices.update_aliases(actions=actions)
        except (TransportError, ApiError):
            if self._indices_behind_alias() != [name]:
                raise

    def _drop_unless_aliased(self, name):
        try:
            if name not in self._indices_behind_alias():
                self.manager.indices.delete(index=name, ignore_unavailable=True)
        except (TransportError, ApiError):
            logger.exception("could not clean up the unfinished index %s", name)

    # --- reading --------------------------------------------------------------------------

    def fingerprints(self):
        with self._available():
            return {
                hit["_id"]: hit["_source"]["fingerprint"]
                for hit in helpers.scan(
                    self.manager, index=self.alias, _source=["fingerprint"], size=1000
                )
            }

    def size_bytes(self):
        with self._available():
            stats = self.manager.indices.stats(index=self.alias, metric="store")
        return stats["_all"]["primaries"]["store"]["size_in_bytes"]

    def status(self):
        """What the admin shows: the cluster's answer now, not the breaker's memory."""
        state = {
            "engine": "Elasticsearch",
            "location": self.params["URL"].split("@")[-1],
            "alias": self.alias,
            "analyzer": self.flavour,
            "indices": [],
            "documents": None,
            "version": "",
            "schema_current": None,
            "error": "",
            "paused_seconds": round(self.breaker.open_for),
        }
        try:
            with self._available(use_breaker=False):
                state["version"] = self.reader.info()["version"]["number"]
                state["indices"] = self._indices_behind_alias()
                if state["indices"]:
                    state["documents"] = self.reader.count(index=self.alias)["count"]
                    mapping = self.manager.indices.get_mapping(index=self.alias)
                    schemas = {
                        m["mappings"].get("_meta", {}).get("jiyue_schema") for m in mapping.values()
                    }
                    state["schema_current"] = schemas == {SCHEMA_VERSION}
        except SearchUnavailable as error:
            state["error"] = str(error)
        return state

    def search(self, query, plan):
        search = Search(using=self.reader, index=self.alias).query(self._query(query, plan))
        if query.sort == "date":
            search = search.sort({"published_at": "desc"}, "_score", {"id": "desc"})
        else:
            search = search.sort("_score", {"published_at": "desc"}, {"id": "desc"})
        search = search.source(excludes=["body", "fingerprint"])
        search = search.highlight(
            "body",
            type="unified",
            number_of_fragments=1,
            fragment_size=SNIPPET_LENGTH * 2,
            no_match_size=SNIPPET_LENGTH * 2,
            pre_tags=[MARK_START],
            post_tags=[MARK_END],
        )
        search = search.extra(track_total_hits=True)[query.offset : query.offset + query.page_size]
        for name in query.facets:
            search.aggs.bucket(name, self._aggregation(name))
        with self._available():
            response = search.execute()
        results = SearchResults(query=query, total=response.hits.total.value, backend=self.name)
        results.hits = [self._hit(hit, plan) for hit in response.hits]
        if results.total:
            results.facets = {
                name: self._facet_values(name, response.aggregations[name].buckets)
                for name in query.facets
            }
        return results

    @staticmethod
    def _hit(hit, plan):
        """A hit from the stored fields and the passage of the body Elasticsearch chose."""
        source = hit.to_dict()
        highlighted = getattr(getattr(hit.meta, "highlight", None), "body", None)
        passage = highlighted[0] if highlighted else ""
        passage = " ".join(passage.replace(MARK_START, "").replace(MARK_END, "").split())
        head, tail, length = (source.pop(k, "") for k in ("body_head", "body_tail", "body_length"))
        values = {name: source.get(name, "") for name in METADATA_FIELDS} | source
        document = SearchDocument.from_dict({**values, "body": passage})
        return build_hit(
            document,
            plan,
            hit.meta.score or 0.0,
            cut_before=not passage.startswith(head),
            cut_after=len(passage) < (length or 0) and not passage.endswith(tail),
        )

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
        if self.flavour in SEGMENTERS:
            boosts.append(words_query(plan))
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


def words_query(plan):
    """The segmenter's words of each alternative in the title or body (ranking only)."""
    texts = [a.text for term in plan.terms for a in term.alternatives]
    return Q(
        "multi_match",
        query=" ".join(texts),
        fields=["title.words^10", "body.words"],
        boost=WORDS_BOOST,
    )
