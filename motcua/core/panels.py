"""A panel of the officer's dossier page: what an app (payments, post, documents, the portal) adds
to the page without editing the dossier views. The value lives here, in core, so that domain apps
can build their panels without importing the back office; the back office lists the panel modules
and renders them (motcua.backoffice.panels)."""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Panel:
    title: str
    template: str
    context: dict = field(default_factory=dict)
