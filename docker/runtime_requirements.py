"""Print the runtime part of requirements.lock, pinned: what the image installs.

requirements.lock is pip-compile output for the project *with* its dev extras (pytest,
playwright, ruff, factory-boy …). The image leaves those out: this keeps every package that
`[project].dependencies` of pyproject.toml reach through the lock's "# via" comments, at the
lock's exact version. The Dockerfile installs the result with `pip install --no-deps` and then
runs `pip check`, so a package left out by mistake fails the build instead of the site.

    python docker/runtime_requirements.py [requirements.lock [pyproject.toml]] > runtime.txt
"""

import re
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")


def canonical(name):
    return re.sub(r"[-_.]+", "-", name).lower()


def parse_lock(text):
    """{name: (requirement line, {parents})}; the project itself appears as a parent by name."""
    packages = {}
    current = None
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        if not line[0].isspace():
            current = canonical(NAME.match(line).group())
            packages[current] = (line.strip(), set())
            continue
        comment = line.strip()
        if current is None or not comment.startswith("#"):
            continue  # e.g. a --hash continuation line
        comment = comment.lstrip("#").strip()
        if comment == "via":
            continue
        comment = comment.removeprefix("via ").strip()
        parent = NAME.match(comment)  # none for "-r requirements.in"
        if parent:
            packages[current][1].add(canonical(parent.group()))
    return packages


def runtime_requirements(lock_text, pyproject_text):
    """The lock's requirement lines needed at run time, sorted by name."""
    project = tomllib.loads(pyproject_text)["project"]
    top = {canonical(NAME.match(spec).group()) for spec in project["dependencies"]}
    packages = parse_lock(lock_text)
    missing = sorted(top - packages.keys())
    if missing:
        raise SystemExit(f"requirements.lock lacks {', '.join(missing)}: run pip-compile again")
    keep = set(top)
    while True:
        reached = {
            name for name, (_, parents) in packages.items() if name not in keep and parents & keep
        }
        if not reached:
            break
        keep |= reached
    return [packages[name][0] for name in sorted(keep)]


def main(argv):
    lock = Path(argv[1]) if len(argv) > 1 else ROOT / "requirements.lock"
    pyproject = Path(argv[2]) if len(argv) > 2 else ROOT / "pyproject.toml"
    for line in runtime_requirements(lock.read_text("utf-8"), pyproject.read_text("utf-8")):
        print(line)


if __name__ == "__main__":
    main(sys.argv)
