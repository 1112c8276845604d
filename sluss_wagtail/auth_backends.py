"""The authentication backend that throttles the admin login (see ``login_throttle``)."""

from axes.backends import AxesStandaloneBackend


class LoginThrottleBackend(AxesStandaloneBackend):
    """django-axes' backend, for a login that comes with a request.

    A sign-in through a form (Wagtail's login view, any other view) has a request and
    is counted and refused as axes does. ``authenticate()`` without a request (a
    management command, a script, the test client's ``login()``) has no client
    address to count and is left to the next backend, where axes' own backend would
    raise an error and break it. Put this backend first in AUTHENTICATION_BACKENDS.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
