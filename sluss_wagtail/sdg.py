"""The 17 goals of Agenda 2030 and the three dimensions of sustainability.

Keys are stable (the goal's number, the dimension's English key); labels are
translated. The models in ``models/sdg.py`` store which ideas and pages serve
which goal, so that filters and statistics run in the database.
"""

from django.utils.translation import gettext_lazy as _

GOALS = (
    (1, _("No poverty")),
    (2, _("Zero hunger")),
    (3, _("Good health and well-being")),
    (4, _("Quality education")),
    (5, _("Gender equality")),
    (6, _("Clean water and sanitation")),
    (7, _("Affordable and clean energy")),
    (8, _("Decent work and economic growth")),
    (9, _("Industry, innovation and infrastructure")),
    (10, _("Reduced inequalities")),
    (11, _("Sustainable cities and communities")),
    (12, _("Responsible consumption and production")),
    (13, _("Climate action")),
    (14, _("Life below water")),
    (15, _("Life on land")),
    (16, _("Peace, justice and strong institutions")),
    (17, _("Partnerships for the goals")),
)
GOAL_LABELS = dict(GOALS)

DIMENSIONS = (
    ("social", _("Social sustainability")),
    ("ecological", _("Ecological sustainability")),
    ("economic", _("Economic sustainability")),
)
DIMENSION_LABELS = dict(DIMENSIONS)
