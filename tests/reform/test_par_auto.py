"""The sub-criteria our data answers: each figure from a small hand-counted data set, the source's
rule turned into a proposed score, accepting it or overriding it with evidence, the page that shows
the figures and the workbook the province collects."""

import copy
import io
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from motcua.accounts.roles import Role
from motcua.feedback import survey_services
from motcua.reform import services
from motcua.reform.models import ActivityKind, ParCriterion
from motcua.reform.par_auto import AUTO_FIGURES, rule_points
from motcua.reform.selectors import par_auto_rows
from tests.accounts.factories import UserFactory
from tests.indicators.helpers import import_rows, row
from tests.reform.factories import ActivityFactory, TaskFactory
from tests.reform.test_par_load import GOOD, _bytes

pytestmark = pytest.mark.django_db

FROM, TO = date(2023, 1, 1), date(2023, 6, 30)


def _satisfaction_survey(leader):
    questionnaire = survey_services.questionnaire_create(
        leader, name="Bộ thử", aspects=[("Tiếp cận", ["Chỗ ngồi"]), ("Công chức", ["Thái độ"])]
    )
    campaign = survey_services.campaign_create(
        leader, year=2023, quarter=2, starts_on=date(2023, 4, 1), ends_on=date(2023, 6, 30),
        questionnaire_id=questionnaire.pk,
    )  # fmt: skip
    ids = list(questionnaire.aspects.order_by("position").values_list("questions__pk", flat=True))
    desk = UserFactory(role=Role.DESK_OFFICER)
    for token, scores in (("a", [5, 4]), ("b", [3, 5]), ("c", [4, 2])):
        survey_services.response_record(
            desk, campaign.pk, channel="paper", token=token,
            answers=dict(zip(ids, scores, strict=True)), surveyed_on=date(2023, 5, 2),
        )  # fmt: skip


@pytest.fixture
def world(desk):
    """The Sở's H1/2023 by hand:
    dossiers — 20 received (5 online), 19 resolved before their due day, 1 resolved late:
      on time 19/20 = 95 %, online 5/20 = 25 %;
    plan tasks due in the period — 3 done by the deadline, 1 done late, 1 not done: 3/5 = 60 %;
      one more due after the period is not counted;
    legal documents — 2 reviews and 1 self-check in the period, 1 review in 2022: 3;
    satisfaction — Tiếp cận 2/3 satisfied, Công chức 2/3: index 66,7 %."""
    so = desk["units"]["so"]
    rows = [
        row(
            "2023-03-01 09:00",
            due="2023-03-15 09:00",
            finished="2023-03-14 10:00",
            channel="online" if n < 5 else "desk",
        )  # fmt: skip
        for n in range(19)
    ]
    rows.append(row("2023-03-01 09:00", due="2023-03-15 09:00", finished="2023-03-16 10:00"))
    import_rows(rows)
    for deadline, done in (
        (date(2023, 3, 31), date(2023, 3, 30)),
        (date(2023, 4, 28), date(2023, 4, 28)),
        (date(2023, 5, 31), date(2023, 5, 2)),
        (date(2023, 5, 31), date(2023, 6, 5)),
        (date(2023, 6, 30), None),
        (date(2023, 9, 29), date(2023, 6, 1)),
    ):
        TaskFactory(unit=so, plan__unit=so, deadline=deadline, completed_on=done)
    ActivityFactory(unit=so, done_on=date(2023, 2, 1))
    ActivityFactory(unit=so, done_on=date(2023, 6, 30))
    ActivityFactory(unit=so, kind=ActivityKind.SELF_CHECK, done_on=date(2023, 4, 3))
    ActivityFactory(unit=so, done_on=date(2022, 12, 30))
    _satisfaction_survey(desk["leader"])
    data = copy.deepcopy(GOOD)
    data["criteria"][1]["children"].append(
        {
            "code": "2.4",
            "title": "Mức độ hài lòng",
            "max_points": 2,
            "auto": "satisfaction_pct",
            "rule": {"kind": "bands", "bands": [{"min": 80, "points": 2}, {"min": 0, "points": 1}]},
        }
    )
    assessment = services.par_tree_load(None, _bytes(data), unit=so)
    return {**desk, "assessment": assessment}


def test_each_figure_is_counted_by_its_selector(world):
    so = world["units"]["so"].code
    figures = {key: auto.compute(FROM, TO, so) for key, auto in AUTO_FIGURES.items()}
    on_time = figures["dossiers_on_time_pct"]
    assert (on_time.value, on_time.numerator, on_time.denominator) == (Decimal("95.0"), 19, 20)
    online = figures["dossiers_online_pct"]
    assert (online.value, online.numerator, online.denominator) == (Decimal("25.0"), 5, 20)
    tasks = figures["plan_tasks_on_time_pct"]
    assert (tasks.value, tasks.numerator, tasks.denominator) == (Decimal("60.0"), 3, 5)
    assert tasks.parts == {"due": 5, "on_time": 3, "late": 1, "not_done": 1}
    legal = figures["legal_documents_checked"]
    assert (legal.value, legal.parts) == (3, {"self_checked": 1, "checked": 0, "reviewed": 2})
    assert figures["satisfaction_pct"].value == Decimal("66.7")


def test_the_rules_of_the_source_propose_the_scores(world):
    assessment = world["assessment"]
    rows = {r.node.criterion.code: r for r in par_auto_rows(assessment).values()}
    assert rows["1.1"].figure == "95 % (19/20)"
    assert rows["1.1"].proposed == 2  # 95 % reaches the 95 band: 2 of 4 points
    assert rows["1.2"].proposed == Decimal("0.50")  # 2 × 25 %
    assert rows["2.2"].proposed is None  # no rule in the file: nothing proposed
    assert rows["2.3"].proposed == 1  # done at least once: the maximum
    assert rows["2.4"].proposed == 1  # 66,7 % < 80 %
    assert rows["1.1"].selector == "motcua.indicators.selectors.dossier_counts"


@pytest.mark.parametrize(
    ("figure", "points"),
    [("100", 4), ("99.9", 2), ("95", 2), ("94.9", 0), ("0", 0)],
)
def test_bands_are_inclusive_at_their_lower_edge(figure, points):
    rule = GOOD["criteria"][0]["children"][0]["rule"]
    assert rule_points(rule, Decimal(figure), Decimal(4)) == points


def test_accepting_writes_the_figure_as_evidence_and_overriding_needs_evidence(world):
    criterion = world["assessment"].criteria.get(code="1.1")
    services.par_auto_accept(None, criterion.pk)
    criterion.refresh_from_db()
    assert (criterion.self_score, criterion.score_basis) == (2, "auto")
    assert "95 % (19/20)" in criterion.evidence and "dossier_counts" in criterion.evidence
    with pytest.raises(ValidationError, match="phải ghi tài liệu kiểm chứng"):
        services.par_self_score(None, criterion.pk, score="3", evidence="")
    criterion.refresh_from_db()
    assert (criterion.self_score, criterion.score_basis) == (2, "auto")
    services.par_self_score(None, criterion.pk, score="3", evidence="Báo cáo số 12/BC-STP")
    criterion.refresh_from_db()
    assert (criterion.self_score, criterion.score_basis) == (3, "manual")
    without_rule = world["assessment"].criteria.get(code="2.2")
    with pytest.raises(ValidationError, match="Chưa đề xuất được điểm"):
        services.par_auto_accept(None, without_rule.pk)
    assert ParCriterion.objects.get(pk=without_rule.pk).self_score is None


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_page_shows_the_figures_and_accepting_through_it(world):
    leader = _client(world["leader"])
    assessment = world["assessment"]
    url = reverse("reform:par_detail", args=[assessment.pk])
    page = leader.get(url).content.decode()
    assert "Tiêu chí thành phần có số liệu của hệ thống" in page
    for text in ("95 % (19/20)", "25 % (5/20)", "60 % (3/5)", "66,7 %", "Quyết định số 1/QĐ-UBND"):
        assert text in page
    assert "motcua.reform.selectors.plan_tasks_due_counts" in page
    assert "Từ 100 %: 4 điểm; từ 95 %: 2 điểm; từ 0 %: 0 điểm." in page
    criterion = assessment.criteria.get(code="1.1")
    accept = reverse("reform:par_accept", args=[criterion.pk])
    assert leader.get(accept).status_code == 405
    assert _client(UserFactory(role=Role.SPECIALIST)).post(accept).status_code == 403
    assert ParCriterion.objects.get(pk=criterion.pk).self_score is None
    response = leader.post(accept, follow=True)
    assert "Đã nhận điểm đề xuất cho tiêu chí 1.1" in response.content.decode()
    assert ParCriterion.objects.get(pk=criterion.pk).self_score == 2


def test_the_workbook_has_the_tree_evidence_and_totals(world):
    assessment = world["assessment"]
    services.par_auto_accept(None, assessment.criteria.get(code="1.1").pk)
    services.par_self_score(
        None, assessment.criteria.get(code="2.1").pk, score="1,5", evidence="Kế hoạch 08/KH-STP"
    )
    response = _client(world["leader"]).get(reverse("reform:par_export", args=[assessment.pk]))
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    header = rows.index(
        [
            "STT", "Lĩnh vực/Tiêu chí/Tiêu chí thành phần", "Điểm tối đa", "Điểm tự đánh giá",
            "Điểm thẩm định", "Tài liệu kiểm chứng", "Ghi chú",
        ]
    )  # fmt: skip
    by_code = {r[0]: r for r in rows[header + 1 :]}
    assert by_code["1"][2:4] == [6, 2]  # field total: maximum 6, self-assessed 2
    assert by_code["2"][2:4] == [4, 1.5]
    assert by_code["1.1"][5].startswith("Số liệu hệ thống Một Cửa")
    assert "95 % (19/20)" in by_code["1.1"][6]
    assert by_code["2.1"][5] == "Kế hoạch 08/KH-STP"
    total = rows[-1]
    assert (total[1], total[2], total[3]) == ("TỔNG CỘNG", 10, 3.5)


def test_the_demo_loads_the_2023_file_for_h1_with_its_figures():
    import time_machine

    from motcua.reform.demo import load_demo
    from motcua.reform.models import ParAssessment

    with time_machine.travel("2024-01-15T09:00+07:00", tick=False):
        load_demo()
        assessment = ParAssessment.objects.get(year=2023)
        assert "52/2019/QĐ-UBND" in assessment.source
        assert (assessment.period_from, assessment.period_to) == (FROM, TO)
        rows = {r.node.criterion.code: r for r in par_auto_rows(assessment).values()}
    assert sorted(rows) == ["TD.1", "TD.2", "TD.3", "TD.4", "TD.5"]
    assert rows["TD.3"].figure == "100 % (11/11)"  # the 11 plan tasks due by 30/06/2023, done
    assert rows["TD.4"].figure == "164"  # 130 reviewed + 34 self-checked
    assert all(r.proposed is None for r in rows.values())  # no official points: nothing proposed


def test_an_override_without_evidence_is_refused_on_the_page_and_nothing_changes(world):
    leader = _client(world["leader"])
    criterion = world["assessment"].criteria.get(code="1.1")
    url = reverse("reform:par_score", args=[criterion.pk])
    response = leader.post(url, {"self_score": "3", "evidence": ""})
    assert response.status_code == 200
    assert "phải ghi tài liệu kiểm chứng" in response.content.decode()
    criterion.refresh_from_db()
    assert (criterion.self_score, criterion.evidence, criterion.score_basis) == (None, "", "")
