"""Registration with Wagtail only, one function per hook; the admin is ``sluss_wagtail.admin``."""

from wagtail import hooks

from .admin import SlussAdminGroup

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


@hooks.register("register_admin_urls")
def register_privacy_admin_urls():
    from django.urls import path

    from .admin import privacy

    return [
        path(
            "sluss_wagtail/attachments/<int:pk>/",
            privacy.attachment_download,
            name="sluss_wagtail_attachment_download",
        ),
        path(
            "sluss_wagtail/personal-data/",
            privacy.PersonalDataView.as_view(),
            name="sluss_wagtail_personal_data",
        ),
    ]


@hooks.register("register_admin_menu_item")
def register_personal_data_menu_item():
    from .admin.privacy import personal_data_menu_item

    return personal_data_menu_item()
