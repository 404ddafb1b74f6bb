"""Real Lucene for analysis tests: runs an Elasticsearch analyzer definition through
tests/search/lucene/Analyse.java, with Debian's Lucene jars (packages liblucene8-java and
openjdk-17-jdk-headless, installed by .ci/run).

The harness is compiled once per source version into the temp directory. When Java or the jars
are missing the tests are skipped with the reason, except in CI (CI=true), where they fail.
"""

import glob
import hashlib
import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from urllib.parse import quote, unquote_plus

import pytest

SOURCE = Path(__file__).resolve().parent / "lucene" / "Analyse.java"
JARS = ("lucene-core-*.jar", "lucene-analyzers-common-*.jar", "lucene-analyzers-smartcn-*.jar")
JAR_DIR = Path("/usr/share/java")


class LuceneError(Exception):
    """The harness refused the definition (an unknown name, a rule Elasticsearch would refuse)."""


@dataclass(frozen=True)
class Token:
    term: str
    start: int
    end: int
    type: str
    position: int


def missing():
    """Why the harness cannot run here, or None."""
    for tool in ("javac", "java"):
        if not shutil.which(tool):
            return f"no {tool} (apt-get install openjdk-17-jdk-headless)"
    for pattern in JARS:
        if not glob.glob(str(JAR_DIR / pattern)):
            return f"no {JAR_DIR / pattern} (apt-get install liblucene8-java)"
    return None


def require():
    """Skip the calling test when Lucene cannot run here; fail instead in CI."""
    reason = missing()
    if reason:
        if os.environ.get("CI") == "true":
            pytest.fail(f"Lucene analysis tests cannot run in CI: {reason}")
        pytest.skip(f"Lucene analysis tests skipped: {reason}")


def _classpath():
    # The newest of each jar, should several versions be installed.
    return [sorted(glob.glob(str(JAR_DIR / pattern)))[-1] for pattern in JARS]


@cache
def _compiled():
    """The directory holding Analyse.class, compiled on first use."""
    digest = hashlib.sha256(SOURCE.read_bytes() + ":".join(_classpath()).encode()).hexdigest()
    target = Path(tempfile.gettempdir()) / f"jiyue-lucene-{digest[:16]}"
    if not (target / "Analyse.class").exists():
        building = Path(tempfile.mkdtemp(prefix="jiyue-lucene-build-"))
        subprocess.run(
            ["javac", "-encoding", "UTF-8", "-cp", ":".join(_classpath()), "-d", building, SOURCE],
            check=True,
            capture_output=True,
        )
        try:
            building.rename(target)  # atomic: a parallel worker may have won the race
        except OSError:
            shutil.rmtree(building, ignore_errors=True)
    return target


def flatten(analysis, analyzer):
    """The harness's input lines for `analyzer` as declared in `analysis` (settings.analysis):
    each named component resolved to its type and settings, built-in names passed as types."""
    definition = dict(analysis["analyzer"][analyzer])
    if definition.pop("type", "custom") != "custom":
        raise LuceneError(f"{analyzer}: only custom analyzers are supported")
    sections = {"char_filter": "char_filter", "tokenizer": "tokenizer", "filter": "filter"}
    unknown = set(definition) - set(sections)
    if unknown:
        raise LuceneError(f"{analyzer}: unknown keys {sorted(unknown)}")
    lines = []
    for kind in sections:
        names = definition.get(kind, [])
        for name in [names] if isinstance(names, str) else names:
            declared = dict(analysis.get(kind, {}).get(name, {"type": name}))
            lines.append(f"{kind} {quote(declared.pop('type'), safe='')}")
            for key, value in declared.items():
                for item in value if isinstance(value, list) else [value]:
                    if isinstance(item, bool):
                        item = "true" if item else "false"
                    lines.append(f"param {quote(key, safe='')} {quote(str(item), safe='')}")
    return lines


def tokens(analysis, analyzer, texts):
    """Lucene's tokens of each text, analysed with `analyzer` (one JVM for all the texts)."""
    texts = list(texts)
    lines = [*flatten(analysis, analyzer), *(f"text {quote(text, safe='')}" for text in texts)]
    classpath = ":".join([str(_compiled()), *_classpath()])
    result = subprocess.run(
        ["java", "-cp", classpath, "Analyse"],
        input="\n".join(lines) + "\n",
        capture_output=True,
        text=True,
        encoding="utf-8",
    )
    if result.returncode:
        raise LuceneError(result.stderr.strip())
    output = result.stdout.split("\n")[: len(texts)]
    return [[_token(field) for field in line.split(" ") if field] for line in output]


def _token(field):
    term, start, end, kind, position = field.split(",")
    return Token(unquote_plus(term), int(start), int(end), kind, int(position))
