"""The content model, one module per family, re-exported here.

The tree is Root → site home (portal or site) → column (栏目) → item (article, policy document,
interpretation). Columns come from each site kind's standard; editors add items.
"""

from .articles import ArticlePage, Attachment
from .base import BasePage, HomePageBase, PortalHomePage, SiteHomePage
from .columns import ColumnPage
from .content_checks import ForbiddenExpression, Miswriting
from .library import PolicyLibraryPage
from .policies import IndexNumberSequence, InterpretationPage, PolicyDocumentPage, Validity
from .sharing import Submission

__all__ = [
    "ArticlePage",
    "Attachment",
    "BasePage",
    "ColumnPage",
    "ForbiddenExpression",
    "HomePageBase",
    "IndexNumberSequence",
    "InterpretationPage",
    "Miswriting",
    "PolicyDocumentPage",
    "PolicyLibraryPage",
    "PortalHomePage",
    "SiteHomePage",
    "Submission",
    "Validity",
]
