"""Registration with Wagtail only, one function per hook; the admin is ``sluss_wagtail.admin``."""

from wagtail import hooks

from .admin import (
    SlussAdminGroup,
    assessment,
    benefits,
    dialogue,
    emails,
    importing,
    insight,
    intake,
    privacy,
    publishing,
    waiting,
)

#: The sluice in the admin menu: the inbox of ideas and the organisation units.
sluss_admin = SlussAdminGroup()
sluss_admin.register_admin_url_finders()


@hooks.register("register_admin_urls")
def register_admin_urls():
    return sluss_admin.get_admin_urls_for_registration()


@hooks.register("register_admin_menu_item")
def register_admin_menu_item():
    return sluss_admin.get_menu_item()


@hooks.register("register_permissions")
def register_permissions():
    return sluss_admin.get_permissions_for_registration()


# Personal data: attachments, right of access, erasure (``sluss_wagtail.admin.privacy``).


@hooks.register("register_admin_urls")
def register_privacy_admin_urls():
    return privacy.admin_urls()


@hooks.register("register_admin_menu_item")
def register_personal_data_menu_item():
    return privacy.personal_data_menu_item()


# Insight for coordinators: the dashboard panel and the reports (``sluss_wagtail.admin.insight``).


@hooks.register("construct_homepage_panels")
def construct_homepage_panels(request, panels):
    insight.construct_homepage_panels(request, panels)


@hooks.register("register_admin_urls")
def register_admin_urls_for_reports():
    return insight.report_urls()


@hooks.register("register_reports_menu_item")
def register_innovation_report_menu_item():
    return insight.innovation_report_menu_item()


@hooks.register("register_reports_menu_item")
def register_register_export_menu_item():
    return insight.register_export_menu_item()


# Import from another installation's feed: no menu item (it would cost a permission
# query on every admin page): a button in the header of each showcase page in the explorer.
@hooks.register("register_admin_urls")
def register_import_admin_urls():
    return importing.admin_urls()


@hooks.register("register_page_header_buttons")
def register_page_header_buttons(page, user, view_name, next_url=None):
    return importing.page_header_buttons(page, user, view_name, next_url)


# An innovation of a confidential idea is never published; the editor is told why
# (``sluss_wagtail.admin.publishing``; the refusal is ``InnovationPageMixin.save()``).
@hooks.register("before_edit_page")
def before_edit_page(request, page):
    return publishing.before_edit_page(request, page)


@hooks.register("before_publish_page")
def before_publish_page(request, page):
    return publishing.before_publish_page(request, page)


@hooks.register("construct_page_action_menu")
def construct_page_action_menu(menu_items, request, context):
    publishing.construct_page_action_menu(menu_items, request, context)


@hooks.register("before_bulk_action")
def before_bulk_action(request, action_type, objects, action_class_instance):
    return publishing.before_bulk_action(request, action_type, objects, action_class_instance)


# E-mails about ideas that did not go out (``sluss_wagtail.admin.emails``).
@hooks.register("register_admin_urls")
def register_unsent_emails_admin_urls():
    return emails.admin_urls()


@hooks.register("register_reports_menu_item")
def register_unsent_emails_menu_item():
    return emails.unsent_emails_menu_item()


# "Waiting for me" on the dashboard: the ideas one coaches, the assessments one owes, the
# givers' answers not yet read, the follow-ups due (``sluss_wagtail.admin.waiting``).
@hooks.register("construct_homepage_panels")
def construct_waiting_for_me_panel(request, panels):
    waiting.construct_homepage_panels(request, panels)


# Assisted intake (``sluss_wagtail.admin.intake``).
@hooks.register("register_admin_urls")
def register_intake_admin_urls():
    return intake.admin_urls()


@hooks.register("register_admin_menu_item")
def register_intake_menu_item():
    return intake.intake_menu_item()


# The dialogue with the idea giver: writing to them (``sluss_wagtail.admin.dialogue``).
@hooks.register("register_admin_urls")
def register_dialogue_admin_urls():
    return dialogue.admin_urls()


# Benefits realisation: the owner's follow-up page (``sluss_wagtail.admin.benefits``).
@hooks.register("register_admin_urls")
def register_benefit_admin_urls():
    return benefits.admin_urls()


# Assessment by criteria: what waits for an assessor, and their form
# (``sluss_wagtail.admin.assessment``; the coordinators' actions are on the idea's page).
@hooks.register("register_admin_urls")
def register_assessment_admin_urls():
    return assessment.admin_urls()


@hooks.register("register_admin_menu_item")
def register_assessment_menu_item():
    return assessment.waiting_menu_item()
