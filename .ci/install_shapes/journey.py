"""What every shape of install_check.sh asks of its new site: the whole way a person goes.

Imported by the shapes' scripts (``<shape>.py``, run in the new site's ``manage.py shell``):
an idea submission page under a site's root page, the form sent once through that site's
host, the confirmation read, the receipt e-mail (printed by the new site's console backend)
and the status link opened. ``send_an_idea`` returns the idea and the receipt, so a shape
can ask more of them.
"""

import contextlib
import io
import re
import time

from django.test import Client

from sluss_wagtail import page_types
from sluss_wagtail.conf import sluss_settings
from sluss_wagtail.models import Idea


def add_idea_page(site, title="Submit an idea", slug="submit-an-idea"):
    """The site's idea submission page (whichever page class plays that part)."""
    page = page_types.get_model("idea_submission")(title=title, slug=slug)
    site.root_page.add_child(instance=page)
    page.save_revision().publish()
    return page


def send_an_idea(page, host="", title="Benches by the lake"):
    client = Client(HTTP_HOST=host) if host else Client()
    url = page.get_url(request=None, current_site=page.get_site())
    response = client.get(url)
    html = response.content.decode()
    assert response.status_code == 200, f"GET {url}: {response.status_code}"
    assert 'name="title"' in html, f"GET {url}: no title field in the form"
    print("GET", host, url, response.status_code, "- the form is there")

    token = re.search(r'name="form_token" value="([^"]+)"', html).group(1)
    time.sleep(sluss_settings.MIN_FILL_SECONDS + 0.5)
    console = io.StringIO()  # the new site prints e-mails on the console (settings/dev.py)
    with contextlib.redirect_stdout(console):
        response = client.post(
            url,
            {
                "form_token": token,
                "title": title,
                "description": "Put benches along the path round the lake.",
                "need": "Older people cannot walk the whole way without a rest.",
                "beneficiaries": "Older people and parents with small children",
                "submitter_kind": "resident",
                "name": "Karin Lund",
                "email": "karin@example.invalid",
                "publish_idea": "yes",
                "publish_name": "no",
            },
            follow=True,
        )
    assert response.status_code == 200, f"POST {url}: {response.status_code}"
    idea = Idea.objects.get(title=title)
    assert idea.reference in response.content.decode(), "no reference number on the confirmation"
    print("POST", url, "->", response.redirect_chain[-1][0], "- idea", idea.reference)
    receipt = console.getvalue()
    assert "To: karin@example.invalid" in receipt and idea.reference in receipt, "no receipt"
    print("receipt e-mail sent to karin@example.invalid")

    status_url = idea.get_status_url()
    assert "/idesluss/status/" in status_url, status_url
    response = client.get(status_url)
    assert response.status_code == 200, f"GET {status_url}: {response.status_code}"
    print("GET /idesluss/status/…/", response.status_code)
    return idea, receipt
