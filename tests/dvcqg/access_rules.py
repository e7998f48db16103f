"""Access exceptions of the national portal integration (merged by
tests/backoffice/test_url_access.py)."""

PUBLIC_URLS = {
    "dvcqg:file": "a dossier's file fetched by the national portal: the link's signature (with "
    "its age) is the permission, as no session can exist (motcua.dvcqg.links, ADR 0030)",
}

# The sync's page and its requeue: administrators only.
ADMIN_PREFIXES = ("/can-bo/lien-thong/",)
