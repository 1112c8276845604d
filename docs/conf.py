"""Sphinx configuration of sluss_wagtail's documentation (MyST Markdown, as Wagtail's own).

Built by ``make docs`` with warnings as errors; CI builds it too.
"""

import sys
from pathlib import Path

DOCS = Path(__file__).resolve().parent
sys.path[:0] = [str(DOCS / "_ext"), str(DOCS.parent)]

project = "sluss_wagtail"
author = "The sluss_wagtail developers"
copyright = "2026, the sluss_wagtail developers"  # noqa: A001 (Sphinx's name)

extensions = ["myst_parser", "settings_reference"]
myst_enable_extensions = ["colon_fence", "deflist"]
myst_heading_anchors = 3
source_suffix = {".md": "markdown"}
root_doc = "index"
exclude_patterns = ["_build", "_generated"]


html_theme = "furo"
html_title = "sluss_wagtail"
html_static_path = []
language = "en"
