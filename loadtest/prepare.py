"""After ``migrate`` and ``sluss_demo``: the form page to compare with, and the paths the
load test reads (printed as JSON). Run with ``loadtest.settings``."""

import json

import django


def main():
    django.setup()
    from wagtail.models import Site

    from benchmarks.models import BenchFormPage
    from benchmarks.pages import create_form_page
    from sluss_wagtail import page_types
    from sluss_wagtail.pages.models import PortfolioPage

    root = Site.objects.get(is_default_site=True).root_page
    form_page = BenchFormPage.objects.first() or create_form_page(root)
    innovation = page_types.innovation_model().objects.public().order_by("pk").first()
    portfolio = PortfolioPage.objects.live().order_by("pk").first()
    print(
        json.dumps(
            {
                "form_page": path_of(form_page),
                "innovation": path_of(innovation),
                "portfolio": path_of(portfolio),
            }
        )
    )


def path_of(page):
    """The page's path on its site (``url`` names the host when there are several sites)."""
    if page is None:
        return None
    _site, _root, path = page.get_url_parts()
    return path


if __name__ == "__main__":
    main()
