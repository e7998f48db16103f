"""{% load progress %}{% include "portal/_progress.html" with p=status|dossier_progress %}"""

from django import template

from motcua.dossiers.progress import Progress
from motcua.dossiers.progress import dossier_progress as progress_of

register = template.Library()


@register.filter
def dossier_progress(status: str) -> Progress:
    return progress_of(status)
