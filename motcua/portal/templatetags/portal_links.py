"""Links the portal shows only when the app behind them is installed (the PAKN form)."""

from django import template
from django.urls import NoReverseMatch, reverse

register = template.Library()


@register.simple_tag
def feedback_url(code: str = "") -> str:
    """The public feedback / complaint (PAKN) form, with the dossier's code when given; ''
    while the feedback app does not provide it."""
    try:
        url = reverse("feedback_public:feedback_new")
    except NoReverseMatch:
        return ""
    return f"{url}?ho_so={code}" if code else url
