from django import forms, template

from .. import links

register = template.Library()


@register.simple_tag
def idea_admin_path(idea, action="inspect"):
    """``{% idea_admin_path idea %}``: the idea's page in the admin (``links.idea_admin_path``;
    an action's with ``"move"``, ``"assign_unit"``, …). ``idea`` may be its primary key."""
    return links.idea_admin_path(idea, action)


def widget_kind(widget):
    if isinstance(widget, forms.FileInput):
        return "file"
    if isinstance(widget, forms.RadioSelect):
        return "radios"
    if isinstance(widget, forms.Select):
        return "select"
    if isinstance(widget, forms.Textarea):
        return "textarea"
    if isinstance(widget, forms.HiddenInput):
        return "hidden"
    return "input"


@register.inclusion_tag("sluss_wagtail/includes/form_field.html")
def sluss_field(field):
    """One question in the GOV.UK pattern: label, hint, error and input tied together."""
    widget = field.field.widget
    hint_id = f"{field.auto_id}-hint" if field.help_text else ""
    error_id = f"{field.auto_id}-error" if field.errors else ""
    kind = widget_kind(widget)
    # A file input never shows a value: a browser cannot be given a file back.
    value = None if kind == "file" else field.value()
    choices = []
    if kind in ("radios", "select"):
        selected = "" if value is None else str(value)
        for index, (choice_value, choice_label) in enumerate(field.field.choices):
            choice_value = str(getattr(choice_value, "value", choice_value))
            choices.append(
                {
                    "id": f"{field.auto_id}_{index}",
                    "value": choice_value,
                    "label": choice_label,
                    "checked": choice_value == selected and selected != "",
                }
            )
    return {
        "field": field,
        "kind": kind,
        "input_type": getattr(widget, "input_type", "text"),
        "value": "" if value is None else value,
        "choices": choices,
        "hint_id": hint_id,
        "error_id": error_id,
        "describedby": " ".join(filter(None, [hint_id, error_id])),
        "autocomplete": widget.attrs.get("autocomplete", ""),
        "rows": widget.attrs.get("rows", ""),
        "accept": widget.attrs.get("accept", ""),
        "multiple": getattr(widget, "allow_multiple_selected", False),
    }


@register.inclusion_tag("sluss_wagtail/admin/includes/slim_header.html")
def sluss_admin_header(title, icon="", parent_label="", parent_url=""):
    """Wagtail's slim header with breadcrumbs for one of the package's admin pages that is
    not a listing: Home, the page above it (if any), the page itself."""
    from django.urls import reverse
    from django.utils.translation import gettext_lazy as _

    items = [{"url": reverse("wagtailadmin_home"), "label": _("Home")}]
    if parent_url:
        items.append({"url": parent_url, "label": parent_label})
    items.append({"url": "", "label": title})
    return {"breadcrumbs_items": items, "title": title, "icon_name": icon}
