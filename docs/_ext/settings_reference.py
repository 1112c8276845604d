"""The configuration reference, generated from ``sluss_wagtail.conf`` at every build.

Every setting the package reads is declared once in ``conf.SETTINGS`` with its default
and what it does. When Sphinx starts, this extension writes them, by topic, to
``docs/_generated/settings.md``, which ``configuration.md`` includes: the reference
cannot drift from the code, and ``tests/test_settings_reference.py`` fails when a
setting is undescribed or the package reads one that is not declared.
"""

from pathlib import Path

GENERATED = Path(__file__).resolve().parent.parent / "_generated" / "settings.md"


def reference_markdown():
    """The reference as MyST Markdown: a section per topic, one per setting."""
    from sluss_wagtail.conf import PREFIX, SETTINGS

    topics = {}
    for name, setting in SETTINGS.items():
        topics.setdefault(setting.topic, []).append((name, setting))
    lines = []
    for topic, settings in topics.items():
        lines += [f"## {topic}", ""]
        for name, setting in settings:
            lines += [
                f"### `{PREFIX}{name}`",
                "",
                f"Default: `{setting.default!r}`",
                "",
                setting.help,
                "",
            ]
    return "\n".join(lines)


def write_reference(app, config):
    text = reference_markdown()
    GENERATED.parent.mkdir(exist_ok=True)
    if not GENERATED.exists() or GENERATED.read_text() != text:
        GENERATED.write_text(text)


def setup(app):
    app.connect("config-inited", write_reference)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
