"""The documentation names what the package offers, so that nothing ships undocumented.

Each list is read from the code: a management command in ``management/commands``, a
Wagtail hook name in ``hooks.py``, a signal in ``signals.py``, an e-mail template, a CSS
custom property of the public pages, a setting. Adding one without writing it into its
page fails here. The README keeps to its shape: the two-command quickstart first, and
short.
"""

import re
from pathlib import Path

import pytest
from django.dispatch import Signal

from sluss_wagtail import hooks, signals
from sluss_wagtail.conf import PREFIX, SETTINGS

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "sluss_wagtail"
DOCS = ROOT / "docs"


def page(name):
    return (DOCS / name).read_text(encoding="utf-8")


def in_code(name, text):
    """Whether ``name`` appears in ``text`` as code (between backticks, maybe with more)."""
    return re.search(rf"`[^`\n]*\b{re.escape(name)}\b[^`\n]*`", text) is not None


def commands():
    folder = PACKAGE / "management" / "commands"
    return sorted(path.stem for path in folder.glob("*.py") if not path.stem.startswith("_"))


def hook_names():
    return sorted(
        value
        for name, value in vars(hooks).items()
        if name.isupper() and isinstance(value, str) and value.startswith("sluss_wagtail_")
    )


def signal_names():
    return sorted(name for name, value in vars(signals).items() if isinstance(value, Signal))


def email_names():
    folder = PACKAGE / "templates" / "sluss_wagtail" / "emails"
    return sorted(path.name.removesuffix("_subject.txt") for path in folder.glob("*_subject.txt"))


def custom_properties():
    css = (PACKAGE / "static" / "sluss_wagtail" / "css" / "sluss_wagtail.css").read_text()
    return sorted(set(re.findall(r"(--sluss-[a-z-]+)\s*:", css)))


def test_the_lists_are_read_from_the_code():
    # An empty list would let every test below pass without checking anything.
    assert "sluss_retention" in commands() and "sluss_reminders" in commands()
    assert "sluss_wagtail_idea_submitted" in hook_names()
    assert "idea_moved" in signal_names()
    assert "idea_received" in email_names()
    assert "--sluss-brand" in custom_properties()


@pytest.mark.parametrize("command", commands())
def test_every_management_command_is_in_the_operations_schedule(command):
    schedule = page("operations.md").split("## Commands and their schedule", 1)[1]
    schedule = schedule.split("\n## ", 1)[0]
    assert re.search(rf"^\| `{command}\b", schedule, re.MULTILINE), (
        f"manage.py {command}: give it a row in operations.md's table of commands"
    )


@pytest.mark.parametrize("hook", hook_names())
def test_every_hook_is_documented_for_integrators(hook):
    assert in_code(hook, page("integrators.md")), f"{hook}: document it in integrators.md"


@pytest.mark.parametrize("signal", signal_names())
def test_every_signal_is_documented_for_integrators(signal):
    assert in_code(signal, page("integrators.md")), f"{signal}: document it in integrators.md"


@pytest.mark.parametrize("email", email_names())
def test_every_email_template_is_listed_in_the_configuration_page(email):
    assert in_code(email, page("configuration.md")), f"{email}: list it in configuration.md"


@pytest.mark.parametrize("prop", custom_properties())
def test_every_theming_custom_property_is_documented(prop):
    assert re.search(rf"^\| `{prop}` \|", page("installing.md"), re.MULTILINE), (
        f"{prop}: give it a row in installing.md's table of custom properties"
    )


#: Named like settings, but not settings: the browser suite's environment variable.
NOT_SETTINGS = {"REQUIRE_BROWSER"}


def test_every_setting_named_in_the_docs_exists():
    named = set()
    for path in [*DOCS.glob("*.md"), ROOT / "README.md"]:
        # A name that ends in ``_*`` stands for a family (``SLUSS_WAGTAIL_ATTACHMENT_*``).
        for name, star in re.findall(rf"{PREFIX}([A-Z][A-Z0-9_]*)(\*?)", path.read_text()):
            if not star:
                named.add(name.rstrip("_"))
    assert named, "the docs name no setting at all"
    unknown = named - set(SETTINGS) - NOT_SETTINGS
    assert not unknown, f"named in the docs, not read by the package: {sorted(unknown)}"


def test_every_picture_in_docs_is_shown_and_made_by_the_browser_suite():
    pictures = sorted(path.name for path in DOCS.glob("*.png"))
    assert pictures
    shown = "".join(path.read_text() for path in [*DOCS.glob("*.md"), ROOT / "README.md"])
    browser_suite = "".join(path.read_text() for path in (ROOT / "tests" / "browser").glob("*.py"))
    for picture in pictures:
        assert picture in shown, f"docs/{picture} is not shown on any page"
        written = (f'"{picture.removesuffix(".png")}"', f'"{picture}"')
        assert any(name in browser_suite for name in written), (
            f"docs/{picture}: no browser test writes it"
        )


def test_the_readme_opens_with_the_two_commands_and_stays_short():
    readme = (ROOT / "README.md").read_text()
    first_block = readme.split("```sh\n", 1)[1].split("```", 1)[0]
    commands_shown = [line.split("#")[0].strip() for line in first_block.splitlines()]
    assert commands_shown == ["make demo", "make test"]
    assert readme.index("```sh") < readme.index("\n## "), "the quickstart comes first"
    assert len(readme.splitlines()) <= 150, "keep the README short: move detail into docs/"


def statement():
    text = page("accessibility.md").split("## An accessibility statement to adapt", 1)[1]
    return "\n".join(line.removeprefix(">").strip() for line in text.splitlines())


@pytest.mark.parametrize(
    "required",
    [
        # What Digg asks every statement for (DOS-lagen, 2018:1937; EU 2018/1523).
        "[Kommunens namn] står bakom [webbplatsens namn]",  # the body and the service
        "[helt förenlig / delvis förenlig / inte förenlig]",  # compliance status
        "#### Innehåll som inte är tillgängligt",  # what is not accessible, and why
        "*Oskäligt betungande anpassning (12 §):*",
        "*Innehåll som inte omfattas av lagen (9 §):*",
        "#### Rapportera brister i webbplatsens tillgänglighet",  # a way to report
        "https://www.digg.se/tdosanmalan",  # Digg's reporting form
        "#### Hur vi testat webbplatsen",  # the method of evaluation
        "Senaste bedömningen gjordes den [datum]",
        "Redogörelsen uppdaterades senast den [datum]",
        "#### Vad kan du göra om du inte kan använda delar av webbplatsen?",
    ],
)
def test_the_accessibility_statement_has_what_digg_asks_for(required):
    assert required in statement()


@pytest.mark.parametrize(
    "row",
    # GDPR art. 30(1): what a record of processing holds.
    [
        "Controller",
        "Purpose",
        "Data subjects",
        "Personal data",
        "Recipients",
        "Transfers outside the EU/EEA",
        "Retention",
        "Security",
    ],
)
def test_the_record_of_processing_has_what_article_30_asks_for(row):
    record = page("privacy-security.md").split("(GDPR art. 30)", 1)[1].split("\n### ", 1)[0]
    assert f"| **{row}** |" in record


def test_every_block_and_page_is_described_for_editors():
    from wagtail.models import Page

    from sluss_wagtail import blocks
    from sluss_wagtail.pages import models as pages

    editors = page("editors.md")
    for _name, block in blocks.sluss_blocks():
        name = type(block).__name__
        assert re.search(rf"^\| `{name}` \|", editors, re.MULTILINE), f"{name}: describe it"
    page_models = [
        value
        for value in vars(pages).values()
        if isinstance(value, type) and issubclass(value, Page) and value is not Page
    ]
    assert len(page_models) >= 6
    for model in page_models:
        assert in_code(model.__name__, editors), f"{model.__name__}: describe it in editors.md"


def test_every_standard_group_and_own_permission_is_in_the_roles():
    from django.apps import apps
    from django.utils import translation

    from sluss_wagtail import roles

    roles_page = page("process.md").split("## The roles", 1)[1]
    with translation.override("en"):
        for label, _permissions in roles.ROLES.values():
            assert f"*{label}*" in roles_page, f"the group {label}: describe it in process.md"
    own = [
        codename
        for model in apps.get_app_config("sluss_wagtail").get_models()
        for codename, _label in model._meta.permissions
    ]
    assert "erase_ideacontact" in own
    for codename in own:
        assert in_code(f"sluss_wagtail.{codename}", roles_page) or in_code(codename, roles_page), (
            f"the permission {codename}: describe it in process.md's roles"
        )
