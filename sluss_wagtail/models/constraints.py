"""Constraints the models share."""

from django.db import models
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual


def text_length_constraints(model_name, limits):
    """CHECK constraints that keep each text column within its limit in the database too,
    not only in the forms: ``limits`` maps a field's name to its largest length."""
    return [
        models.CheckConstraint(
            condition=LessThanOrEqual(Length(field), limit),
            name=f"sluss_wagtail_{model_name}_{field}_length",
        )
        for field, limit in limits.items()
    ]
