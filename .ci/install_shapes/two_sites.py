"""Two sites, a public site and an intranet: each speaks for the ideas sent through it.

The intranet is a second Wagtail site with its own root page and its own *Innovation sluice
settings*; an idea sent through it is answered from the intranet's sender, with its promise
and a status link on its host — and the public site's idea from the public site's.
"""

from django.conf import settings
from journey import add_idea_page, send_an_idea
from wagtail.models import Page, Site

from sluss_wagtail.models import SlussSettings

public = Site.objects.get(is_default_site=True)
intranet_home = Page.get_first_root_node().add_child(
    instance=Page(title="Intranet", slug="intranet")
)
intranet = Site.objects.create(
    hostname="intranet.localhost", port=80, root_page=intranet_home, site_name="Intranet"
)
for site, sender, days in (
    (public, "ideas@public.example.invalid", 14),
    (intranet, "ideas@intranet.example.invalid", 5),
):
    site_settings = SlussSettings.for_site(site)
    site_settings.from_email = sender
    site_settings.feedback_promise_days = days
    site_settings.save()

# The default site's links use the configured public address (WAGTAILADMIN_BASE_URL, which
# `wagtail start` sets); every other site's its own hostname.
for site, host, sender, address in (
    (
        intranet,
        "intranet.localhost",
        "ideas@intranet.example.invalid",
        "http://intranet.localhost/",
    ),
    (public, "localhost", "ideas@public.example.invalid", settings.WAGTAILADMIN_BASE_URL),
):
    idea, receipt = send_an_idea(add_idea_page(site), host=host, title=f"Benches ({host})")
    assert f"From: {sender}" in receipt, f"the receipt through {host} is not from {sender}"
    assert f"{address.rstrip('/')}/idesluss/status/" in receipt, (
        f"the status link is not on {address}"
    )
    print(f"through {host}: the receipt is from {sender}, its status link on {address}")
