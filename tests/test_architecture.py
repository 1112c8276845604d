"""Dependencies point down, and this test says so (STYLE.md 13, docs/architecture.md).

Every module of ``sluss_wagtail`` is parsed with ``ast`` (imports at module level and
inside functions alike: an import cycle is a design smell even when every import is
lazy) and must

- belong to exactly one layer of ``LAYERS``, the one docs/architecture.md's table names;
- import no module of a higher layer;
- stand in no import cycle.

``sluss_wagtail.models`` (the package) re-exports the page mixins, so it is in the pages
layer: code below the pages imports a model from its own module
(``from .models.ideas import Idea``). Importing a submodule runs its package's
``__init__`` too; as in import-linter, only the imports written out are counted.
"""

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "sluss_wagtail"
ARCHITECTURE = ROOT / "docs" / "architecture.md"

#: Lowest first. A module may import its own layer and those below it. A name ending in
#: ``.*`` is every module of that package (the package itself included).
LAYERS = [
    (
        "base",
        [
            "sluss_wagtail",
            "conf",
            "signals",
            "process",
            "page_types",
            "links",
            "caching",
            "restrictions",
            "spam",
            "confirmation",
            "attachments",
            "sdg",
            "searching",
            "http_client",
            "hooks",
            "search_indexes",
            "roles",
        ],
    ),
    (
        "models",
        [
            "models.sluices",
            "models.units",
            "models.sdg",
            "models.constraints",
            "models.translations",
            "models.settings",
            "models.caching",
            "models.ideas",
            "models.pilots",
            "models.tallies",
            "models.assessment",
            "models.benefits",
            "models.dialogue",
            "models.following",
            "models.emails",
            "models.adoptions",
            "models.innovations",
        ],
    ),
    (
        "domain",
        [
            "stats.*",
            "permissions",
            "redaction",
            "fts_index",
            "similar",
            "feeds",
            "api",
            "importing",
            "rate_limits",
            "actions",
            "privacy",
            "dialogue",
            "following",
            "assessing",
            "benefits",
            "notifications",
            "outbox",
            "tasks",
            "forms",
        ],
    ),
    (
        "pages",
        [
            "models",
            "models.pages",
            "models.challenges",
            "models.showcase",
            "models.portfolio",
            "models.workflows",
            "blocks.*",
            "pages.*",
        ],
    ),
    (
        "web",
        [
            "views",
            "dialogue_views",
            "following_views",
            "portfolio_views",
            "api_views",
            "urls",
            "login_throttle",
            "auth_backends",
            "templatetags.*",
            "admin.*",
            "signal_handlers",
            "checks",
            "management.*",
            "wagtail_hooks",
            "apps",
        ],
    ),
]


def module_names():
    """Every module of the package by its dotted name, with its file (migrations aside)."""
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        if "migrations" in path.relative_to(PACKAGE).parts:
            continue
        parts = list(path.relative_to(ROOT).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


MODULES = module_names()


def short(name):
    return name.removeprefix("sluss_wagtail.") if name != "sluss_wagtail" else name


def layer_of(name):
    """The index in ``LAYERS`` of the module ``name`` (dotted, without the package)."""
    matches = [
        index
        for index, (_, members) in enumerate(LAYERS)
        for member in members
        if name == member
        or (member.endswith(".*") and (name == member[:-2] or name.startswith(member[:-1])))
    ]
    return matches


def _enclosing_module(name):
    while name and name not in MODULES:
        name = name.rpartition(".")[0]
    return name or None


def imports_of(name):
    """``{module: first line}`` of the package's modules that ``name`` imports, anywhere."""
    path = MODULES[name]
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = {}
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        targets = []
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                source = ".".join(base + ([node.module] if node.module else []))
            else:
                source = node.module or ""
            # ``from . import tasks`` imports the module ``tasks``; ``from .models import
            # Idea`` imports the package ``models``.
            targets = [
                f"{source}.{alias.name}" if f"{source}.{alias.name}" in MODULES else source
                for alias in node.names
            ]
        for target in targets:
            target = _enclosing_module(target) if target.startswith("sluss_wagtail") else None
            if target and target != name:
                found.setdefault(target, node.lineno)
    return found


GRAPH = {name: imports_of(name) for name in MODULES}


def test_every_module_is_in_exactly_one_layer():
    wrong = {short(name): layer_of(short(name)) for name in MODULES}
    assert {name: found for name, found in wrong.items() if len(found) != 1} == {}


def test_no_module_imports_a_higher_layer():
    upward = []
    for name, targets in GRAPH.items():
        [own] = layer_of(short(name)) or [None]
        for target, line in targets.items():
            [theirs] = layer_of(short(target)) or [None]
            if own is not None and theirs is not None and theirs > own:
                upward.append(
                    f"{short(name)}:{line} ({LAYERS[own][0]}) imports {short(target)} "
                    f"({LAYERS[theirs][0]})"
                )
    assert upward == []


def cycles(graph):
    """The strongly connected components of more than one module (Tarjan's algorithm)."""
    index, low, stack, on_stack, found = {}, {}, [], set(), []

    def visit(node):
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in graph.get(node, ()):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(short(member) for member in component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_the_import_graph_has_no_cycle():
    assert cycles(GRAPH) == []


def test_the_cycle_finder_finds_a_cycle():
    """A test that cannot fail is no test: the finder sees a lazy import's cycle."""
    assert cycles({"a": {"b": 1}, "b": {"c": 1}, "c": {"a": 1}, "d": {"a": 1}}) == [["a", "b", "c"]]


def documented_layers():
    """``{module: layer}`` from docs/architecture.md's table of modules: its first column
    names files (``views.py``) and packages (``admin/``, every module in it), its second
    the layer."""
    found = {}
    for line in ARCHITECTURE.read_text().splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) < 3 or not line.startswith("|"):
            continue
        for written in re.findall(r"`([^`]+)`", cells[0]):
            found[written] = cells[1]
    return found


def documented_name(name):
    """How the table names the module: its file, or its package for one inside a package."""
    relative = MODULES[name].relative_to(PACKAGE)
    if len(relative.parts) > 1:
        return relative.parts[0] + "/"
    return "__init__.py" if relative.name == "__init__.py" else relative.name


@pytest.mark.parametrize("name", sorted(MODULES), ids=short)
def test_every_module_is_in_the_architecture_table_in_its_layer(name):
    documented = documented_layers()
    written = documented_name(name)
    # models/ is one row per layer: its modules in "models", the pages in "pages".
    if written == "models/":
        written = "models/" + MODULES[name].name
    assert written in documented, f"{written} is missing from docs/architecture.md"
    [own] = layer_of(short(name))
    assert documented[written] == LAYERS[own][0]
