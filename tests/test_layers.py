"""Which app may import which (DESIGN §14): an app imports only the apps below it. Read from the
source with `ast`, so an up-import fails here the day it is written."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
ORDER = ["config", "runtime", "sites", "accounts", "search", "home", "interaction"]
# The project's URLconf composes every app's URLs: it sits on top, whatever its folder.
COMPOSITION_ROOTS = {"config/urls.py"}
# Up-imports that predate the registries; each is a known debt, listed so no new one joins it.
KNOWN = {
    ("sites/provisioning.py", "home"),
    ("sites/management/commands/setup_demo.py", "home"),
    ("search/analytics.py", "home"),
}


def imported_apps(path):
    tree = ast.parse(path.read_text(), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        else:
            continue
        for name in names:
            top = name.split(".")[0]
            if top in ORDER:
                yield top


def up_imports():
    found = set()
    for app in ORDER:
        for path in (ROOT / app).rglob("*.py"):
            relative = str(path.relative_to(ROOT))
            if "migrations" in path.parts or relative in COMPOSITION_ROOTS:
                continue
            for target in imported_apps(path):
                if ORDER.index(target) > ORDER.index(app):
                    found.add((relative, target))
    return found


def test_no_app_imports_an_app_above_it():
    assert up_imports() - KNOWN == set()


@pytest.mark.parametrize("debt", sorted(KNOWN))
def test_each_known_up_import_still_exists(debt):
    """A debt paid off is removed from KNOWN, so the list never hides a new one."""
    assert debt in up_imports()
