"""The plain text of an HTML element as a reader saw it: line breaks kept, spacing collapsed."""

import copy
import re

# Elements after which a browser starts a new line.
LINE_ENDING = ["p", "div", "li", "tr", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6"]
SPACING = re.compile(r"[^\S\n]+")  # any whitespace but a line break, 全角空格 and &nbsp; included


def plain_text(element):
    """Text for headings, quotes and table cells, which hold no markup in BodyBlock."""
    element = copy.copy(element)  # a detached copy: the caller's tree stays as it was
    for line_break in element.find_all("br"):
        line_break.replace_with("\n")
    for block in element.find_all(LINE_ENDING):
        block.append("\n")
    lines = (SPACING.sub(" ", line).strip() for line in element.get_text().split("\n"))
    return "\n".join(line for line in lines if line)
