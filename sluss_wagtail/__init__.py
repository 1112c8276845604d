"""sluss_wagtail: an innovation sluice (idésluss) for a municipality's Wagtail site."""

__version__ = "0.1.0.dev0"
