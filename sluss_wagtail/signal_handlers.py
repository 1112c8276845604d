"""Receivers of the package's signals, connected in ``AppConfig.ready()``.

The package's own signals run after the transaction commits (``robust``: a failure is
logged, never raised): a submission or a move is saved whatever happens to an
e-mail or to a host site's hook. The statistics' counts (``stats.retally``) are the
exception: they are kept in the transaction of the change, so they never drift.
"""

from . import fts_index, hooks, similar, stats, tasks
from .signals import (
    adoption_confirmed,
    coach_assigned,
    confirmation_requested,
    giver_answered,
    idea_moved,
    idea_submitted,
    message_to_giver,
    unit_assigned,
)


def on_idea_submitted(sender, idea, **kwargs):
    tasks.after_commit(tasks.send_idea_receipt.enqueue, idea.pk)
    tasks.after_commit(tasks.send_new_idea_to_coordinators.enqueue, idea.pk)
    tasks.after_commit(hooks.run_hooks, hooks.IDEA_SUBMITTED, idea)


def on_idea_moved(sender, idea, event, **kwargs):
    if event.public_note:
        tasks.after_commit(tasks.send_feedback.enqueue, event.pk)
        # Its followers too, if the idea is public (``notifications.send_follower_feedback``).
        tasks.after_commit(tasks.send_follower_feedback.enqueue, event.pk)
    tasks.after_commit(hooks.run_hooks, hooks.IDEA_MOVED, idea, event)


def on_unit_assigned(sender, idea, event, **kwargs):
    tasks.after_commit(tasks.send_unit_assignment.enqueue, event.pk)


def on_coach_assigned(sender, idea, event, **kwargs):
    tasks.after_commit(tasks.send_coach_assignment.enqueue, event.pk)


def on_message_to_giver(sender, message, **kwargs):
    tasks.after_commit(tasks.send_dialogue_message.enqueue, message.pk)


def on_giver_answered(sender, message, **kwargs):
    tasks.after_commit(tasks.send_dialogue_answer.enqueue, message.pk)


def on_confirmation_requested(sender, subscription, **kwargs):
    tasks.after_commit(tasks.send_follow_confirmation.enqueue, subscription.pk)


def on_page_published(sender, instance, **kwargs):
    from .models import InnovationPageMixin

    on_challenge_published(instance, kwargs.get("revision"))
    if not isinstance(instance, InnovationPageMixin):
        return

    if instance.first_published_at != instance.last_published_at:
        return  # told once, when the innovation is first shown
    if instance.idea_id:
        tasks.after_commit(tasks.send_innovation_published.enqueue, instance.pk)
    tasks.after_commit(hooks.run_hooks, hooks.INNOVATION_PUBLISHED, instance)


def on_attachment_deleted(sender, instance, **kwargs):
    """A deleted attachment row (also through a deleted idea) takes its file along."""
    if instance.file.name:
        tasks.after_commit(instance.file.storage.delete, instance.file.name)


def on_adoption_confirmed(sender, adoption, **kwargs):
    tasks.after_commit(tasks.send_follower_adoption.enqueue, adoption.pk)
    tasks.after_commit(hooks.run_hooks, hooks.ADOPTION_CONFIRMED, adoption)


def on_challenge_published(instance, revision):
    """A challenge published with a new outcome: its followers hear of it."""
    from . import following
    from .models import ChallengePageMixin

    if not isinstance(instance, ChallengePageMixin) or revision is None:
        return
    if following.outcome_changed(instance, revision):
        tasks.after_commit(tasks.send_follower_outcome.enqueue, revision.pk)


def on_page_changed(sender, instance, **kwargs):
    """A page was published, unpublished or deleted: the caches that show it start afresh."""
    from .caching import IDEAS, SHOWCASE
    from .models import ChallengePageMixin, InnovationPageMixin, PortfolioPageMixin

    if isinstance(instance, InnovationPageMixin):
        SHOWCASE.bump()  # the listings
        IDEAS.bump()  # adoptions are counted by the innovation's unit
    elif isinstance(instance, ChallengePageMixin):
        IDEAS.bump()  # the figures name challenges by their titles
    elif isinstance(instance, PortfolioPageMixin):
        SHOWCASE.bump()  # which portfolio page public ideas link to (page_types)


def on_settings_saved(sender, instance, created, **kwargs):
    """Changed settings (the feedback promise) change the cached settings and figures; a
    site's settings created on first use hold the defaults they were counted with."""
    from .caching import IDEAS, SETTINGS

    if not created:
        SETTINGS.bump()
        IDEAS.bump()


def on_request_started(sender, **kwargs):
    """A request reads the cache generations once, the first time it needs one."""
    from .caching import start_request

    start_request()


def on_request_finished(sender, **kwargs):
    from .caching import end_request

    end_request()


def on_idea_saved(sender, instance, created=False, update_fields=None, raw=False, **kwargs):
    if not raw:
        stats.idea_saved(instance, created, update_fields)


def on_idea_deleting(sender, instance, **kwargs):
    stats.idea_deleting(instance)


def on_idea_deleted(sender, instance, **kwargs):
    stats.idea_deleted(instance)


def on_event_changed(sender, instance, created=False, raw=False, **kwargs):
    if not raw:
        stats.event_changed(instance, created)


def on_pilot_changed(sender, instance, raw=False, **kwargs):
    if not raw and instance.idea_id:
        stats.retally(instance.idea_id)


def on_goals_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if not reverse:
        stats.retally(instance.pk)
    elif pk_set:
        for idea_pk in pk_set:
            stats.retally(idea_pk)
    else:  # a goal cleared of every idea: seldom, so everything is counted afresh
        stats.recount()


def on_unit_deleted(sender, instance, **kwargs):
    stats.cell_deleted(unit_pk=instance.pk)


def on_page_deleted(sender, instance, **kwargs):
    from wagtail.models import Page

    if isinstance(instance, Page):
        stats.cell_deleted(challenge_pk=instance.pk)


def connect():
    from django.contrib.auth import get_user_model
    from django.core.signals import request_finished, request_started
    from django.db.models.signals import m2m_changed, post_delete, post_save
    from wagtail.models import PageViewRestriction, Site
    from wagtail.signals import page_published, page_unpublished, post_page_move

    from .caching import IDEAS, SETTINGS, SHOWCASE
    from .models import (
        Adoption,
        Idea,
        IdeaAttachment,
        IdeaEvent,
        OrganisationUnit,
        Pilot,
        PortfolioEntry,
        Sluice,
        SluiceSite,
        SlussSettings,
        TaggedIdea,
    )

    # With a process-local cache the generations are read from the database once a request.
    request_started.connect(on_request_started, dispatch_uid="sluss_wagtail.request_started")
    request_finished.connect(on_request_finished, dispatch_uid="sluss_wagtail.request_finished")

    post_delete.connect(
        on_attachment_deleted, sender=IdeaAttachment, dispatch_uid="sluss_wagtail.attachment"
    )

    # The showcase's cached listings (and the figures' labels) are out of date after any
    # of these; without a sender, so a host site's own page models count as well.
    for signal in (page_published, page_unpublished, post_delete):
        signal.connect(on_page_changed, dispatch_uid=f"sluss_wagtail.page_changed.{id(signal)}")
    post_page_move.connect(SHOWCASE.bump, dispatch_uid="sluss_wagtail.showcase_move")
    for signal in (post_save, post_delete):
        signal.connect(
            SHOWCASE.bump,
            sender=PageViewRestriction,
            dispatch_uid=f"sluss_wagtail.showcase_restriction.{id(signal)}",
        )

    # What is counted over the ideas (statistics, the inbox's counts) is out of date after
    # a change of an idea, of what is counted with it, of a label the figures show
    # (a unit's name, a challenge's title), of the promise, or of who sees which ideas.
    # (A portfolio entry: which ideas are public, and the portfolio's listing with them.)
    for model in (Idea, IdeaEvent, Pilot, Adoption, TaggedIdea, OrganisationUnit, PortfolioEntry):
        for signal in (post_save, post_delete):
            signal.connect(
                IDEAS.bump,
                sender=model,
                dispatch_uid=f"sluss_wagtail.ideas.{model.__name__}.{id(signal)}",
            )
    post_save.connect(
        on_settings_saved, sender=SlussSettings, dispatch_uid="sluss_wagtail.ideas.settings"
    )
    # Each site's settings (and address), cached for the e-mails and the statistics.
    post_delete.connect(SETTINGS.bump, sender=SlussSettings, dispatch_uid="sluss_wagtail.settings")
    for signal in (post_save, post_delete):
        signal.connect(
            SETTINGS.bump, sender=Site, dispatch_uid=f"sluss_wagtail.settings.Site.{id(signal)}"
        )
        # A site's root page: which portfolio page is the site's (page_types).
        signal.connect(
            SHOWCASE.bump, sender=Site, dispatch_uid=f"sluss_wagtail.showcase.Site.{id(signal)}"
        )
    # The sluices (``models.sluices.layout()``: which site is whose, who coordinates the
    # default sluice): the cached layout, and what each coordinator is counted to see.
    for model in (Sluice, SluiceSite):
        for signal in (post_save, post_delete):
            for generation in (SETTINGS, IDEAS):
                signal.connect(
                    generation.bump,
                    sender=model,
                    dispatch_uid=f"sluss_wagtail.sluices.{model.__name__}.{generation.name}"
                    f".{id(signal)}",
                )
    # (``sluice.sites.add()`` bulk-creates its ``SluiceSite`` rows: m2m_changed only.)
    for through in (Sluice.coordinator_groups.through, Sluice.sites.through):
        for generation in (SETTINGS, IDEAS):
            m2m_changed.connect(
                generation.bump,
                sender=through,
                dispatch_uid=f"sluss_wagtail.sluices.{through.__name__}.{generation.name}",
            )
    # (taggit adds tags with bulk_create: its m2m_changed is the one signal.)
    for through in (Idea.sdgs.through, TaggedIdea, get_user_model().groups.through):
        m2m_changed.connect(
            IDEAS.bump, sender=through, dispatch_uid=f"sluss_wagtail.ideas.{through.__name__}"
        )

    # The statistics' counts, in the transaction of the change (``stats.retally``).
    from django.db.models.signals import pre_delete

    post_save.connect(on_idea_saved, sender=Idea, dispatch_uid="sluss_wagtail.tally.idea")
    pre_delete.connect(on_idea_deleting, sender=Idea, dispatch_uid="sluss_wagtail.tally.deleting")
    post_delete.connect(on_idea_deleted, sender=Idea, dispatch_uid="sluss_wagtail.tally.deleted")
    for model, receiver in ((IdeaEvent, on_event_changed), (Pilot, on_pilot_changed)):
        for signal in (post_save, post_delete):
            signal.connect(
                receiver,
                sender=model,
                dispatch_uid=f"sluss_wagtail.tally.{model.__name__}.{id(signal)}",
            )
    m2m_changed.connect(
        on_goals_changed, sender=Idea.sdgs.through, dispatch_uid="sluss_wagtail.tally.goals"
    )
    post_delete.connect(
        on_unit_deleted, sender=OrganisationUnit, dispatch_uid="sluss_wagtail.tally.unit"
    )
    post_delete.connect(on_page_deleted, dispatch_uid="sluss_wagtail.tally.challenge")

    # Without a sender: the innovation pages are the pages app's or the site's own.
    page_published.connect(on_page_published, dispatch_uid="sluss_wagtail.innovation_published")
    idea_submitted.connect(on_idea_submitted, dispatch_uid="sluss_wagtail.idea_submitted")
    idea_moved.connect(on_idea_moved, dispatch_uid="sluss_wagtail.idea_moved")
    # Development starts: the giver is asked about taking part (``dialogue``).
    from .dialogue import on_idea_moved as ask_when_development_starts

    idea_moved.connect(ask_when_development_starts, dispatch_uid="sluss_wagtail.dialogue")
    unit_assigned.connect(on_unit_assigned, dispatch_uid="sluss_wagtail.unit_assigned")
    coach_assigned.connect(on_coach_assigned, dispatch_uid="sluss_wagtail.coach_assigned")
    adoption_confirmed.connect(
        on_adoption_confirmed, dispatch_uid="sluss_wagtail.adoption_confirmed"
    )
    message_to_giver.connect(on_message_to_giver, dispatch_uid="sluss_wagtail.message_to_giver")
    giver_answered.connect(on_giver_answered, dispatch_uid="sluss_wagtail.giver_answered")
    confirmation_requested.connect(
        on_confirmation_requested, dispatch_uid="sluss_wagtail.confirmation_requested"
    )


def on_post_migrate(sender, using="default", **kwargs):
    """SQLite: put back the triggers of the ideas' full-text index that a remade table lost
    (``fts_index.repair``); the similar-idea search then asks again whether it has one."""
    from django.db import connections

    if fts_index.repair(connections[using]):
        similar._BACKENDS.pop(using, None)
    # The statistics' counts of ideas that came before them (an upgrade to the version
    # that keeps them): counted once, at the first migrate that finds none.
    from .models import Idea, IdeaTally

    connection = connections[using]
    if (
        IdeaTally._meta.db_table in connection.introspection.table_names()
        and not IdeaTally.objects.using(using).exists()
        and Idea.objects.using(using).exists()
    ):
        stats.recount()
