"""The package's own Wagtail hooks, for host sites that integrate with it.

Register a function with ``wagtail.hooks.register`` under one of these
names; it runs after the transaction that caused it commits, so it never
sees data that is rolled back, and an exception in it never loses an idea
(it is logged)::

    from wagtail import hooks

    @hooks.register("sluss_wagtail_idea_submitted")
    def register_in_records_system(idea):
        ...
"""

import logging

from wagtail import hooks

logger = logging.getLogger(__name__)

#: ``fn(idea)``: a new idea was saved.
IDEA_SUBMITTED = "sluss_wagtail_idea_submitted"
#: ``fn(idea, event)``: ``process.move_idea`` moved an idea.
IDEA_MOVED = "sluss_wagtail_idea_moved"
#: ``fn(page)``: an innovation page was published.
INNOVATION_PUBLISHED = "sluss_wagtail_innovation_published"
#: ``fn(adoption)``: a moderator confirmed an adoption (``actions.confirm_adoption``).
ADOPTION_REGISTERED = "sluss_wagtail_adoption_registered"


def run_hooks(name, *args):
    for fn in hooks.get_hooks(name):
        try:
            fn(*args)
        except Exception:
            logger.exception("The %s hook %r failed", name, fn)
