"""The citizens' dossier ratings of one month, counted for the national portal's satisfaction
summary (motcua.dvcqg.ratings_faq, DongBoDanhGia): registered with the domain in apps.py, so the
domain never imports the portal (tests/test_layers.py)."""

from datetime import datetime

from django.db.models import Count, Q

from motcua.dvcqg.ratings_faq import RatingQuestion

from .models import DossierRating
from .services import RATING_FIELDS


def _label(name: str) -> str:
    field = DossierRating._meta.get_field(name)
    return str(getattr(field, "verbose_name", name)).capitalize()


def dossier_ratings_month(start: datetime, end: datetime) -> tuple[int, list[RatingQuestion]]:
    """Per rating question, the answers scored 2 (Tốt), 1 (Đạt) and 0 (Không đạt), read as very
    satisfied, satisfied and not satisfied (our reading; docs/dvcqg.md)."""
    ratings = DossierRating.objects.filter(created_at__gte=start, created_at__lt=end)
    counts = ratings.aggregate(
        raters=Count("pk"),
        **{
            f"{name}_{score}": Count("pk", filter=Q(**{name: score}))
            for name in RATING_FIELDS
            for score in (0, 1, 2)
        },
    )
    questions = [
        RatingQuestion(
            text=_label(name),
            very_satisfied=counts[f"{name}_2"],
            satisfied=counts[f"{name}_1"],
            not_satisfied=counts[f"{name}_0"],
        )
        for name in RATING_FIELDS
    ]
    return counts["raters"], questions
