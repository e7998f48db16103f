"""Reads of the HR records: who was where on a date, posts filled against their quotas, and the
breakdowns the reports need. Every count takes a date (or a period) and optionally a set of unit ids.
"""

from collections import Counter
from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404

from motcua.org.models import UnitKind

from .models import (
    DEGREE_RANK,
    Appointment,
    Category,
    Course,
    Placement,
    Post,
    Qualification,
    SalaryRaise,
    StaffMember,
)
from .permissions import require_staff_records


def _on(day: date) -> Q:
    """Placements running on `day` (start inclusive, end exclusive)."""
    return Q(start_date__lte=day) & (Q(end_date__isnull=True) | Q(end_date__gt=day))


def posts_on(day: date, unit_ids: set[int] | None = None) -> QuerySet:
    """Posts that exist on `day`, each with `filled` (people placed in it that day)."""
    posts = Post.objects.filter(valid_from__lte=day).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=day)
    )
    if unit_ids is not None:
        posts = posts.filter(unit_id__in=unit_ids)
    filled = Count(
        "placements",
        filter=Q(placements__start_date__lte=day)
        & (Q(placements__end_date__isnull=True) | Q(placements__end_date__gt=day)),
    )
    return posts.select_related("unit").annotate(filled=filled)


def placements_on(day: date, unit_ids: set[int] | None = None) -> QuerySet:
    placements = Placement.objects.filter(_on(day)).filter(
        Q(staff__end_date__isnull=True) | Q(staff__end_date__gt=day), staff__start_date__lte=day
    )
    if unit_ids is not None:
        placements = placements.filter(post__unit_id__in=unit_ids)
    return placements


def staff_on(day: date, unit_ids: set[int] | None = None) -> QuerySet:
    """People at work on `day` (in `unit_ids` when given), one row each."""
    ids = placements_on(day, unit_ids).values("staff_id")
    return StaffMember.objects.filter(pk__in=ids)


@dataclass(frozen=True)
class CategoryCount:
    staff: int
    posts: int  # sum of the quotas
    vacant: int


@dataclass(frozen=True)
class OrganisationSummary:
    day: date
    units: int
    by_category: dict[str, CategoryCount]
    qualifications: dict[str, int]
    political_theory: dict[str, int]


def organisation_on(day: date, unit_ids: set[int] | None = None) -> OrganisationSummary:
    """Head counts, posts and vacancies by category, highest qualification and political theory
    of the people at work on `day`."""
    posts = list(posts_on(day, unit_ids))
    staff = list(staff_on(day, unit_ids).only("pk", "category", "political_theory"))
    by_category = {}
    for category in Category:
        cat_posts = [p for p in posts if p.category == category]
        by_category[category.value] = CategoryCount(
            staff=sum(1 for s in staff if s.category == category),
            posts=sum(p.quota for p in cat_posts),
            vacant=sum(max(p.quota - p.filled, 0) for p in cat_posts),
        )
    # Units counted: divisions and centres holding a post that day (the "Phòng, Trung tâm").
    units = {p.unit_id for p in posts if p.unit.kind in (UnitKind.DIVISION, UnitKind.CENTRE)}
    return OrganisationSummary(
        day=day,
        units=len(units),
        by_category=by_category,
        qualifications=highest_qualifications([s.pk for s in staff], day),
        political_theory=dict(Counter(s.political_theory or "none" for s in staff)),
    )


def qualification_key(level: str, is_law: bool) -> str:
    """'master' + law → 'master_law'; the driving certificate and other vocational training →
    'vocational_other' (the seed's "trình độ lái xe")."""
    return f"{level}_{'law' if is_law else 'other'}"


def highest_qualifications(staff_ids: list[int], day: date) -> dict[str, int]:
    """Each person's highest degree held on `day` (law first between equals), counted by key;
    people with none recorded count as 'none'."""
    best: dict[int, tuple[int, int, str]] = {}
    rows = Qualification.objects.filter(staff_id__in=staff_ids).filter(
        Q(awarded_on__isnull=True) | Q(awarded_on__lte=day)
    )
    for staff_id, level, is_law in rows.values_list("staff_id", "level", "is_law"):
        candidate = (DEGREE_RANK[level], 0 if is_law else 1, qualification_key(level, is_law))
        if staff_id not in best or candidate < best[staff_id]:
            best[staff_id] = candidate
    counts = Counter(key for _, _, key in best.values())
    missing = len(set(staff_ids) - set(best))
    if missing:
        counts["none"] = missing
    return dict(counts)


@dataclass(frozen=True)
class CivilServiceActivity:
    appointments: dict[str, dict[str, int]]  # kind → category → count
    early_salary_raises: dict[str, dict[str, int]]  # status → category → count
    courses: int


def civil_service_activity(
    date_from: date, date_to: date, unit_ids: set[int] | None = None
) -> CivilServiceActivity:
    """Appointments, early salary raises and courses started in the period."""

    def scoped(qs):
        if unit_ids is None:
            return qs
        in_units = placements_on(date_to, unit_ids).values("staff_id")
        return qs.filter(staff_id__in=in_units)

    def by(qs, key):
        result: dict[str, dict[str, int]] = {}
        for group, category in qs.values_list(key, "staff__category"):
            result.setdefault(group, {}).setdefault(category, 0)
            result[group][category] += 1
        return result

    period = {"decided_on__gte": date_from, "decided_on__lte": date_to}
    return CivilServiceActivity(
        appointments=by(scoped(Appointment.objects.filter(**period)), "kind"),
        early_salary_raises=by(scoped(SalaryRaise.objects.filter(**period)), "status"),
        courses=scoped(
            Course.objects.filter(starts_on__gte=date_from, starts_on__lte=date_to)
        ).count(),
    )


# --- Pages -------------------------------------------------------------------------------------


def staff_list(user, *, day: date, query: str = "", unit_ids: set[int] | None = None) -> QuerySet:
    """People at work on `day`, by name, with their placement that day (no N+1)."""
    from motcua.core.text import fold

    require_staff_records(user)
    people = staff_on(day, unit_ids)
    for word in fold(query).split()[:5]:
        people = people.filter(name_folded__contains=word)
    return people.prefetch_related(
        Prefetch(
            "placements",
            queryset=Placement.objects.filter(_on(day)).select_related("post__unit"),
            to_attr="placements_on_day",
        ),
        Prefetch("qualifications", queryset=Qualification.objects.order_by("pk")),
    ).order_by("name_folded", "pk")


def staff_record_for(user, staff_id: int) -> StaffMember:
    """The one door to a person's record: the role check before any look-up (403 before 404)."""
    require_staff_records(user)
    return get_object_or_404(
        StaffMember.objects.select_related("account").prefetch_related(
            Prefetch("placements", queryset=Placement.objects.select_related("post__unit")),
            "qualifications",
            "courses",
            "appointments",
            "salary_raises",
            "rotations__from_unit",
            "rotations__to_unit",
        ),
        pk=staff_id,
    )


# Deputies a division (Phòng, Văn phòng, Thanh tra of a Sở) may have by its civil-servant posts:
# under 10 → 1, 10–14 → 2, 15 or more → 3. Our reading of Nghị định 107/2020/NĐ-CP (amending
# Điều 6 of Nghị định 24/2014/NĐ-CP), which the seed report cites for its "01 cấp Phó dôi dư"; the
# text itself was not at hand to check (ADR 0041).
DEPUTY_LIMITS = ((15, 3), (10, 2), (0, 1))


def deputies_allowed(posts: int) -> int:
    return next(limit for floor, limit in DEPUTY_LIMITS if posts >= floor)


def _is_deputy(title: str) -> bool:
    return title.strip().lower().startswith("phó")


@dataclass(frozen=True)
class DivisionStaffing:
    code: str
    name: str
    posts: int  # civil-servant posts (sum of the quotas)
    filled: int
    deputies: int  # deputies at work on the day
    deputies_allowed: int

    @property
    def surplus_deputies(self) -> int:
        return max(self.deputies - self.deputies_allowed, 0)


def division_staffing(day: date, unit_ids: set[int] | None = None) -> list[DivisionStaffing]:
    """Each division (Văn phòng, Thanh tra, Phòng) on `day`: its civil-servant posts, how many are
    filled, and its deputies (a placement whose position, or else post title, starts with "Phó")
    against the number allowed; largest division first (the seed's order: 8, 5, 5, 5, 4)."""
    posts = [
        p
        for p in posts_on(day, unit_ids)
        if p.category == Category.CIVIL_SERVANT and p.unit.kind == UnitKind.DIVISION
    ]
    placements = (
        placements_on(day, unit_ids)
        .filter(post__in=[p.pk for p in posts])
        .values_list("post__unit_id", "position", "post__title")
    )
    deputies = Counter(
        unit for unit, position, title in placements if _is_deputy(position or title)
    )
    by_unit: dict[int, list] = {}
    for post in posts:
        by_unit.setdefault(post.unit_id, []).append(post)
    rows = []
    for unit_id, unit_posts in by_unit.items():
        quota = sum(p.quota for p in unit_posts)
        rows.append(
            DivisionStaffing(
                code=unit_posts[0].unit.code,
                name=unit_posts[0].unit.name,
                posts=quota,
                filled=sum(min(p.filled, p.quota) for p in unit_posts),
                deputies=deputies.get(unit_id, 0),
                deputies_allowed=deputies_allowed(quota),
            )
        )
    return sorted(rows, key=lambda r: (-r.posts, r.code))


def public_service_units_on(day: date, unit_ids: set[int] | None = None) -> int:
    """Public-service units (đơn vị sự nghiệp: the centres) holding a post on `day`."""
    return len({p.unit_id for p in posts_on(day, unit_ids) if p.unit.kind == UnitKind.CENTRE})
