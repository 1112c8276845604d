"""The README's "Security and privacy" section names, for each promise, the tests that
prove it; docs/privacy-security.md names them too. Every test named there exists, so a
renamed or deleted test cannot leave a promise standing on a name that proves nothing.
"""

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
#: ``test_x.py::test_y``, or ``::test_y`` for another test of the file named before it.
NAMED = re.compile(r"`(?:tests/)?((?:test_\w+\.py)?)::(test_\w+)`")


def section(text, heading):
    start = text.index(f"## {heading}\n")
    following = text.find("\n## ", start + 1)
    return text[start : following if following != -1 else None]


def named_tests(text):
    named, file_name = [], None
    for match in NAMED.finditer(text):
        file_name = match.group(1) or file_name
        assert file_name, f"::{match.group(2)} names no file before it"
        named.append((file_name, match.group(2)))
    return named


def functions_in(file_name):
    tree = ast.parse((ROOT / "tests" / file_name).read_text(encoding="utf-8"))
    return {
        node.name
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
    }


def missing(named):
    return [
        f"{file_name}::{name}"
        for file_name, name in named
        if not (ROOT / "tests" / file_name).exists() or name not in functions_in(file_name)
    ]


def test_every_promise_in_the_readme_names_tests_that_exist():
    text = section((ROOT / "README.md").read_text(encoding="utf-8"), "Security and privacy")
    rows = [line for line in text.splitlines() if line.startswith("| ") and "---" not in line]
    promises = rows[1:]  # after the header
    assert len(promises) >= 14
    for row in promises:
        assert named_tests(row), f"a promise without a test: {row[:80]}"
    assert missing(named_tests(text)) == []


def test_every_test_the_privacy_page_names_exists():
    text = (ROOT / "docs" / "privacy-security.md").read_text(encoding="utf-8")
    named = named_tests(text)
    assert named
    assert missing(named) == []
