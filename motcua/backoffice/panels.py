"""Panels other apps add to the officer's dossier page, so that payments, post and documents each own
their part of the page without editing the dossier views.

An app adds a panel by defining `dossier_panel(request, dossier) -> Panel | None` (the Panel of
motcua.core.panels) in its module `motcua/<app>/panels.py` and listing that module in DOSSIER_PANEL_MODULES (the order on the page).
A panel renders its own template with its own context; its forms post to the app's own URLs.
"""

from importlib import import_module

from motcua.core.panels import Panel

DOSSIER_PANEL_MODULES = (
    "motcua.payments.panels",
    "motcua.postal.panels",
    "motcua.documents.panels",
    "motcua.portal.panels",
    "motcua.eforms.panels",
)


def dossier_panels(request, dossier) -> list[Panel]:
    """The panels every installed app has for this dossier and this officer, in page order."""
    panels = []
    for module_name in DOSSIER_PANEL_MODULES:
        try:
            module = import_module(module_name)
        except ModuleNotFoundError as error:
            if error.name != module_name:
                raise
            continue  # the app has no panel (yet)
        panel = module.dossier_panel(request, dossier)
        if panel is not None:
            panels.append(panel)
    return panels
