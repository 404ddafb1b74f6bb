"""The embedded backend: SQLite FTS5 in a file of its own, Chinese bigrams made in Python.

Needs no server and works whichever database Django uses (the index is never in it). Documents
live in a plain table; a contentless FTS5 table indexes their tokens (search.chinese), so text is
stored once. Ranking: a matching 发文字号 first, then an exact phrase in the title, then an exact
phrase anywhere, then bm25 with the title weighted far above the body, then the newer document.
Facets are GROUP BY queries over the matched set, kept in a temporary table per search.

One connection per thread; a rebuild writes a new file and swaps it in with os.replace, and
every connection notices the new file (by inode) before its next operation.
"""

import os
import sqlite3
import threading
import uuid
import zlib
from contextlib import contextmanager
from pathlib import Path

from ..chinese import T2S_TABLE, TOKENIZER_VERSION, index_tokens, is_single_han
from ..documents import FILTER_FIELDS, SearchDocument
from ..query import FacetValue, SearchResults
from . import IndexingError, SearchBackend, SearchUnavailable, build_hit

WEIGHTS = (10.0, 1.0, 5.0)  # bm25 column weights: title, body, document number
BATCH = 1000
STORED = (
    "id",
    "kind",
    "site_code",
    "site_name",
    "department",
    "language",
    "title",
    "body",
    "url",
    "published_at",
    "updated_at",
    "document_number",
    "issuing_organ",
    "topic",
    "validity",
)
COLUMNS = (*STORED, "published_ts", "year", "document_number_key", "fingerprint")
SCHEMA = f"""
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS documents (
    rowid INTEGER PRIMARY KEY, {", ".join(f"{c} NOT NULL" for c in COLUMNS)},
    UNIQUE (id)
);
CREATE INDEX IF NOT EXISTS documents_number ON documents (document_number_key)
    WHERE document_number_key != '';
CREATE INDEX IF NOT EXISTS documents_published ON documents (published_ts);
CREATE VIRTUAL TABLE IF NOT EXISTS terms USING fts5(
    title, body, document_number, content='', tokenize='unicode61 remove_diacritics 0'
);
"""


def tokenizer_stamp():
    """Changes with the tokens: a contentless index can only delete what it would tokenise
    the same way again, so an index built with other tokens must be rebuilt."""
    return f"{TOKENIZER_VERSION}-{zlib.crc32(T2S_TABLE.read_bytes()):08x}"


class EmbeddedBackend(SearchBackend):
    def __init__(self, name, params):
        super().__init__(name, params)
        self.path = Path(params["PATH"])
        self._local = threading.local()

    # --- connections ----------------------------------------------------------------------

    def _file_identity(self):
        try:
            stat = os.stat(self.path)
        except OSError:
            return None
        return (stat.st_dev, stat.st_ino)

    def _db(self):
        identity = self._file_identity()
        local = self._local
        if getattr(local, "db", None) is None or identity is None or local.identity != identity:
            self.close()
            local.db = self._open(self.path)
            local.identity = self._file_identity()
        return local.db

    def _open(self, path, building=False):
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            db = sqlite3.connect(path, timeout=10, isolation_level=None)
            db.row_factory = sqlite3.Row
            db.execute("PRAGMA temp_store = MEMORY")
            db.execute(f"PRAGMA synchronous = {'OFF' if building else 'NORMAL'}")
            db.executescript(SCHEMA)
            stamp = db.execute("SELECT value FROM meta WHERE key = 'tokenizer'").fetchone()
            if stamp is None:
                db.execute("INSERT INTO meta VALUES ('tokenizer', ?)", (tokenizer_stamp(),))
            elif stamp[0] != tokenizer_stamp():
                db.close()
                raise SearchUnavailable(
                    f"{path} was built with other tokens: run manage.py rebuild_search_index"
                )
        except (OSError, sqlite3.Error) as error:
            raise SearchUnavailable(f"embedded index {path}: {error}") from error
        return db

    def close(self):
        db = getattr(self._local, "db", None)
        if db is not None:
            db.close()
            self._local.db = None

    @contextmanager
    def _transaction(self, db=None):
        db = db or self._db()
        try:
            db.execute("BEGIN IMMEDIATE")
            try:
                yield db
            except BaseException:
                db.execute("ROLLBACK")
                raise
            db.execute("COMMIT")
        except sqlite3.Error as error:
            raise SearchUnavailable(f"embedded index {self.path}: {error}") from error

    # --- writing --------------------------------------------------------------------------

    def upsert(self, documents):
        failed = {}
        with self._transaction() as db:
            for document in documents:
                try:
                    self._remove(db, document.id)
                    self._insert(db, document)
                except (ValueError, TypeError) as error:
                    failed[document.id] = str(error)
        if failed:
            raise IndexingError(failed)

    def delete(self, document_ids):
        with self._transaction() as db:
            for document_id in document_ids:
                self._remove(db, document_id)

    def _insert(self, db, document):
        values = [getattr(document, c) for c in STORED]
        values[STORED.index("published_at")] = document.published_at.isoformat()
        values[STORED.index("updated_at")] = document.updated_at.isoformat()
        values += [
            document.published_at.timestamp(),
            document.year,
            document.document_number_key,
            document.fingerprint,
        ]
        placeholders = ", ".join("?" * len(COLUMNS))
        cursor = db.execute(
            f"INSERT INTO documents ({', '.join(COLUMNS)}) VALUES ({placeholders})", values
        )
        db.execute(
            "INSERT INTO terms (rowid, title, body, document_number) VALUES (?, ?, ?, ?)",
            (
                cursor.lastrowid,
                *self._tokens(document.title, document.body, document.document_number),
            ),
        )

    def _remove(self, db, document_id):
        row = db.execute(
            "SELECT rowid, title, body, document_number FROM documents WHERE id = ?",
            (document_id,),
        ).fetchone()
        if row is None:
            return
        db.execute(
            "INSERT INTO terms (terms, rowid, title, body, document_number) "
            "VALUES ('delete', ?, ?, ?, ?)",
            (row["rowid"], *self._tokens(row["title"], row["body"], row["document_number"])),
        )
        db.execute("DELETE FROM documents WHERE rowid = ?", (row["rowid"],))

    @staticmethod
    def _tokens(*texts):
        return [index_tokens(text) for text in texts]

    def rebuild(self, documents):
        building = self.path.with_name(f"{self.path.name}.{uuid.uuid4().hex}.building")
        db = self._open(building, building=True)
        count = 0
        try:
            batch = []
            for document in documents:
                batch.append(document)
                if len(batch) == BATCH:
                    count += self._load(db, batch)
                    batch = []
            count += self._load(db, batch)
            db.execute("INSERT INTO terms (terms) VALUES ('optimize')")
            db.close()
            self._swap_in(building)
        except BaseException:
            db.close()
            building.unlink(missing_ok=True)
            raise
        return count

    def _load(self, db, documents):
        with self._transaction(db):
            for document in documents:
                self._insert(db, document)
        return len(documents)

    def _swap_in(self, building):
        """Replace the live file while holding its write lock, so that no writer is halfway
        through a transaction (whose journal would belong to the old file) at the swap."""
        self.close()
        if not self.path.exists():
            os.replace(building, self.path)
            return
        old = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        try:
            old.execute("BEGIN EXCLUSIVE")
            os.replace(building, self.path)
            old.execute("ROLLBACK")
        finally:
            old.close()

    # --- reading --------------------------------------------------------------------------

    def fingerprints(self):
        try:
            rows = self._db().execute("SELECT id, fingerprint FROM documents").fetchall()
        except sqlite3.Error as error:
            raise SearchUnavailable(str(error)) from error
        return dict(rows)

    def size_bytes(self):
        return self.path.stat().st_size if self.path.exists() else 0

    def status(self):
        state = {"engine": "内置索引（SQLite FTS5）", "location": str(self.path), "error": ""}
        try:
            (state["documents"],) = self._db().execute("SELECT count(*) FROM documents").fetchone()
        except sqlite3.Error as error:
            state.update(documents=None, error=str(error))
        return state

    def search(self, query, plan):
        try:
            return self._search(self._db(), query, plan)
        except sqlite3.Error as error:
            raise SearchUnavailable(f"embedded index {self.path}: {error}") from error

    def _search(self, db, query, plan):
        match = match_expression(plan, query.relaxed)
        db.execute("DROP TABLE IF EXISTS temp.hits")
        if match:
            db.execute(
                "CREATE TEMP TABLE hits AS SELECT rowid, bm25(terms, ?, ?, ?) AS rank "
                "FROM terms WHERE terms MATCH ?",
                (*WEIGHTS, match),
            )
        else:
            db.execute("CREATE TEMP TABLE hits AS SELECT rowid, 0.0 AS rank FROM documents")
        where, params = filter_clause(query)
        source = f"FROM hits h JOIN documents d ON d.rowid = h.rowid WHERE {where}"
        total = db.execute(f"SELECT count(*) {source}", params).fetchone()[0]
        results = SearchResults(query=query, total=total, backend=self.name)
        if total:
            results.hits = self._page(db, query, plan, source, params)
            results.facets = {name: self._facet(db, name, source, params) for name in query.facets}
        db.execute("DROP TABLE temp.hits")
        return results

    def _page(self, db, query, plan, source, params):
        phrase = phrase_expression(plan)
        tiers = ["0", "0", "0"]
        tier_params = []
        if plan.document_number_key:
            tiers[0] = "d.document_number_key = ?"
            tier_params.append(plan.document_number_key)
        if phrase:
            tiers[1] = "h.rowid IN (SELECT rowid FROM terms WHERE terms MATCH ?)"
            tiers[2] = "h.rowid IN (SELECT rowid FROM terms WHERE terms MATCH ?)"
            tier_params += [f"title : ({phrase})", phrase]
        if query.sort == "date":
            order = "d.published_ts DESC, d.rowid DESC"
        else:
            order = "tier0 DESC, tier1 DESC, tier2 DESC, h.rank, d.published_ts DESC, d.rowid DESC"
        rows = db.execute(
            f"SELECT d.*, h.rank, {tiers[0]} AS tier0, {tiers[1]} AS tier1, {tiers[2]} AS tier2 "
            f"{source} ORDER BY {order} LIMIT ? OFFSET ?",
            [*tier_params, *params, query.page_size, query.offset],
        ).fetchall()
        hits = []
        for row in rows:
            document = SearchDocument.from_dict({c: row[c] for c in STORED})
            score = row["tier0"] * 1000 + row["tier1"] * 100 + row["tier2"] * 10 - row["rank"]
            hits.append(build_hit(document, plan, score))
        return hits

    def _facet(self, db, name, source, params):
        label = "MAX(d.site_name)" if name == "site_code" else f"d.{name}"
        order = "d.year DESC" if name == "year" else f"count(*) DESC, d.{name}"
        rows = db.execute(
            f"SELECT d.{name} AS value, {label} AS label, count(*) AS count {source} "
            f"AND d.{name} != '' GROUP BY d.{name} ORDER BY {order}",
            params,
        ).fetchall()
        return [FacetValue(row["value"], row["count"], str(row["label"])) for row in rows]


def filter_clause(query):
    clauses, params = ["1"], []
    for negate, conditions in ((False, query.filters), (True, query.exclude)):
        for name, values in conditions.items():
            assert name in FILTER_FIELDS  # SearchQuery checked it; the name goes into SQL
            marks = ", ".join("?" * len(values))
            clauses.append(f"d.{name} {'NOT IN' if negate else 'IN'} ({marks})")
            params += list(values)
    return " AND ".join(clauses), params


def _string(token, prefix=False):
    return '"' + token.replace('"', '""') + '"' + ("*" if prefix else "")


def match_expression(plan, relaxed=False):
    """FTS5 query: every term must match (one of its alternatives, all pieces of it); relaxed,
    any of the plan's relaxed alternatives will do. A lone Han character matches as a prefix."""
    if relaxed:
        return " OR ".join(_all_of(pieces) for pieces in plan.relaxed_alternatives)
    return " AND ".join(
        "(" + " OR ".join(_all_of(alternative.pieces) for alternative in term.alternatives) + ")"
        for term in plan.terms
    )


def _all_of(pieces):
    return "(" + " AND ".join(_string(p, is_single_han(p)) for p in pieces) + ")"


def phrase_expression(plan):
    """FTS5 query for the exact phrase of every term (any of its alternatives)."""
    return " AND ".join(
        "("
        + " OR ".join(
            _string(" ".join(alternative.phrase), alternative.open_ended)
            for alternative in term.alternatives
        )
        + ")"
        for term in plan.terms
    )
