"""Surveys: questionnaires, campaigns, responses (paper and online), results per aspect and index."""

from datetime import date

import pytest
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from motcua.accounts.roles import Role
from motcua.feedback import demo, indicators, survey_selectors, survey_services
from motcua.feedback.models import Answer, Campaign, Feedback, Question, Response
from tests.accounts.factories import UserFactory

from .helpers import travel

pytestmark = pytest.mark.django_db


@pytest.fixture
def leader():
    return UserFactory(role=Role.DEPARTMENT_LEADER)


@pytest.fixture
def campaign(leader):
    questionnaire = survey_services.questionnaire_create(
        leader,
        name="Bộ thử",
        aspects=[("Tiếp cận", ["Chỗ ngồi", "Máy lấy số"]), ("Công chức", ["Thái độ"])],
    )
    return survey_services.campaign_create(
        leader,
        year=2023,
        quarter=2,
        starts_on=date(2023, 4, 1),
        ends_on=date(2023, 6, 30),
        questionnaire_id=questionnaire.pk,
    )


def _ids(campaign):
    return list(
        Question.objects.filter(aspect__questionnaire=campaign.questionnaire)
        .order_by("aspect__position", "position")
        .values_list("pk", flat=True)
    )


def _paper(campaign, scores, token, desk=None, day=date(2023, 5, 2)):
    desk = desk or UserFactory(role=Role.DESK_OFFICER)
    return survey_services.response_record(
        desk,
        campaign.pk,
        channel="paper",
        token=token,
        answers=dict(zip(_ids(campaign), scores, strict=True)),
        surveyed_on=day,
    )


def test_results_per_aspect_and_index_by_hand(campaign):
    _paper(campaign, [5, 4, 2], "a")
    _paper(campaign, [3, 0, 5], "b")  # 0 = không trả lời: not counted
    _paper(campaign, [4, 1, 4], "c")
    results = survey_selectors.campaign_results(campaign)
    assert results.forms == 3
    access, staff = results.aspects
    # Tiếp cận: answers 5,4,3,4,1 → mean 17/5 = 3.4; satisfied 3/5 = 60%.
    assert (access.name, access.answers, access.mean, access.satisfied_pct) == (
        "Tiếp cận",
        5,
        3.4,
        60.0,
    )
    # Công chức: 2,5,4 → mean 3.67; satisfied 2/3 = 66.7%.
    assert (staff.answers, staff.mean, staff.satisfied_pct) == (3, 3.67, 66.7)
    assert results.index_pct == round((60.0 + 200 / 3) / 2, 1)  # 63.3


def test_period_filter_uses_the_survey_date(campaign):
    _paper(campaign, [5, 5, 5], "in", day=date(2023, 6, 30))
    _paper(campaign, [1, 1, 1], "out", day=date(2023, 4, 1))
    sections = indicators.report_sections(date(2023, 4, 2), date(2023, 6, 30))
    assert sections["satisfaction"]["forms"] == 1
    assert sections["satisfaction"]["index_pct"] == 100.0
    assert sections["satisfaction"]["by_aspect"]["Tiếp cận"] == {
        "answers": 2,
        "mean": 5.0,
        "satisfied_pct": 100.0,
    }


@pytest.mark.parametrize(
    "scores, message",
    [([5, 4], "chưa có câu trả lời"), ([5, 4, 7], "chỉ nhận 1–5"), ([5, 4, -1], "chỉ nhận 1–5")],
)
def test_incomplete_or_impossible_forms_save_nothing(campaign, scores, message):
    ids = _ids(campaign)
    answers = dict(zip(ids, scores, strict=False))
    with pytest.raises(ValidationError, match=message):
        survey_services.response_record(
            UserFactory(role=Role.DESK_OFFICER),
            campaign.pk,
            channel="paper",
            token="x",
            answers=answers,
            surveyed_on=date(2023, 5, 2),
        )
    assert Response.objects.count() == 0 and Answer.objects.count() == 0


def test_same_token_twice_is_refused_and_saves_nothing_more(campaign):
    _paper(campaign, [5, 4, 3], "same")
    with pytest.raises(ValidationError, match="đã được lưu"):
        _paper(campaign, [1, 1, 1], "same")
    assert Response.objects.count() == 1 and Answer.objects.count() == 3


def test_paper_date_outside_the_campaign_and_citizen_entry_are_refused(campaign):
    with pytest.raises(ValidationError, match="Ngày khảo sát phải trong đợt"):
        _paper(campaign, [5, 5, 5], "late", day=date(2023, 7, 1))
    with pytest.raises(PermissionDenied):
        _paper(campaign, [5, 5, 5], "cit", desk=UserFactory(citizen=True))
    assert Response.objects.count() == 0


def test_campaign_rules(leader, campaign):
    with pytest.raises(ValidationError) as error:
        survey_services.campaign_create(
            leader,
            year=2023,
            quarter=2,
            starts_on=date(2023, 4, 1),
            ends_on=date(2023, 6, 30),
            questionnaire_id=campaign.questionnaire_id,
        )
    assert "Đã có đợt khảo sát quý 2/2023" in str(error.value)
    with pytest.raises(ValidationError) as error:
        survey_services.campaign_create(
            leader,
            year=2023,
            quarter=5,
            starts_on=date(2023, 7, 1),
            ends_on=date(2023, 6, 1),
            questionnaire_id=0,
        )
    assert set(error.value.message_dict) == {"quarter", "ends_on", "questionnaire"}
    with pytest.raises(PermissionDenied):
        survey_services.sipas_questionnaire_create(UserFactory(role=Role.SPECIALIST))
    assert Campaign.objects.count() == 1


def test_sipas_questionnaire_has_the_five_aspects(leader):
    questionnaire = survey_services.sipas_questionnaire_create(leader)
    names = list(questionnaire.aspects.order_by("position").values_list("name", flat=True))
    assert names == [
        "Tiếp cận dịch vụ hành chính công",
        "Thủ tục hành chính",
        "Công chức giải quyết công việc",
        "Kết quả cung ứng dịch vụ hành chính công",
        "Tiếp nhận, giải quyết góp ý, phản ánh, kiến nghị",
    ]


def test_online_answer_once_per_session(campaign):
    cache.clear()
    client = Client()
    url = f"/hoi-dap/khao-sat/{campaign.slug}/"
    form = {f"q{qid}": "5" for qid in _ids(campaign)} | {"token": "ignored"}
    with travel("2023-05-10T09:00"):
        assert client.get(url).status_code == 200
        incomplete = client.post(url, {"token": "x"})
        assert incomplete.status_code == 400
        assert "hãy chọn một mức" in incomplete.content.decode()
        assert client.post(url, form)["Location"] == f"{url}cam-on/"
        again = client.post(url, form)
        assert again.status_code == 400 and "đã trả lời khảo sát này" in again.content.decode()
    assert Response.objects.filter(channel="online").count() == 1
    with travel("2023-07-10T09:00"):
        closed = Client().post(url, form)
    assert "không nhận trả lời trực tuyến" in closed.content.decode()
    assert Response.objects.count() == 1
    assert Client().get("/hoi-dap/khao-sat/khong-co/").status_code == 404


def test_demo_surveys_give_200_forms_and_no_feedback():
    assert demo.load_demo() == {"forms": 200}
    assert demo.load_demo() == {"forms": 0}
    sections = indicators.report_sections(date(2023, 1, 1), date(2023, 6, 30))
    satisfaction = sections["satisfaction"]
    assert satisfaction["forms"] == 200
    assert len(satisfaction["by_aspect"]) == 5
    assert 80 < satisfaction["index_pct"] < 95  # a satisfied majority
    assert sections["feedback"]["received"] == 0 and Feedback.objects.count() == 0
    assert Answer.objects.count() == 200 * 10
