"""The ratings and Q&A jobs over real HTTP against the stand-in portal (issue [I] 7): the month's
satisfaction summary sent once, published questions and answers sent once, the portal's questions
fetched into PAKN once, the answers sent back; refusals and broken replies leave nothing half-done."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command

from motcua.accounts.roles import Role
from motcua.core.models import JobRun, JobRunStatus
from motcua.dvcqg.models import FaqSent, PortalQuestion, RatingSummarySent
from motcua.dvcqg.ratings_faq import dvcqg_faq_run, dvcqg_ratings_run
from motcua.feedback import services as feedback
from motcua.feedback.models import Feedback
from motcua.portal.models import DossierRating
from tests.accounts.factories import UserFactory
from tests.dossiers.test_services import receive
from tests.feedback.helpers import received, travel

from .conftest import MADONVI

pytestmark = pytest.mark.django_db
VN = ZoneInfo("Asia/Ho_Chi_Minh")


def rate(desk, when: str, time_score: int, attitude: int, number: int) -> DossierRating:
    dossier = receive(desk, when="2024-04-02T09:00")
    return DossierRating.objects.create(
        dossier=dossier,
        citizen=UserFactory(citizen=True, username=f"congdan{number}"),
        time_score=time_score,
        contacts_score=2,
        bodies_score=2,
        attitude_score=attitude,
        online_score=1,
        created_at=datetime.fromisoformat(when).replace(tzinfo=VN),
    )


@pytest.fixture
def ratings(desk):
    """May 2024: three ratings (and one of April, one of June that do not count)."""
    rate(desk, "2024-05-02T10:00", 2, 2, 1)
    rate(desk, "2024-05-15T10:00", 2, 1, 2)
    rate(desk, "2024-05-31T23:30", 1, 0, 3)
    rate(desk, "2024-04-30T23:59", 0, 0, 4)
    rate(desk, "2024-06-01T00:00", 0, 0, 5)


def run_in_june(job):
    with time_machine.travel(datetime(2024, 6, 3, 7, 0, tzinfo=VN), tick=False):
        return job()


def test_the_months_summary_is_sent_once(ratings, portal):
    run = run_in_june(dvcqg_ratings_run)
    assert run.status == JobRunStatus.OK, run.summary
    assert run.summary == "Đã gửi tổng hợp đánh giá tháng 05/2024 lên Cổng DVCQG."
    assert len(portal.ratings) == 5  # one item per rating question
    by_question = {item["NoiDung"]: item for item in portal.ratings}
    time_item = by_question["Thời gian so với giấy hẹn"]
    assert time_item == {
        "NgayTongHop": "5-2024",
        "TongSoNguoiDanhGia": 3,
        "PhanTramDanhGiaRatHaiLong": "67%",
        "PhanTramDanhGiaHaiLong": "33%",
        "PhanTramDanhGiaChuaHaiLong": "0%",
        "PhanTramDanhGiaDichVuRatHaiLong": "67%",
        "PhanTramDanhGiaDichVuHaiLong": "33%",
        "PhanTramDanhGiaDichVuChuaHaiLong": "0%",
        "DanhSachNoiDungYKien": "",
        "MaThuTuc": "",
        "NoiDung": "Thời gian so với giấy hẹn",
        "Madonvi": MADONVI,
        "TenDonVi": "Sở Tư pháp tỉnh Hà Tĩnh",
    }
    attitude = by_question["Thái độ của cán bộ"]
    # 1 of 3 each: 33 %, 33 %, and "not satisfied" is what is left (reference §7)
    assert [attitude[f"PhanTramDanhGia{k}"] for k in ("RatHaiLong", "HaiLong", "ChuaHaiLong")] == [
        "33%",
        "33%",
        "34%",
    ]
    again = run_in_june(dvcqg_ratings_run)
    assert again.summary == "Tổng hợp đánh giá tháng 05/2024 đã gửi trước đó."
    assert len(portal.ratings) == 5
    assert [s for s, _ in portal.calls].count("DongBoDanhGia") == 1
    sent = RatingSummarySent.objects.get()
    assert sent.raters == 3 and str(sent.month) == "2024-05-01"


@pytest.mark.parametrize("fault", ["refused", "malformed", "http_500"])
def test_a_refused_or_broken_reply_records_nothing_and_is_sent_later(ratings, portal, fault):
    if fault == "refused":
        portal.faults.refuse_services["DongBoDanhGia"] = (12, "Chưa mở kỳ tổng hợp")
    elif fault == "malformed":
        portal.faults.malformed = True
    else:
        portal.faults.http_status = 500
    run = run_in_june(dvcqg_ratings_run)
    assert run.status == JobRunStatus.FAILED
    assert "Chưa gửi được tổng hợp đánh giá tháng 05/2024" in run.summary
    if fault == "refused":
        assert "Chưa mở kỳ tổng hợp" in run.summary
    assert RatingSummarySent.objects.count() == 0 and portal.ratings == []
    portal.faults.refuse_services.clear()
    portal.faults.malformed, portal.faults.http_status = False, None
    assert run_in_june(dvcqg_ratings_run).status == JobRunStatus.OK
    assert RatingSummarySent.objects.count() == 1 and len(portal.ratings) == 5


def test_a_month_without_ratings_sends_nothing(desk, portal):
    run = run_in_june(dvcqg_ratings_run)
    assert run.summary == "Tháng 05/2024 không có đánh giá nào để gửi."
    assert "DongBoDanhGia" not in [s for s, _ in portal.calls]
    assert RatingSummarySent.objects.count() == 0


def test_the_jobs_do_nothing_while_the_sync_is_off(desk, capsys):
    call_command("jobs", "run", "dvcqg-ratings")
    call_command("jobs", "run", "dvcqg-faq")
    assert JobRun.objects.filter(status=JobRunStatus.OK).count() == 2
    assert "Chưa bật đồng bộ với Cổng DVCQG" in capsys.readouterr().out


# --- questions and answers -------------------------------------------------------------------------


@pytest.fixture
def people(db):
    return {
        "leader": UserFactory(role=Role.DEPARTMENT_LEADER),
        "officer": UserFactory(role=Role.SPECIALIST),
    }


def published(people, suffix: str, question: str) -> Feedback:
    item = received("2024-05-02T09:00", suffix=suffix)
    with travel("2024-05-03T08:00"):
        feedback.feedback_assign(
            people["leader"], item.pk, classification="regulation", assignee_id=people["officer"].pk
        )
    with travel("2024-05-06T10:00"):
        feedback.feedback_answer(people["officer"], item.pk, answer=f"Trả lời cho {suffix}.")
    with travel("2024-05-07T10:00"):
        return feedback.feedback_publish(people["leader"], item.pk, public_question=question)


QUESTION = {
    "HOIDAPID": "DVCQG-HD-0002",
    "MALINHVUC": "",
    "NOIDUNG": "Đăng ký kết hôn có yếu tố nước ngoài cần những giấy tờ nào?",
    "MADONVI": MADONVI,
    "NOIDUNGTRALOI": "",
    "TRALOIID": "",
    "HOVATEN": "Trần Văn Bình",
    "THUDIENTU": "",
    "MATTHCDP": "",
    "TRANGTHAI": "1",
    "DIACHI": "",
    "SODIENTHOAI": "0987654321",
}


def test_published_answers_go_once_and_questions_come_into_pakn_once(people, portal):
    first = published(people, "a", "Thời hạn cấp phiếu lý lịch tư pháp là bao lâu?")
    second = published(people, "b", "Lệ phí cấp phiếu lý lịch tư pháp là bao nhiêu?")
    received("2024-05-02T11:00", suffix="c")  # not published: not sent
    portal.questions.append(dict(QUESTION))
    run = dvcqg_faq_run()
    assert run.status == JobRunStatus.OK, run.summary
    assert [q["HOIDAPID"] for q in portal.pushed_questions] == [first.code, second.code]
    assert portal.pushed_questions[0] == {
        "HOIDAPID": first.code,
        "MaLinhVuc": "",
        "NOIDUNG": "Thời hạn cấp phiếu lý lịch tư pháp là bao lâu?",
        "MADONVI": MADONVI,
        "TENDONVI": "Sở Tư pháp tỉnh Hà Tĩnh",
        "TRALOIID": f"{first.code}-TL",
        "NOIDUNGTRALOI": "Trả lời cho a.",
    }
    fetched = {q.portal_id: q.feedback for q in PortalQuestion.objects.select_related("feedback")}
    assert set(fetched) == {"DVCQG-HD-0001", "DVCQG-HD-0002"}
    item = fetched["DVCQG-HD-0002"]
    assert (item.channel, item.sender_name, item.sender_contact) == (
        "portal",
        "Trần Văn Bình",
        "0987654321",
    )
    assert item.content == QUESTION["NOIDUNG"] and item.status == "received"
    assert item.title == "Câu hỏi gửi qua Cổng Dịch vụ công quốc gia"
    count = Feedback.objects.count()
    again = dvcqg_faq_run()
    assert again.status == JobRunStatus.OK
    assert "Đã gửi 0 hỏi đáp công khai" in again.summary and "2 đã nhận trước đó" in again.summary
    assert len(portal.pushed_questions) == 2 and Feedback.objects.count() == count
    assert FaqSent.objects.count() == 2 and PortalQuestion.objects.count() == 2


def test_the_answer_to_a_portal_question_goes_back_once(people, portal):
    dvcqg_faq_run()
    question = PortalQuestion.objects.get(portal_id="DVCQG-HD-0001")
    with travel("2024-05-03T08:00"):
        feedback.feedback_assign(
            people["leader"],
            question.feedback_id,
            classification="regulation",
            assignee_id=people["officer"].pk,
        )
    with travel("2024-05-06T10:00"):
        feedback.feedback_answer(
            people["officer"], question.feedback_id, answer="Mang theo căn cước và tờ khai."
        )
    dvcqg_faq_run()
    assert portal.answers == [
        {
            "HOIDAPID": "DVCQG-HD-0001",
            "MADONVI": MADONVI,
            "NGUOITRALOI": "Sở Tư pháp tỉnh Hà Tĩnh",
            "CHUCVUNGUOITRALOI": "",
            "NGAYTRALOI": "06/05/2024",
            "NOIDUNGTRALOI": "Mang theo căn cước và tờ khai.",
        }
    ]
    dvcqg_faq_run()
    assert len(portal.answers) == 1


def test_questions_that_cannot_be_pakn_items_are_listed_and_nothing_is_written(portal):
    portal.questions += [
        QUESTION | {"HOIDAPID": ""},
        QUESTION | {"HOIDAPID": "DVCQG-HD-0003", "NOIDUNG": "Ngắn quá"},
        QUESTION | {"HOIDAPID": "DVCQG-HD-0004", "SODIENTHOAI": "", "THUDIENTU": ""},
        QUESTION | {"HOIDAPID": "DVCQG-HD-0005", "TRANGTHAI": "0"},
        QUESTION | {"HOIDAPID": "DVCQG-HD-0006", "MADONVI": "000.00.99.H01"},
        QUESTION | {"HOIDAPID": "X" * 60},
    ]
    run = dvcqg_faq_run()
    assert run.status == JobRunStatus.FAILED
    assert "Câu hỏi thứ 2 từ Cổng DVCQG không có HOIDAPID" in run.summary
    assert "Câu hỏi DVCQG-HD-0003 không nhận được vào PAKN: Nội dung quá ngắn" in run.summary
    assert "Câu hỏi DVCQG-HD-0004 không nhận được vào PAKN: Hãy nhập số điện thoại" in run.summary
    assert "quá dài" in run.summary and "bỏ qua 2" in run.summary
    assert Feedback.objects.count() == 1
    taken = PortalQuestion.objects.filter(feedback__isnull=False)
    assert list(taken.values_list("portal_id", flat=True)) == ["DVCQG-HD-0001"]
    # The refused ones are remembered with their reason, so they are reported once, not hourly.
    refused = dict(
        PortalQuestion.objects.filter(feedback__isnull=True).values_list(
            "portal_id", "refused_reason"
        )
    )
    assert set(refused) == {"DVCQG-HD-0003", "DVCQG-HD-0004"}
    assert refused["DVCQG-HD-0003"].startswith("Nội dung quá ngắn")
    again = dvcqg_faq_run()
    assert Feedback.objects.count() == 1 and PortalQuestion.objects.count() == 3
    assert "DVCQG-HD-0003" not in again.summary and "DVCQG-HD-0004" not in again.summary


def test_a_refusal_of_the_push_marks_nothing_sent_and_the_fetch_goes_on(people, portal):
    published(people, "a", "Thời hạn cấp phiếu lý lịch tư pháp là bao lâu?")
    portal.faults.refuse_services["DongBoHoiDap"] = (5, "Sai định dạng dữ liệu hỏi đáp")
    run = dvcqg_faq_run()
    assert run.status == JobRunStatus.FAILED
    assert "DongBoHoiDap: Cổng DVCQG từ chối" in run.summary and "Sai định dạng" in run.summary
    assert FaqSent.objects.count() == 0 and portal.pushed_questions == []
    assert PortalQuestion.objects.count() == 1  # the other part is whole
    portal.faults.refuse_services.clear()
    assert dvcqg_faq_run().status == JobRunStatus.OK
    assert FaqSent.objects.count() == 1 and len(portal.pushed_questions) == 1


def test_a_malformed_reply_writes_nothing(people, portal):
    published(people, "a", "Thời hạn cấp phiếu lý lịch tư pháp là bao lâu?")
    portal.faults.malformed = True
    run = dvcqg_faq_run()
    assert run.status == JobRunStatus.FAILED and "JSON" in run.summary
    assert FaqSent.objects.count() == 0 and PortalQuestion.objects.count() == 0
    assert Feedback.objects.count() == 1
