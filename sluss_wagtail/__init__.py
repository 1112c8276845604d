"""sluss_wagtail: an innovation sluice (idésluss) for a municipality's Wagtail site."""

__version__ = "0.1.0"

#: The package's app label: its permissions are ``f"{APP_LABEL}.<codename>"``. Here, at
#: the bottom of the package, so that any module may name it (``apps.py`` is the top).
APP_LABEL = "sluss_wagtail"
