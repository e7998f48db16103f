import os

# Playwright's sync API keeps an event loop running in the test thread; Django would otherwise
# refuse database access from it.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

# Fixtures shared across test packages (the desk fixture is used by dossier, back-office and
# browser tests alike).
pytest_plugins = ["tests.dossiers.fixtures", "tests.browser.fixtures"]
