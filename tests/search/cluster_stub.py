"""A loopback stand-in for an Elasticsearch 8 cluster, good enough for the official client.

It keeps indices (aliases, settings, mappings) and documents in memory and answers the endpoints
the search backend uses: searches return the stored documents in order (no matching, no
ranking), aggregations come back with empty buckets of the right shape. Every request is
recorded (`stub.requests`), so tests can hold what was sent to Elasticsearch's API specification
(see request_spec.py). A route it does not know answers 400 and lands in `stub.unknown`.

Failures for the failure tests: `fail()` answers an Elasticsearch error, `hang()` keeps the
answer back past the client's timeout, `not_elasticsearch()` drops the product header;
`clear_failures()` undoes them all.
"""

import copy
import fnmatch
import itertools
import json
import re
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, unquote, urlsplit

VERSION = "8.19.3"
SHARDS = {"total": 1, "successful": 1, "skipped": 0, "failed": 0}
DEFAULT_ERRORS = {
    400: "illegal_argument_exception",
    404: "index_not_found_exception",
    429: "es_rejected_execution_exception",
    503: "cluster_block_exception",
}
INDEX = r"(?P<index>[^/_][^/]*)"
ROUTES = [  # (methods, path, handler); first match wins
    ("GET", "/", "info"),
    ("HEAD", "/", "ping"),
    ("GET", "/_cluster/health", "health"),
    ("HEAD GET", "/_alias/(?P<name>[^/]+)", "get_alias"),
    ("POST", "/_aliases", "update_aliases"),
    ("POST PUT", f"(?:/{INDEX})?/_bulk", "bulk"),
    ("GET POST", "/_search/scroll", "scroll"),
    ("DELETE", "/_search/scroll", "clear_scroll"),
    ("GET POST", f"/{INDEX}/_search", "search"),
    ("GET POST", f"/{INDEX}/_count", "count"),
    ("GET", f"/{INDEX}/_mapping", "get_mapping"),
    ("GET", f"/{INDEX}/_alias", "get_alias"),
    ("PUT POST", f"/{INDEX}/_alias(?:es)?/(?P<name>[^/]+)", "put_alias"),
    ("PUT", f"/{INDEX}/_settings", "put_settings"),
    ("GET POST", f"/{INDEX}/_refresh", "refresh"),
    ("GET", f"/{INDEX}/_stats(?:/(?P<metric>[^/]+))?", "stats"),
    ("HEAD", f"/{INDEX}", "exists"),
    ("PUT", f"/{INDEX}", "create"),
    ("DELETE", f"/{INDEX}", "delete"),
]
COMPILED = [(methods.split(), re.compile(path), name) for methods, path, name in ROUTES]


@dataclass
class Request:
    method: str
    path: str
    params: dict
    headers: dict
    body: object  # parsed JSON, the list of parsed NDJSON lines (bulk), or None


@dataclass
class Index:
    settings: dict = field(default_factory=dict)
    mappings: dict = field(default_factory=dict)
    aliases: dict = field(default_factory=dict)  # name → alias properties
    documents: dict = field(default_factory=dict)  # id → _source


@dataclass
class Rule:
    """An injected failure: an error answer (status) or a delay (seconds)."""

    path_contains: str | None
    times: int | None
    status: int = 0
    error_type: str = ""
    reason: str = ""
    seconds: float = 0


class EsError(Exception):
    def __init__(self, status, error_type, reason):
        super().__init__(reason)
        self.status, self.type, self.reason = status, error_type, reason

    def error(self):
        cause = {"type": self.type, "reason": self.reason}
        return {"root_cause": [cause], **cause}


def missing(name):
    return EsError(404, "index_not_found_exception", f"no such index [{name}]")


def filter_source(source, spec, includes=None, excludes=None):
    """`_source` filtering on top-level fields; None when the source is switched off."""
    if spec in (False, "false"):
        return None
    if spec in (True, "true"):
        spec = None
    if isinstance(spec, str | list):
        includes = spec
    elif isinstance(spec, dict):
        includes = spec.get("includes", spec.get("include"))
        excludes = spec.get("excludes", spec.get("exclude"))
    includes, excludes = ([p] if isinstance(p, str) else p or [] for p in (includes, excludes))
    includes = [p for i in includes for p in i.split(",")]
    excludes = [p for e in excludes for p in e.split(",")]
    return {
        key: value
        for key, value in source.items()
        if (not includes or any(fnmatch.fnmatch(key, p) for p in includes))
        and not any(fnmatch.fnmatch(key, p) for p in excludes)
    }


class ClusterStub:
    def __init__(self):
        self.indices, self.scrolls, self.requests, self.unknown = {}, {}, [], []
        self.rules, self.product = [], True
        self.lock, self.stopping = threading.RLock(), threading.Event()
        self.ids = itertools.count(1)
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self.server.daemon_threads, self.server.block_on_close = True, False
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"

    def start(self):
        threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True).start()
        return self

    def stop(self):
        self.stopping.set()  # hung answers give up at once
        self.server.shutdown()
        self.server.server_close()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    # --- failures -------------------------------------------------------------------------

    def fail(self, status, path_contains=None, times=None, error_type=None, reason="stub failure"):
        error_type = error_type or DEFAULT_ERRORS.get(status, "exception")
        self.rules.append(Rule(path_contains, times, status, error_type, reason))

    def hang(self, seconds, path_contains=None, times=None):
        self.rules.append(Rule(path_contains, times, seconds=seconds))

    def not_elasticsearch(self):
        self.product = False

    def clear_failures(self):
        self.rules, self.product = [], True

    def _rule_for(self, path):
        with self.lock:
            for rule in self.rules:
                if rule.path_contains is None or rule.path_contains in path:
                    if rule.times is not None:
                        rule.times -= 1
                        if rule.times == 0:
                            self.rules.remove(rule)
                    return rule
        return None

    # --- names ----------------------------------------------------------------------------

    def _with_alias(self, alias):
        return [name for name, index in self.indices.items() if alias in index.aliases]

    def _resolve(self, expression, ignore_missing=False):
        """Concrete index names for a comma-separated list of indices and aliases."""
        names = []
        for part in expression.split(","):
            found = [part] if part in self.indices else self._with_alias(part)
            if not found and not ignore_missing:
                raise missing(part)
            names += [n for n in found if n not in names]
        return names

    def _write_index(self, name, require_alias, op):
        behind = self._with_alias(name)
        if behind:
            writable = [n for n in behind if self.indices[n].aliases[name].get("is_write_index")]
            if len(behind) == 1 or len(writable) == 1:
                return (writable or behind)[0]
            raise EsError(400, "illegal_argument_exception", f"no write index for alias [{name}]")
        if require_alias:
            raise EsError(
                404,
                "index_not_found_exception",
                f"no such index [{name}] and [require_alias] request flag is [true] and "
                f"[{name}] is not an alias",
            )
        if name not in self.indices:
            if op == "delete":  # a delete never creates an index
                raise missing(name)
            self.indices[name] = Index()
        return name

    # --- endpoints ------------------------------------------------------------------------

    def info(self, request):
        return 200, {
            "name": "stub",
            "cluster_name": "jiyue-stub",
            "cluster_uuid": "stub",
            "version": {"number": VERSION, "build_flavor": "default", "lucene_version": "9.12"},
            "tagline": "You Know, for Search",
        }

    def ping(self, request):
        return 200, None

    def health(self, request):
        return 200, {"cluster_name": "jiyue-stub", "status": "green", "timed_out": False}

    def exists(self, request, index):
        self._resolve(index)
        return 200, None

    def create(self, request, index):
        body = request.body or {}
        if index in self.indices:
            raise EsError(400, "resource_already_exists_exception", f"index [{index}] exists")
        if self._with_alias(index) or index != index.lower():
            raise EsError(400, "invalid_index_name_exception", f"Invalid index name [{index}]")
        aliases = body.get("aliases", {})
        for alias in aliases:
            self._check_alias_name(alias)
        self.indices[index] = Index(body.get("settings", {}), body.get("mappings", {}), aliases)
        return 200, {"acknowledged": True, "shards_acknowledged": True, "index": index}

    def delete(self, request, index):
        for part in index.split(","):
            if self._with_alias(part) and part not in self.indices:
                raise EsError(
                    400,
                    "illegal_argument_exception",
                    f"The provided expression [{part}] matches an alias, specify the "
                    "corresponding concrete indices instead.",
                )
        ignore = request.params.get("ignore_unavailable") == "true"
        for name in self._resolve(index, ignore_missing=ignore):
            del self.indices[name]
        return 200, {"acknowledged": True}

    def put_settings(self, request, index):
        for name in self._resolve(index):
            self.indices[name].settings.update(request.body or {})
        return 200, {"acknowledged": True}

    def refresh(self, request, index):
        self._resolve(index)
        return 200, {"_shards": SHARDS}

    def get_alias(self, request, index=None, name=None):
        names = self._resolve(index) if index else list(self.indices)
        found = {}
        for n in names:
            aliases = self.indices[n].aliases
            wanted = {a: p for a, p in aliases.items() if name is None or a in name.split(",")}
            if wanted or index:
                found[n] = {"aliases": wanted}
        if not found:
            return 404, {"error": f"alias [{name}] missing", "status": 404}
        return 200, found

    def _check_alias_name(self, alias):
        if alias in self.indices:
            reason = f"Invalid alias name [{alias}]: an index exists with the same name"
            raise EsError(400, "invalid_alias_name_exception", reason)

    def put_alias(self, request, index, name):
        self._check_alias_name(name)
        for n in self._resolve(index):
            self.indices[n].aliases[name] = request.body or {}
        return 200, {"acknowledged": True}

    def update_aliases(self, request):
        changes = []  # checked first, applied together: the call is atomic
        for action in request.body["actions"]:
            ((op, spec),) = action.items()
            if op not in ("add", "remove", "remove_index"):
                raise EsError(400, "illegal_argument_exception", f"unknown action [{op}]")
            indices = spec.get("indices") or [spec["index"]]
            aliases = spec.get("aliases") or [spec.get("alias")]
            for name in (n for i in indices for n in self._resolve(i)):
                for alias in aliases if op == "add" else []:
                    self._check_alias_name(alias)
                if op == "remove" and not set(aliases) & set(self.indices[name].aliases):
                    raise EsError(404, "aliases_not_found_exception", f"aliases {aliases} missing")
                changes += [(op, name, alias, spec) for alias in aliases]
        for op, name, alias, spec in changes:
            index = self.indices.get(name)
            if op == "add":
                keep = {k: v for k, v in spec.items() if k not in ("index", "indices", "alias")}
                index.aliases[alias] = keep
            elif op == "remove":
                index.aliases.pop(alias, None)
            else:
                self.indices.pop(name, None)
        return 200, {"acknowledged": True}

    def bulk(self, request, index=None):
        lines, items = iter(request.body), []
        require_alias = request.params.get("require_alias") == "true"
        for action in lines:
            ((op, meta),) = action.items()
            name, doc_id = meta.get("_index", index), meta.get("_id") or f"auto-{next(self.ids)}"
            source = next(lines) if op in ("index", "create", "update") else None
            try:
                target = self._write_index(name, require_alias or meta.get("require_alias"), op)
                documents = self.indices[target].documents
                if op == "delete":
                    found = documents.pop(doc_id, None) is not None
                    result, status = ("deleted", 200) if found else ("not_found", 404)
                elif op == "index":
                    result, status = ("updated", 200) if doc_id in documents else ("created", 201)
                    documents[doc_id] = source
                else:
                    raise EsError(400, "illegal_argument_exception", f"stub cannot [{op}]")
                item = {"_index": target, "_id": doc_id, "result": result, "status": status}
                items.append({op: {**item, "_version": 1, "_shards": SHARDS, "_seq_no": 0}})
            except EsError as error:
                item = {"_index": name, "_id": doc_id, "status": error.status}
                items.append({op: {**item, "error": {**error.error(), "index": name}}})
        errors = any("error" in item for entry in items for item in entry.values())
        return 200, {"took": 1, "errors": errors, "items": items}

    def search(self, request, index):
        body, params = request.body or {}, request.params
        hits = []
        for name in self._resolve(index):
            for doc_id, stored in self.indices[name].documents.items():
                source = filter_source(
                    stored,
                    body.get("_source", params.get("_source")),
                    params.get("_source_includes"),
                    params.get("_source_excludes"),
                )
                hit = {"_index": name, "_id": doc_id, "_score": 1.0}
                hits.append(hit if source is None else {**hit, "_source": source})
        size = int(params.get("size", body.get("size", 10)))
        start = int(params.get("from", body.get("from", 0)))
        response = self._page(hits[start:], size, len(hits))
        aggregations = body.get("aggs", body.get("aggregations", {}))
        if aggregations:
            response["aggregations"] = {
                name: {"doc_count_error_upper_bound": 0, "sum_other_doc_count": 0, "buckets": []}
                if "terms" in aggregation
                else {"buckets": []}
                for name, aggregation in aggregations.items()
            }
        if "scroll" in params:
            scroll_id = f"scroll-{next(self.ids)}"
            self.scrolls[scroll_id] = (hits[start + size :], size, len(hits))
            response["_scroll_id"] = scroll_id
        return 200, response

    def count(self, request, index):
        total = sum(len(self.indices[name].documents) for name in self._resolve(index))
        return 200, {"count": total, "_shards": SHARDS}

    def get_mapping(self, request, index):
        return 200, {
            name: {"mappings": self.indices[name].mappings} for name in self._resolve(index)
        }

    @staticmethod
    def _page(hits, size, total):
        return {
            "took": 1,
            "timed_out": False,
            "_shards": SHARDS,
            "hits": {
                "total": {"value": total, "relation": "eq"},
                "max_score": 1.0 if hits else None,
                "hits": hits[:size],
            },
        }

    def scroll(self, request):
        scroll_id = (request.body or {}).get("scroll_id") or request.params.get("scroll_id")
        if scroll_id not in self.scrolls:
            raise EsError(
                404, "search_context_missing_exception", f"No search context [{scroll_id}]"
            )
        rest, size, total = self.scrolls[scroll_id]
        self.scrolls[scroll_id] = (rest[size:], size, total)
        return 200, {**self._page(rest, size, total), "_scroll_id": scroll_id}

    def clear_scroll(self, request):
        ids = (request.body or {}).get("scroll_id", [])
        ids = [ids] if isinstance(ids, str) else ids
        freed = [self.scrolls.pop(i) for i in ids if i in self.scrolls]
        return 200, {"succeeded": True, "num_freed": len(freed)}

    def stats(self, request, index, metric=None):
        documents = [self.indices[name].documents for name in self._resolve(index)]
        store = {"store": {"size_in_bytes": len(json.dumps(documents).encode())}}
        return 200, {"_shards": SHARDS, "_all": {"primaries": store, "total": store}}

    # --- dispatch -------------------------------------------------------------------------

    def answer(self, request):
        """(status, body) for a recorded request, failures and routes applied."""
        rule = self._rule_for(request.path)
        if rule and rule.seconds and self.stopping.wait(rule.seconds):
            return None  # shutting down: no answer at all
        if rule and rule.status:
            return rule.status, self._error(EsError(rule.status, rule.error_type, rule.reason))
        for methods, pattern, name in COMPILED:
            match = pattern.fullmatch(request.path)
            if match and request.method in methods:
                groups = {k: unquote(v) for k, v in match.groupdict().items() if v is not None}
                try:
                    with self.lock:  # a copy: what the stub keeps must not change the record
                        status, body = getattr(self, name)(copy.deepcopy(request), **groups)
                except EsError as error:
                    status, body = error.status, self._error(error)
                return status, None if request.method == "HEAD" else body
        self.unknown.append(request)
        reason = f"no handler found for uri [{request.path}] and method [{request.method}]"
        return 400, self._error(EsError(400, "illegal_argument_exception", reason))

    @staticmethod
    def _error(error):
        return {"error": error.error(), "status": error.status}


def _handler(stub):
    class Handler(BaseHTTPRequestHandler):
        def respond(self):
            url = urlsplit(self.path)
            raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            if not raw:
                body = None
            elif url.path.endswith("/_bulk"):
                body = [json.loads(line) for line in raw.decode().splitlines() if line.strip()]
            else:
                body = json.loads(raw)
            request = Request(
                self.command, url.path, dict(parse_qsl(url.query)), dict(self.headers), body
            )
            stub.requests.append(request)
            answer = stub.answer(request)
            if answer is None:
                return
            status, body = answer
            data = b"" if body is None else json.dumps(body, ensure_ascii=False).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            if stub.product:
                self.send_header("X-Elastic-Product", "Elasticsearch")
            self.end_headers()
            self.wfile.write(data)

        do_GET = do_HEAD = do_PUT = do_POST = do_DELETE = respond

        def log_message(self, *args):
            pass

    return Handler
