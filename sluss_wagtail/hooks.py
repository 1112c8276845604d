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
import warnings

from wagtail import hooks

logger = logging.getLogger(__name__)

#: ``fn(idea)``: a new idea was saved.
IDEA_SUBMITTED = "sluss_wagtail_idea_submitted"
#: ``fn(idea, event)``: ``process.move_idea`` moved an idea.
IDEA_MOVED = "sluss_wagtail_idea_moved"
#: ``fn(page)``: an innovation page was published.
INNOVATION_PUBLISHED = "sluss_wagtail_innovation_published"
#: ``fn(adoption)``: a moderator confirmed an adoption (``actions.confirm_adoption``).
ADOPTION_CONFIRMED = "sluss_wagtail_adoption_confirmed"
#: Deprecated: the old name of ``ADOPTION_CONFIRMED`` (it ran on confirmation, not on
#: registration). Functions registered under it still run, with a ``DeprecationWarning``.
ADOPTION_REGISTERED = "sluss_wagtail_adoption_registered"

#: Old hook names that still run after the new one's functions: new name → old name.
DEPRECATED_ALIASES = {ADOPTION_CONFIRMED: ADOPTION_REGISTERED}


def run_hooks(name, *args):
    """Run every function registered under ``name`` (and under its deprecated old name),
    each on its own: a failing one is logged and the others still run."""
    functions = [(name, fn) for fn in hooks.get_hooks(name)]
    old_name = DEPRECATED_ALIASES.get(name)
    if old_name:
        functions += [(old_name, fn) for fn in hooks.get_hooks(old_name)]
    for hook_name, fn in functions:
        if hook_name != name:
            warnings.warn(
                f"The hook {hook_name!r} is deprecated; register {fn!r} as {name!r} instead.",
                DeprecationWarning,
                stacklevel=2,
            )
        try:
            fn(*args)
        except Exception:
            logger.exception("The %s hook %r failed", hook_name, fn)
