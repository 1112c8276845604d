"""The release's number is written once for each reader and the CHANGELOG has its section:
pyproject.toml (what pip reads) and ``sluss_wagtail.__version__`` (what a site reads) agree,
and a released version has its dated section with upgrade notes below "Unreleased"."""

import re
import tomllib
from pathlib import Path

import sluss_wagtail

ROOT = Path(__file__).resolve().parents[1]


def project_version():
    return tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]


def test_the_package_and_pyproject_name_the_same_version():
    assert sluss_wagtail.__version__ == project_version()


def test_a_released_version_has_its_dated_section_with_upgrade_notes():
    version = project_version()
    changelog = (ROOT / "CHANGELOG.md").read_text()
    headings = re.findall(r"^## \[([^\]]+)\](.*)$", changelog, re.MULTILINE)
    assert headings[0][0] == "Unreleased", "the CHANGELOG starts with its Unreleased section"
    if re.search(r"(dev|a|b|rc)\d*$", version):
        return  # a development version is described under Unreleased
    sections = dict(headings)
    assert version in sections, f"CHANGELOG.md has no section for {version}"
    assert re.fullmatch(r" - \d{4}-\d{2}-\d{2}", sections[version]), "the release is dated"
    body = changelog.split(f"## [{version}]", 1)[1].split("\n## [", 1)[0]
    assert "\n### Upgrading\n" in body, f"{version} says nothing about upgrading"
