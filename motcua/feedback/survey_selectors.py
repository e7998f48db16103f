"""Reads of the surveys: a campaign's questions in order, and results per aspect with the overall
index.

Formula (SIPAS style, vn-regulations §5.1): for each aspect, satisfied % = answers scored 4
("hài lòng") or 5 ("rất hài lòng") ÷ answers with a score (a "không trả lời" is left out) × 100;
the mean is the average score of those answers. The overall index is the mean of the aspects'
satisfied %, every aspect weighing the same (no weights are hard-coded).
"""

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Q, QuerySet, Sum

from .models import Answer, Aspect, Campaign, Response

SATISFIED_FROM = 4


@dataclass(frozen=True)
class AspectResult:
    name: str
    answers: int
    mean: float | None
    satisfied_pct: float | None


@dataclass(frozen=True)
class SurveyResults:
    forms: int
    aspects: list[AspectResult]
    index_pct: float | None


def campaign_aspects(campaign: Campaign) -> list[Aspect]:
    """The campaign's aspects with their questions, in order (two queries)."""
    return list(
        Aspect.objects.filter(questionnaire_id=campaign.questionnaire_id)
        .prefetch_related("questions")
        .order_by("position")
    )


def campaign_by_slug(slug: str) -> Campaign | None:
    return Campaign.objects.select_related("questionnaire").filter(slug=slug).first()


def campaigns_list() -> QuerySet:
    return Campaign.objects.annotate(forms=Count("responses")).order_by("-year", "-quarter")


def survey_results(responses: QuerySet) -> SurveyResults:
    """Results over `responses` (any filter): one aggregate query over the answers by aspect."""
    rows = (
        Answer.objects.filter(response__in=responses, score__isnull=False)
        .values("question__aspect__position", "question__aspect__name")
        .annotate(
            n=Count("pk"),
            total=Sum("score"),
            satisfied=Count("pk", filter=Q(score__gte=SATISFIED_FROM)),
        )
        .order_by("question__aspect__position", "question__aspect__name")
    )
    aspects: dict[str, list[int]] = {}
    for row in rows:
        # Aspects are matched by name, so several questionnaires with the SIPAS aspects add up.
        counts = aspects.setdefault(row["question__aspect__name"], [0, 0, 0])
        counts[0] += row["n"]
        counts[1] += row["total"]
        counts[2] += row["satisfied"]
    results = [
        AspectResult(
            name=name,
            answers=n,
            mean=round(total / n, 2) if n else None,
            satisfied_pct=round(100 * satisfied / n, 1) if n else None,
        )
        for name, (n, total, satisfied) in aspects.items()
    ]
    # The index from the unrounded shares, so rounding happens once.
    scored = [100 * satisfied / n for n, _, satisfied in aspects.values() if n]
    index = round(sum(scored) / len(scored), 1) if scored else None
    return SurveyResults(forms=responses.count(), aspects=results, index_pct=index)


def responses_in_period(date_from: date, date_to: date) -> QuerySet:
    return Response.objects.filter(surveyed_on__gte=date_from, surveyed_on__lte=date_to)


def campaign_results(campaign: Campaign) -> SurveyResults:
    return survey_results(Response.objects.filter(campaign=campaign))
