"""The configuration reference is generated from the one settings accessor and complete.

Every ``SLUSS_WAGTAIL_<NAME>`` the package reads is declared in ``conf.SETTINGS`` with a
description and a topic, and the documentation's generated reference lists each one; a
setting added to the code without a description, or read without being declared, fails.
"""

import re
import sys
from pathlib import Path

import pytest

from sluss_wagtail.conf import DEFAULTS, PREFIX, SETTINGS, sluss_settings

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "sluss_wagtail"
sys.path.insert(0, str(ROOT / "docs" / "_ext"))

from settings_reference import reference_markdown  # noqa: E402


def names_the_package_reads():
    """Every setting name the package's code and templates mention, by either spelling."""
    found = set()
    for path in PACKAGE.rglob("*"):
        if path.suffix not in {".py", ".html", ".txt"} or "migrations" in path.parts:
            continue
        text = path.read_text(encoding="utf-8")
        found |= set(re.findall(rf"{PREFIX}([A-Z][A-Z0-9_]*)", text))
        found |= set(re.findall(r"sluss_settings\.([A-Z][A-Z0-9_]*)", text))
    return found


def test_every_setting_the_package_reads_is_declared():
    undeclared = names_the_package_reads() - set(SETTINGS)
    assert not undeclared, f"read but not declared in conf.SETTINGS: {sorted(undeclared)}"


@pytest.mark.parametrize("name", sorted(SETTINGS))
def test_every_setting_is_described(name):
    setting = SETTINGS[name]
    assert len(setting.help.split()) >= 5, f"{name}: say what it does"
    assert setting.topic.strip(), f"{name}: give it a topic"
    assert DEFAULTS[name] == setting.default


def test_the_reference_lists_every_setting_with_its_default():
    reference = reference_markdown()
    for name, setting in SETTINGS.items():
        entry = f"### `{PREFIX}{name}`\n\nDefault: `{setting.default!r}`\n\n{setting.help}\n"
        assert entry in reference, name


def test_the_configuration_page_includes_the_reference():
    page = (ROOT / "docs" / "configuration.md").read_text()
    assert "```{include} _generated/settings.md" in page


def test_an_undeclared_setting_is_refused(settings):
    settings.SLUSS_WAGTAIL_NO_SUCH_THING = 1
    with pytest.raises(AttributeError, match="NO_SUCH_THING"):
        getattr(sluss_settings, "NO_SUCH_THING")  # noqa: B009
