"""Wagtail's own form page with the idea form's fields: the benchmark's and the load
test's comparison for the idea submission."""

#: The idea form's fields as a ``wagtail.contrib.forms`` page has them: (name, type).
IDEA_FIELDS = [
    ("title", "singleline"),
    ("description", "multiline"),
    ("need", "multiline"),
    ("beneficiaries", "multiline"),
    ("submitter_kind", "radio"),
    ("organisation", "singleline"),
    ("name", "singleline"),
    ("email", "email"),
    ("phone", "singleline"),
    ("publish_idea", "radio"),
    ("publish_name", "radio"),
]
REQUIRED = {"title", "description", "need", "submitter_kind"}
CHOICES = {
    "submitter_kind": "resident\nemployee\nassociation\nbusiness\nother",
    "publish_idea": "yes\nno",
    "publish_name": "yes\nno",
}


def create_form_page(parent, slug="formular"):
    """A published ``BenchFormPage`` under ``parent`` with the idea form's fields, sending
    one e-mail per submission as the idea's receipt is one."""
    from .models import BenchFormField, BenchFormPage

    form_page = BenchFormPage(
        title="Formulär",
        slug=slug,
        to_address="idesluss@exempelby.invalid",
        from_address="idesluss@exempelby.invalid",
        subject="Ny idé",
    )
    for n, (label, field_type) in enumerate(IDEA_FIELDS):
        form_page.form_fields.add(
            BenchFormField(
                sort_order=n,
                label=label,
                field_type=field_type,
                required=label in REQUIRED,
                choices=CHOICES.get(label, ""),
            )
        )
    parent.add_child(instance=form_page)
    form_page.save_revision().publish()
    return form_page
