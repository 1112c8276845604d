"""wagtail-modeladmin stays in the package's admin module: the rest of the package never
imports it, so replacing the inbox's base classes one day touches ``sluss_wagtail/admin/`` only."""

import ast
from pathlib import Path

import sluss_wagtail

PACKAGE = Path(sluss_wagtail.__file__).parent


def imported_modules(path):
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            yield node.module


def test_no_module_outside_admin_imports_wagtail_modeladmin():
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        if (PACKAGE / "admin") in path.parents:
            continue
        for module in imported_modules(path):
            if module == "wagtail_modeladmin" or module.startswith("wagtail_modeladmin."):
                offenders.append(f"{path.relative_to(PACKAGE)}: {module}")
    assert offenders == []


def test_the_check_sees_the_admins_own_imports():
    # The test above would pass on an empty list: it reads the files it should.
    admin_imports = {
        module for path in (PACKAGE / "admin").rglob("*.py") for module in imported_modules(path)
    }
    assert "wagtail_modeladmin.options" in admin_imports
