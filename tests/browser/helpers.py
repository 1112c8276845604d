"""What the browser tests do to a page: open a state, run axe, follow the focus, measure."""

import re
from pathlib import Path

from tests.browser.content import IDEA_FORM_VALUES, SERVED_GOAL, UNSERVED_GOAL, localized

#: WCAG 2.1 level A and AA: the law for a Swedish municipality's website.
WCAG_21_AA_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
NARROW = {"width": 320, "height": 640}

#: The idea form's own submit button (not "Look for similar ideas", nor a follow form's).
IDEA_SUBMIT = "form.sluss-idea-form button[type=submit]:not([name=sluss_similar])"
ADOPTION_SUBMIT = "form.sluss-adoption-form button[type=submit]"
#: The page's own form's submit button: the idea form's or the adoption form's.
FORM_SUBMIT = f"{IDEA_SUBMIT}, {ADOPTION_SUBMIT}"
REFERENCE_RE = re.compile(r"IDE-\d{4}-\d{4,}")

PAGE_CHECKS_JS = (Path(__file__).parent / "page_checks.js").read_text()


def check(page, name):
    """Run the measurement ``name`` of ``page_checks.js`` in the page."""
    return page.evaluate(f"() => ({PAGE_CHECKS_JS}).{name}()")


# ---- the pages and states a person meets ----------------------------------------------------


def send_idea_form(page, **values):
    """Fill in the idea form with the mouse's help (for reaching a state, not a journey)."""
    values = {**IDEA_FORM_VALUES, **values}
    for name in ("title", "description", "need", "beneficiaries", "name", "email", "phone"):
        page.locator(f"#id_{name}").fill(values[name])
    page.locator("input[name=submitter_kind][value=resident]").check()
    page.locator("input[name=publish_idea][value=yes]").check()
    page.locator("input[name=publish_name][value=no]").check()
    with page.expect_navigation():
        page.locator(IDEA_SUBMIT).click()


def send_adoption_form(page):
    """Fill in "we use this too" (for reaching the confirmation)."""
    page.locator("#id_organisation").fill("Hemtjänst Centrum")
    page.locator("#id_municipality").fill("Grannby kommun")
    page.locator("#id_contact_email").fill("hemtjanst@grannby.invalid")
    page.locator("#id_adaptation").fill("Vi använder samma lås.")
    page.locator("#id_since").fill("2026-03-15")
    with page.expect_navigation():
        page.locator(ADOPTION_SUBMIT).click()


def adopt_path(site):
    return site.innovation.url + site.innovation.reverse_subpage("adopt")


def send_empty_idea_form(page):
    """Send the page's own form (the idea form, or the adoption form) empty."""
    with page.expect_navigation():
        page.locator(FORM_SUBMIT).click()


def send_until_refused(page, *, limit=20):
    """Send the empty idea form until the rate limit answers with its 429 page."""
    for _ in range(limit):
        with page.expect_navigation() as navigation:
            page.locator(IDEA_SUBMIT).click()
        if navigation.value.status == 429:
            return
        page.go_back()
    raise AssertionError(f"no 429 page after {limit} POSTs")


def _open(path):
    def open_state(page, base_url, site, language):
        page.goto(base_url + localized(path(site), language))

    return open_state


def _then(path, action):
    def open_state(page, base_url, site, language):
        page.goto(base_url + localized(path(site), language))
        action(page)

    return open_state


#: Every public page in every state the browser tests check: name → opener.
STATES = {
    "idea-form": _open(lambda site: site.submission_path),
    "idea-form-errors": _then(lambda site: site.submission_path, send_empty_idea_form),
    "idea-confirmation": _then(lambda site: site.submission_path, send_idea_form),
    "status-received": _open(lambda site: site.status_paths["received"]),
    "status-pilot": _open(lambda site: site.status_paths["pilot"]),
    "status-closed": _open(lambda site: site.status_paths["closed"]),
    "status-forwarded": _open(lambda site: site.status_paths["forwarded"]),
    "status-duplicate": _open(lambda site: site.status_paths["duplicate"]),
    "status-withdraw": _open(lambda site: site.status_paths["received"] + "withdraw/"),
    "status-erase": _open(lambda site: site.status_paths["received"] + "erase/"),
    "status-consent": _open(lambda site: site.status_paths["received"] + "consent/"),
    "challenge-open": _open(lambda site: site.open_challenge.url),
    "challenge-open-errors": _then(lambda site: site.open_challenge.url, send_empty_idea_form),
    "challenge-upcoming": _open(lambda site: site.upcoming_challenge.url),
    "challenge-closed": _open(lambda site: site.closed_challenge.url),
    "challenge-index": _open(lambda site: site.index_path),
    "challenge-index-filtered": _open(lambda site: f"{site.index_path}?sdg={SERVED_GOAL}"),
    "challenge-index-no-results": _open(lambda site: f"{site.index_path}?sdg={UNSERVED_GOAL}"),
    "showcase": _open(lambda site: site.showcase.url),
    "showcase-filtered": _open(lambda site: f"{site.showcase.url}?sdg=3&status=implemented"),
    "showcase-no-results": _open(lambda site: f"{site.showcase.url}?q=ingenting+alls"),
    # Too long to search: a message instead of results, never an error.
    "showcase-search-too-long": _open(lambda site: f"{site.showcase.url}?q={'ord+' * 80}"),
    "innovation": _open(lambda site: site.innovation.url),
    "not-found": _open(lambda site: "/finns-inte-har/"),
    "blocks-page": _open(lambda site: site.blocks_page.url),
    "too-many-attempts": _then(lambda site: site.submission_path, send_until_refused),
    "innovation-adopted": _open(lambda site: site.adopted_innovation.url),
    "adoption-form": _open(adopt_path),
    "adoption-form-errors": _then(adopt_path, send_empty_idea_form),
    "adoption-confirmation": _then(adopt_path, send_adoption_form),
}

#: The states by page type: one browser test per page type and language.
PAGE_TYPES = {
    "idea-form": ["idea-form", "idea-form-errors", "idea-confirmation"],
    "status": [name for name in STATES if name.startswith("status-")],
    "challenge": [
        "challenge-open",
        "challenge-open-errors",
        "challenge-upcoming",
        "challenge-closed",
    ],
    "challenge-index": [name for name in STATES if name.startswith("challenge-index")],
    "showcase": [name for name in STATES if name.startswith("showcase")],
    "innovation": ["innovation", "innovation-adopted"],
    "adoption-form": ["adoption-form", "adoption-form-errors", "adoption-confirmation"],
    "not-found": ["not-found"],
    "blocks-page": ["blocks-page"],
    "too-many-attempts": ["too-many-attempts"],
}
assert sorted(sum(PAGE_TYPES.values(), [])) == sorted(STATES)

#: The pages a person looks at first, photographed at desktop and phone width.
SCREENSHOT_STATES = [
    "idea-form",
    "idea-form-errors",
    "idea-confirmation",
    "status-pilot",
    "challenge-open",
    "challenge-closed",
    "challenge-index",
    "showcase",
    "innovation",
    "not-found",
]


def open_state(page, base_url, site, state, language):
    STATES[state](page, base_url, site, language)


# ---- axe-core ----------------------------------------------------------------------------------


def axe_violations(page):
    """axe-core's WCAG 2.1 A and AA violations on the page as it is now."""
    from axe_playwright_python.sync_playwright import Axe

    options = {
        "runOnly": {"type": "tag", "values": WCAG_21_AA_TAGS},
        "resultTypes": ["violations"],
    }
    return Axe().run(page, options=options).response["violations"]


def describe_violations(violations):
    lines = []
    for violation in violations:
        lines.append(
            f"- {violation['id']} ({violation.get('impact')}): {violation['help']}"
            f" <{violation.get('helpUrl', '')}>"
        )
        for node in violation["nodes"]:
            target = " ".join(str(part) for part in node["target"])
            summary = (node.get("failureSummary") or "").replace("\n", " / ")
            lines.append(f"    {target}: {summary}")
    return "\n".join(lines)


# ---- the keyboard ------------------------------------------------------------------------------


def focused(page):
    """The focused element, with whether its focus can be seen; None when nothing has focus."""
    return check(page, "focused")


def assert_focus_visible(page, info=None):
    """The focused element shows its focus (``info``: what ``focused()`` said just now)."""
    info = info or focused(page)
    assert info is not None, "nothing has the focus"
    assert info["visible"], (
        f"the focus on {info['description']} cannot be seen: "
        f"outline {info['outline']}, box-shadow {info['boxShadow']}"
    )
    assert info["onScreen"], f"the focused {info['description']} is outside the viewport"
    return info


def is_focused(page, selector):
    return page.evaluate(
        "(selector) => document.activeElement && document.activeElement.matches(selector)",
        selector,
    )


def tab_to(page, selector, *, limit=60):
    """Press Tab until ``selector`` has the focus, checking that every stop shows its focus."""
    stops = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        info = focused(page)
        if info is not None and not info["onScreen"]:
            # Wagtail's admin scrolls smoothly: the focused element may be on its way in.
            page.wait_for_timeout(500)
            info = focused(page)
        if info is not None:
            assert_focus_visible(page, info)
            stops.append(info["description"])
        if is_focused(page, selector):
            return stops
    raise AssertionError(f"Tab never reached {selector}; the stops were: {stops}")


# ---- layout ------------------------------------------------------------------------------------


def horizontal_overflow(page):
    """None when nothing scrolls sideways; else the widths and the elements that stick out."""
    result = check(page, "overflow")
    return None if result["scrollWidth"] <= result["width"] else result


#: Wagtail's ``#main`` hides what sticks out sideways (``w-overflow-x-hidden``): the page
#: then never scrolls, and ``horizontal_overflow`` cannot see what is cut off at its edge.
CUT_OFF_AT_THE_EDGE_JS = """() => {
  const main = document.querySelector('#main');
  if (!main) return [];
  const edge = main.getBoundingClientRect().right;
  const cut = [];
  for (const el of main.querySelectorAll('*')) {
    const rect = el.getBoundingClientRect();
    if (!rect.width || rect.right <= edge + 1) continue;
    if (el.closest('.w-sr-only, [hidden], .sluss-visually-hidden')) continue;
    if (getComputedStyle(el).visibility === 'hidden') continue;
    // In a region that scrolls sideways of its own (a table's, the breadcrumbs'): reachable.
    let parent = el.parentElement, scrolls = false;
    for (; parent && parent !== main; parent = parent.parentElement) {
      const overflow = getComputedStyle(parent).overflowX;
      if (overflow === 'auto' || overflow === 'scroll') { scrolls = true; break; }
    }
    if (!scrolls) cut.push(el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
      + (el.className && el.className.baseVal === undefined && el.className
         ? '.' + el.className.trim().split(/\\s+/).join('.') : '')
      + ' right=' + Math.round(rect.right) + ' edge=' + Math.round(edge));
  }
  return cut.slice(0, 8);
}"""


def cut_off_at_the_edge(page):
    """What of an admin page sticks out of Wagtail's ``#main`` (hidden, not scrolled)."""
    return page.evaluate(CUT_OFF_AT_THE_EDGE_JS)


def cut_off_text(page):
    """Labels, hints, errors, headings and buttons not wholly visible: what and why."""
    return check(page, "cutOffText")


def double_the_text_size(page):
    """200 % text: the root font size, which every rem and em on the pages follows."""
    page.evaluate("document.documentElement.style.fontSize = '200%'")


#: WCAG 2.1 1.4.12: the text spacing a person may set with a style sheet of their own.
WIDE_TEXT_SPACING = """
* { line-height: 1.5 !important; letter-spacing: 0.12em !important;
    word-spacing: 0.16em !important; }
p { margin-bottom: 2em !important; }
"""


def widen_the_text_spacing(page):
    """Add a person's own wider text spacing; returns the style element, to remove it."""
    return page.add_style_tag(content=WIDE_TEXT_SPACING)


def layout_problems(page, where, condition, checks=None):
    """What of the page as it is now scrolls sideways, and what each of ``checks`` (name →
    function of the page returning what it found) finds; ``condition`` says when ("at
    320 px", "with 200 % text")."""
    problems = []
    if overflow := horizontal_overflow(page):
        problems.append(
            f"{where}: scrolls sideways {condition} "
            f"({overflow['scrollWidth']} > {overflow['width']} px): {overflow['culprits']}"
        )
    for name, found_by in (checks or {}).items():
        if found := found_by(page):
            problems.append(f"{where}: {name} {condition}: {found}")
    return problems


def problems_at_widths(page, where, widths, *, height, checks=None):
    """The page, loaded once, resized to each of ``widths``: its ``layout_problems`` at each.
    The pages' layout follows the window through media queries, not the width it was
    loaded at, so one load serves every width."""
    problems = []
    for width in widths:
        page.set_viewport_size({"width": width, "height": height})
        problems.extend(layout_problems(page, where, f"at {width} px", checks))
    return problems


def problems_with_200_percent_text(page, where, viewport, *, checks=None):
    """The page resized to ``viewport`` with its text doubled (until the next load): its
    ``layout_problems``."""
    page.set_viewport_size(viewport)
    double_the_text_size(page)
    return layout_problems(page, where, "with 200 % text", checks)


# The admin's pages ---------------------------------------------------------------------------


def logged_in(new_page, base_url, user, viewport=None):
    """A page in Swedish with ``user`` logged in to the admin (their session cookie)."""
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user)
    page = new_page("sv", viewport)
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": base_url,
            }
        ]
    )
    return page


def violations_in(page, selector):
    """axe's WCAG 2.1 AA violations within ``selector`` only: the package's own part of an
    admin page (Wagtail's own chrome is Wagtail's to answer for)."""
    from axe_playwright_python.sync_playwright import Axe

    options = {
        "runOnly": {"type": "tag", "values": WCAG_21_AA_TAGS},
        "resultTypes": ["violations"],
    }
    return Axe().run(page, context=selector, options=options).response["violations"]
