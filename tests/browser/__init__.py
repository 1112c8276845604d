"""Browser tests: the public pages in a real Chromium (Playwright), checked with axe-core."""
