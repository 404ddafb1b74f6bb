"""Running an import file line by line: parse, plan, write, and account for every line.

A bad line never stops the file: it is reported with its number and the next line goes on. Each
line is written in its own transaction (writing.py). A dry run plans every line and writes none;
it still runs inside a transaction that is rolled back, so even a write nobody meant to make
could not survive it.
"""

import contextlib
from dataclasses import dataclass, field
from pathlib import Path

from django.db import DatabaseError, transaction

from .errors import LineError
from .lookup import ImportTarget
from .planning import plan_record
from .records import parse_line
from .writing import write_plan

UTF8_BOM = b"\xef\xbb\xbf"


@dataclass
class ImportReport:
    """What an import did (or, in a dry run, would do), line by line where it matters."""

    dry_run: bool
    created: int = 0
    updated: int = 0
    failures: list[tuple[int, str]] = field(default_factory=list)
    warnings: list[tuple[int, str]] = field(default_factory=list)


def count_lines(path):
    """The number of lines, for the progress bar; read in binary, as the import reads them."""
    with open(path, "rb") as handle:
        return sum(1 for _ in handle)


def import_file(path, site_code, *, dry_run=False, progress=None):
    """Import the JSON Lines file at `path` into the site `site_code`; see the module docstring.

    Raises TargetError before reading any line when the site cannot take an import.
    """
    target = ImportTarget(site_code, Path(path).parent)
    report = ImportReport(dry_run=dry_run)
    first_lines = {}  # legacy key -> number of the line that imported it
    with open(path, "rb") as handle, _rolled_back() if dry_run else contextlib.nullcontext():
        for number, raw in enumerate(handle, start=1):
            try:
                # A line written for real is write_plan's transaction, committed inside it so
                # that a failed commit still removes the line's files. In a dry run a savepoint
                # keeps one line's database error from aborting the shared transaction.
                with transaction.atomic() if dry_run else contextlib.nullcontext():
                    _import_line(number, raw, target, report, first_lines)
            except LineError as error:
                report.failures.append((number, str(error)))
            except DatabaseError as error:
                report.failures.append((number, f"数据库错误：{error}"))
            except OSError as error:
                report.failures.append((number, f"文件读写失败：{error.strerror or error}"))
            except RecursionError:  # a structure no check above foresaw: this line only
                report.failures.append((number, "内容结构嵌套过深，无法导入"))
            if progress:
                progress()
    return report


def _import_line(number, raw, target, report, first_lines):
    try:
        text = raw.removeprefix(UTF8_BOM if number == 1 else b"").decode("utf-8")
    except UnicodeDecodeError:
        raise LineError("不是有效的 UTF-8 文本") from None
    if not text.strip():
        return
    record = parse_line(text)
    target.check_legacy_host(record.legacy)
    key = target.legacy_key(record.legacy)
    if key in first_lines:
        raise LineError(f"旧网址「{record.legacy.url}」与第 {first_lines[key]} 行重复")
    plan = plan_record(record, target)
    creates = plan.creates
    if report.dry_run:
        if record.policy is not None:
            target.remember_policy(record, plan.page)
    else:
        write_plan(plan, target.collection)
    first_lines[key] = number
    if creates:
        report.created += 1
    else:
        report.updated += 1
    report.warnings.extend((number, warning) for warning in plan.warnings)


@contextlib.contextmanager
def _rolled_back():
    with transaction.atomic():
        yield
        transaction.set_rollback(True)
