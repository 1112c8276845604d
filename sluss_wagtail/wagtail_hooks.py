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


# Import from another installation's feed: no menu item (it would cost a permission
# query on every admin page); the showcase's editors find it at /admin/sluss_wagtail/import/.
@hooks.register("register_admin_urls")
def register_import_admin_urls():
    from django.urls import path

    from .admin import importing

    return [path("sluss_wagtail/import/", importing.import_view, name=importing.URL_NAME)]
