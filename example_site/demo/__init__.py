"""The example site's demo: ``manage.py sluss_demo`` builds a believable sluice to try.

It lives in the example site, not in the package: it creates a known admin login and
demo content, which no production site should ship.
"""
