"""An HTML <table> as the value of BodyBlock's "table" (Wagtail's TableBlock).

TableBlock keeps plain text on a rectangular grid. Legacy tables (办事指南 fees, 名单, 统计表)
merge cells a lot, so row and column spans are laid out on the grid and recorded the way the
table editor does: the top-left cell carries the span (`mergeCells`) and the cells it covers are
marked hidden (`cell`), which is how Wagtail's table template renders them.
"""

from .text import plain_text

MAX_COLSPAN = 100  # a bogus colspan="9999" must not make a table millions of cells wide


def table_value(table):
    """The TableBlock value of `table`, or None when it has no cells."""
    rows = [row for row in table.find_all("tr") if row.find_parent("table") is table]
    texts, header_cells, merges, hidden, taken = {}, set(), [], [], set()
    for row_index, row in enumerate(rows):
        col_index = 0
        for cell in row.find_all(["td", "th"], recursive=False):
            while (row_index, col_index) in taken:
                col_index += 1
            rowspan = _span(cell, "rowspan", len(rows) - row_index)
            colspan = _span(cell, "colspan", MAX_COLSPAN)
            texts[(row_index, col_index)] = plain_text(cell)
            if cell.name == "th":
                header_cells.add((row_index, col_index))
            for down in range(rowspan):
                for across in range(colspan):
                    taken.add((row_index + down, col_index + across))
                    if down or across:
                        hidden.append(
                            {"row": row_index + down, "col": col_index + across, "hidden": True}
                        )
            if rowspan > 1 or colspan > 1:
                merges.append(
                    {"row": row_index, "col": col_index, "rowspan": rowspan, "colspan": colspan}
                )
            col_index += colspan
    if not texts:
        return None
    width = 1 + max(col for _, col in taken)
    first_row_is_header = _first_row_is_header(table, rows)
    body_rows = range(1 if first_row_is_header else 0, len(rows))
    first_col_is_header = bool(body_rows) and all((row, 0) in header_cells for row in body_rows)
    caption = table.find("caption", recursive=False)
    return {
        "data": [[texts.get((row, col)) for col in range(width)] for row in range(len(rows))],
        "first_row_is_table_header": first_row_is_header,
        "first_col_is_header": first_col_is_header,
        "table_header_choice": _header_choice(first_row_is_header, first_col_is_header),
        "table_caption": plain_text(caption) if caption else "",
        "mergeCells": merges,
        "cell": hidden,
    }


def _span(cell, attribute, limit):
    try:
        return max(1, min(int(cell.get(attribute, 1)), limit))
    except (TypeError, ValueError):
        return 1


def _first_row_is_header(table, rows):
    if not rows:
        return False
    head = rows[0].find_parent("thead")
    if head is not None and head.find_parent("table") is table:
        return True
    first_cells = rows[0].find_all(["td", "th"], recursive=False)
    return bool(first_cells) and all(cell.name == "th" for cell in first_cells)


def _header_choice(first_row, first_col):
    # The values TableBlock.clean() maps back onto the two flags.
    if first_row and first_col:
        return "both"
    return "row" if first_row else "column" if first_col else "neither"
