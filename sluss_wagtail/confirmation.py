"""The confirmation page after a public form, without a session.

A visitor who sends an idea or registers an adoption is redirected to a confirmation
page; that page finds what was just sent through a signed, HttpOnly cookie (the idea's
status token, the adoption's key), limited to the form page's path and to half an hour.
No session is started for a visitor, so a resident gets no session cookie from the site.
"""

from urllib.parse import urlsplit

#: How long the confirmation page can be opened again after the form was sent.
MAX_AGE = 30 * 60


def remember(response, request, name, value, *, page_url):
    """Set the signed cookie ``name`` holding ``value`` on ``response``, for the paths
    under ``page_url`` (the form page's URL)."""
    response.set_signed_cookie(
        name,
        str(value),
        salt=name,
        max_age=MAX_AGE,
        path=urlsplit(page_url or "/").path,
        secure=request.is_secure(),
        httponly=True,
        samesite="Lax",
    )
    return response


def recall(request, name):
    """The value ``remember`` set under ``name``, or None (absent, forged or expired)."""
    return request.get_signed_cookie(name, default=None, salt=name, max_age=MAX_AGE)
