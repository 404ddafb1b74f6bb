"""Importing legacy content (`manage.py import_content`), one module per step.

records     the JSON Lines format: one line into a typed Record (no database)
sanitising  body HTML into BodyBlock's blocks (tables.py, text.py help it)
lookup      what a line refers to on the platform: site, columns, earlier imports, files
planning    a record into a validated, unsaved page: everything but writing (= a dry run)
writing     one plan saved, published and redirected in one transaction
runner      a whole file, line by line, into an ImportReport

The format, its errors and the choices behind redirects and re-imports are in
docs/content-import.md.
"""

from .lookup import TargetError
from .runner import ImportReport, count_lines, import_file

__all__ = ["ImportReport", "TargetError", "count_lines", "import_file"]
