"""Requests sent to Elasticsearch, held to its published API specification.

The official JavaScript client ships the specification as TypeScript types (lib/api/types.d.ts:
one `…Request` interface per endpoint, path parameters, query parameters and body keys side by
side at the top level). Each recorded request becomes an object literal typed with its
endpoint's interface, and `tsc --strict` checks them all in one run; TypeScript's excess
property check rejects a misspelt key, its type check a wrong shape. Bulk bodies are checked
line by line: actions as BulkOperationContainer, documents against an interface generated from
the index mapping, so a field the mapping lacks is caught too.

The pinned packages (es_spec/package.json and its lock file) are installed with `npm ci` into
es_spec/node_modules; .ci/run does it in CI, a test does it on first use elsewhere.
"""

import hashlib
import json
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

SPEC_DIR = Path(__file__).resolve().parent / "es_spec"
NODE_MODULES = SPEC_DIR / "node_modules"
TYPES = NODE_MODULES / "@elastic" / "elasticsearch" / "lib" / "api" / "types.d.ts"
TSC = NODE_MODULES / "typescript" / "bin" / "tsc"
STAMP = NODE_MODULES / ".jiyue-lock.sha256"

NAME = r"[^/_][^/]*"
IDX, ALIAS = rf"/(?P<index>{NAME})", r"(?P<name>[^/]+)"


@dataclass(frozen=True)
class Endpoint:
    methods: str  # space-separated
    path: str  # a regex; its named groups are the request type's path parameters
    type: str  # the estypes request interface
    body_key: str | None = None  # where a request type holds a body that is one value


ENDPOINTS = [
    Endpoint("GET", "/", "InfoRequest"),
    Endpoint("HEAD", "/", "PingRequest"),
    Endpoint("GET", "/_cluster/health", "ClusterHealthRequest"),
    Endpoint("HEAD", f"(?:{IDX})?/_alias/{ALIAS}", "IndicesExistsAliasRequest"),
    Endpoint("GET", f"(?:{IDX})?/_alias(?:/{ALIAS})?", "IndicesGetAliasRequest"),
    Endpoint("PUT POST", f"{IDX}/_alias(?:es)?/{ALIAS}", "IndicesPutAliasRequest"),
    Endpoint("POST", "/_aliases", "IndicesUpdateAliasesRequest"),
    Endpoint("PUT POST", f"(?:{IDX})?/_bulk", "BulkRequest"),
    Endpoint("GET POST", "/_search/scroll", "ScrollRequest"),
    Endpoint("DELETE", "/_search/scroll", "ClearScrollRequest"),
    Endpoint("GET POST", f"(?:{IDX})?/_search", "SearchRequest"),
    Endpoint("GET POST", f"(?:{IDX})?/_count", "CountRequest"),
    Endpoint("GET", f"(?:{IDX})?/_mapping", "IndicesGetMappingRequest"),
    Endpoint("PUT", f"(?:{IDX})?/_settings", "IndicesPutSettingsRequest", "settings"),
    Endpoint("GET POST", f"(?:{IDX})?/_refresh", "IndicesRefreshRequest"),
    Endpoint("GET", f"(?:{IDX})?/_stats(?:/(?P<metric>[^/]+))?", "IndicesStatsRequest"),
    Endpoint("HEAD", IDX, "IndicesExistsRequest"),
    Endpoint("PUT", IDX, "IndicesCreateRequest"),
    Endpoint("DELETE", IDX, "IndicesDeleteRequest"),
]

# Mapping field types → the TypeScript type of a value in _source.
SOURCE_TYPES = {
    **dict.fromkeys(("text", "keyword", "match_only_text", "wildcard", "ip", "version"), "string"),
    **dict.fromkeys(("date", "date_nanos"), "string | number"),
    **dict.fromkeys(
        ("integer", "long", "short", "byte", "float", "double", "half_float"), "number"
    ),
    "scaled_float": "number",
    "boolean": "boolean",
}
# A name an analysis chain uses without defining it must be built in: one of the definition types
# the specification knows, or a component of a plugin the backend supports (analysis-smartcn,
# analysis-ik).
BUILT_IN = {
    "analyzer": ("AnalysisAnalyzer", ["smartcn", "ik_max_word", "ik_smart"]),
    "tokenizer": ("AnalysisTokenizerDefinition", ["smartcn_tokenizer", "ik_max_word", "ik_smart"]),
    "filter": ("AnalysisTokenFilterDefinition", ["smartcn_stop"]),
    "char_filter": ("AnalysisCharFilterDefinition", []),
}
# Queries keyed by field name ({"term": {"kind": …}}); their other keys are options.
KEYED_QUERIES = {
    "term",
    "terms",
    "match",
    "match_phrase",
    "match_phrase_prefix",
    "match_bool_prefix",
    "prefix",
    "wildcard",
    "regexp",
    "fuzzy",
    "range",
}
QUERY_OPTIONS = {"boost", "_name"}


class ToolchainMissing(Exception):
    """node, npm or the pinned packages cannot be had; the message says which."""


def toolchain():
    """The node binary, installing the pinned packages first when the lock file changed."""
    node, npm = shutil.which("node"), shutil.which("npm")
    if not node:
        raise ToolchainMissing("node is not installed (Debian: apt-get install nodejs npm)")
    digest = hashlib.sha256((SPEC_DIR / "package-lock.json").read_bytes()).hexdigest()
    if not (STAMP.exists() and STAMP.read_text() == digest and TYPES.exists() and TSC.exists()):
        if not npm:
            raise ToolchainMissing("npm is not installed (Debian: apt-get install npm)")
        install = subprocess.run(
            [npm, "ci", "--ignore-scripts", "--no-audit", "--no-fund", "--loglevel=error"],
            cwd=SPEC_DIR,
            capture_output=True,
            text=True,
            timeout=600,
        )
        if install.returncode:
            raise ToolchainMissing(f"npm ci in {SPEC_DIR} failed:\n{install.stderr[-2000:]}")
        STAMP.write_text(digest)
    return node


@dataclass(frozen=True)
class Check:
    label: str  # which request (and which bulk line) this is
    type: str  # a TypeScript type
    value: object


def endpoint_of(request):
    for endpoint in ENDPOINTS:
        match = re.fullmatch(endpoint.path, request.path)
        if match and request.method in endpoint.methods.split():
            return endpoint, {k: v for k, v in match.groupdict().items() if v is not None}
    return None, None


def unmapped(labelled):
    """The requests whose endpoint has no request type in ENDPOINTS."""
    return [(label, r) for label, r in labelled if endpoint_of(r)[0] is None]


def query_value(text):
    """A query-string value as the request types declare it: booleans and integers typed."""
    if text in ("true", "false"):
        return text == "true"
    return int(text) if re.fullmatch(r"-?\d+", text) else text


def checks(labelled):
    """What to type-check for each (label, recorded request) pair, and the source interfaces."""
    sources = SourceTypes(r for _, r in labelled)
    found = []
    for label, request in labelled:
        endpoint, path_params = endpoint_of(request)
        if endpoint is None:
            continue
        value = {**path_params, **{k: query_value(v) for k, v in request.params.items()}}
        if endpoint.type == "BulkRequest":
            found += bulk_checks(label, request, path_params.get("index"), sources)
        elif endpoint.body_key and request.body is not None:
            value[endpoint.body_key] = request.body
        elif request.body is not None:
            value.update(request.body)
        if endpoint.type in ("IndicesCreateRequest", "IndicesPutSettingsRequest") and (
            "settings" in value
        ):
            value["settings"] = without_nulls(value.get("settings"))
        found.append(Check(label, f"estypes.{endpoint.type}", value))
        if endpoint.type == "IndicesCreateRequest":
            found += analysis_checks(label, request.body or {})
    return found, sources


def without_nulls(settings):
    """Settings minus those set to null: null resets a setting to its default in Elasticsearch,
    which the request types (e.g. `refresh_interval?: Duration`) cannot say."""
    if not isinstance(settings, dict):
        return settings
    return {k: without_nulls(v) for k, v in settings.items() if v is not None}


def built_in(kind, name, label):
    union, plugins = BUILT_IN[kind]
    names = " | ".join(json.dumps(p) for p in plugins)
    return Check(f"{label}: {kind} {name}", f'estypes.{union}["type"] | {names}', name)


def analysis_checks(label, body):
    """Analyzers the mapping names, and the parts of custom analyzers, exist or are built in."""
    settings = body.get("settings") or {}
    analysis = settings.get("analysis") or (settings.get("index") or {}).get("analysis") or {}
    found = []
    for name in sorted(set(mapping_analyzers((body.get("mappings") or {}).get("properties")))):
        if name not in analysis.get("analyzer", {}):
            found.append(built_in("analyzer", name, label))
    for analyzer in (analysis.get("analyzer") or {}).values():
        parts = {"tokenizer": analyzer.get("tokenizer")}
        parts |= {k: analyzer.get(k) for k in ("filter", "char_filter")}
        for kind, names in parts.items():
            for name in [names] if isinstance(names, str) else names or []:
                if name not in (analysis.get(kind) or {}):
                    found.append(built_in(kind, name, label))
    return found


def mapping_analyzers(properties):
    for mapping in (properties or {}).values():
        yield from (mapping[k] for k in ("analyzer", "search_analyzer") if k in mapping)
        yield from mapping_analyzers(mapping.get("properties"))
        yield from mapping_analyzers(mapping.get("fields"))


def mapped_fields(properties, prefix=""):
    """Every field path a query may name: properties, objects' children, multi-fields."""
    for name, mapping in (properties or {}).items():
        yield prefix + name
        yield from mapped_fields(mapping.get("properties"), f"{prefix}{name}.")
        yield from mapped_fields(mapping.get("fields"), f"{prefix}{name}.")


def query_fields(node):
    """The fields a query (or a list of them) names."""
    if isinstance(node, list):
        return [f for item in node for f in query_fields(item)]
    if not isinstance(node, dict):
        return []
    found = []
    for key, value in node.items():
        if key in KEYED_QUERIES and isinstance(value, dict):
            found += [name for name in value if name not in QUERY_OPTIONS]
        elif key in ("multi_match", "query_string", "simple_query_string"):
            found += [f.split("^")[0] for f in value.get("fields", [])]
        elif key == "exists":
            found.append(value.get("field"))
        else:
            found += query_fields(value)
    return found


def aggregation_fields(aggregations):
    found = []
    for container in (aggregations or {}).values():
        for kind, spec in container.items():
            if kind in ("aggs", "aggregations"):
                found += aggregation_fields(spec)
            elif kind == "filter":
                found += query_fields(spec)
            elif isinstance(spec, dict) and "field" in spec:
                found.append(spec["field"])
    return found


def sort_fields(sort):
    sort = sort if isinstance(sort, list) else [sort] if sort else []
    names = [s if isinstance(s, str) else next(iter(s)) for s in sort]
    return [name for name in names if name not in ("_score", "_doc")]


def field_violations(labelled, sources):
    """Searches naming a field the index mapping lacks (Elasticsearch would quietly match
    nothing, or refuse to sort and aggregate)."""
    found = []
    for label, request in labelled:
        endpoint, params = endpoint_of(request)
        if not endpoint or endpoint.type != "SearchRequest" or "index" not in params:
            continue
        properties = sources.properties(params["index"])
        if not properties or not isinstance(request.body, dict):
            continue
        body, known = request.body, set(mapped_fields(properties))
        named = query_fields(body.get("query")) + query_fields(body.get("post_filter"))
        named += aggregation_fields(body.get("aggs") or body.get("aggregations"))
        named += sort_fields(body.get("sort"))
        highlighted = (body.get("highlight") or {}).get("fields") or {}
        for fields in highlighted if isinstance(highlighted, list) else [highlighted]:
            named += list(fields)
        for name in sorted(set(named) - known):
            found.append(Violation(label, "mapping", name, f"no field [{name}] in the mapping"))
    return found


def bulk_checks(label, request, default_index, sources):
    found, lines = [], iter(enumerate(request.body or [], start=1))
    for number, action in lines:
        found.append(Check(f"{label} line {number}", "estypes.BulkOperationContainer", action))
        op = next(iter(action), None) if isinstance(action, dict) else None
        if op in ("index", "create", "update"):
            number, source = next(lines, (number + 1, None))
            meta = action[op] if isinstance(action[op], dict) else {}
            index = meta.get("_index", default_index)
            kind = "estypes.BulkUpdateAction" if op == "update" else sources.type_for(index)
            found.append(Check(f"{label} line {number}", kind, source))
    return found


class SourceTypes:
    """TypeScript interfaces for documents, from the mappings of the indices created."""

    def __init__(self, requests):
        self.mappings, self.aliases, self.declared = {}, {}, {}
        for r in requests:
            body = r.body if isinstance(r.body, dict) else {}
            endpoint, params = endpoint_of(r)
            kind = endpoint and endpoint.type
            if kind == "IndicesCreateRequest":
                self.mappings[params["index"]] = body.get("mappings", {}).get("properties")
                for alias in body.get("aliases") or {}:
                    self.aliases[alias] = params["index"]
            elif kind == "IndicesPutAliasRequest":
                self.aliases[params["name"]] = params["index"]
            elif kind == "IndicesUpdateAliasesRequest":
                for action in body.get("actions", []):
                    add = action.get("add") or {}
                    if "alias" in add and "index" in add:
                        self.aliases[add["alias"]] = add["index"]

    def properties(self, index):
        return self.mappings.get(self.aliases.get(index, index))

    def type_for(self, index):
        properties = self.properties(index)
        if not properties:  # an index we did not see created
            return "Record<string, unknown>"
        declaration = self.object_type(properties)
        return self.declared.setdefault(declaration, f"Source{len(self.declared) + 1}")

    def object_type(self, properties):
        fields = []
        for name, mapping in properties.items():
            if "properties" in mapping:
                value = self.object_type(mapping["properties"])
            else:
                value = SOURCE_TYPES.get(mapping.get("type"), "unknown")
            fields.append(f"{json.dumps(name)}?: Value<{value}>")
        return "{ " + "; ".join(fields) + " }"

    def declarations(self):
        lines = ["type Value<T> = T | T[] | null;"]
        lines += [f"interface {name} {decl}" for decl, name in self.declared.items()]
        return lines


@dataclass(frozen=True)
class Violation:
    label: str
    type: str
    line: str  # the offending line of the generated literal
    message: str

    def __str__(self):
        return f"{self.label} ({self.type}): {self.message}\n    at: {self.line}"


def summary(found):
    """One paragraph per distinct problem, naming the first request with it and counting the
    rest (the same query builder usually breaks every search alike)."""
    groups = {}
    for violation in found:
        groups.setdefault((violation.type, violation.message, violation.line), []).append(violation)
    lines = []
    for same in groups.values():
        more = f"\n    (and {len(same) - 1} more requests alike)" if len(same) > 1 else ""
        lines.append(f"{same[0]}{more}")
    return lines


ERROR = re.compile(r"^(?P<file>.+?)\((?P<line>\d+),(?P<col>\d+)\): error (?P<message>.*)$")


def typescript_source(found, sources):
    """The .ts file, and which lines belong to which check."""
    module = str(TYPES).removesuffix(".d.ts")
    lines = [f"import type * as estypes from {json.dumps(module)};", *sources.declarations()]
    owners = {}
    for number, check in enumerate(found, start=1):
        literal = json.dumps(check.value, indent=2, ensure_ascii=False).splitlines()
        first = len(lines) + 1
        lines.append(f"// {check.label}")
        lines += [f"const c{number}: {check.type} = {literal[0]}", *literal[1:]]
        lines[-1] += ";"
        owners.update(dict.fromkeys(range(first, len(lines) + 1), check))
    return "\n".join(lines) + "\n", owners, lines


def tsc_errors(output, path):
    """[line in `path` or None, message] for each error tsc printed."""
    problems = []
    for output_line in output.splitlines():
        match = ERROR.match(output_line)
        if match and Path(match["file"]).name == path.name:
            problems.append([int(match["line"]), match["message"]])
        elif match or not problems:
            problems.append([None, output_line])
        else:  # a continuation of the previous message
            problems[-1][1] += " " + output_line.strip()
    return problems


def violations(labelled, workdir):
    """Every place where the recorded requests break the specification (one tsc run)."""
    found, sources = checks(labelled)
    text, owners, lines = typescript_source(found, sources)
    path = Path(workdir) / "requests.ts"
    path.write_text(text, encoding="utf-8")
    node = toolchain()
    result = subprocess.run(
        [node, str(TSC), "--noEmit", "--strict", "--skipLibCheck", "--pretty", "false", str(path)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    problems = tsc_errors(result.stdout, path)
    if result.returncode and not problems:
        problems.append([None, result.stderr.strip() or f"tsc exited {result.returncode}"])
    return field_violations(labelled, sources) + [
        Violation(
            owners[number].label if number in owners else "(generated file)",
            owners[number].type if number in owners else "",
            lines[number - 1].strip() if number else "",
            message,
        )
        for number, message in problems
    ]


if __name__ == "__main__":  # .ci/run: install the pinned packages before the tests
    import os
    import sys

    try:
        print(f"node {toolchain()}, packages in {NODE_MODULES}")
    except ToolchainMissing as missing:
        if os.environ.get("CI") == "true":
            sys.exit(f"FAILED: {missing}")
        print(f"SKIPPED: {missing}")
