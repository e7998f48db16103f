"""Ratings and Q&A with the national portal (issue [I] 7, ADR 0037).

* `dvcqg-ratings` (daily): once the month is over, its satisfaction summary goes to the portal
  (DongBoDanhGia, reference §7): one item per rating question, the share of "very satisfied",
  "satisfied" and "not satisfied" answers (rounded; not satisfied = 100 − the other two), sent
  once per month (`RatingSummarySent`). The citizens' ratings live in the portal app (an interface,
  which the domain does not import): it registers a source here (`rating_source_register`).
* `dvcqg-faq` (hourly): the published PAKN questions and answers go to the portal (DongBoHoiDap),
  each once (`FaqSent`); the questions citizens sent to the department through the portal
  (LayDanhSachHoiDapGuiTuDVCQG) become PAKN items through feedback's own service, each once
  (`PortalQuestion`, keyed by the portal's HOIDAPID); the answer to such a question goes back
  (DongBoKetQuaHoiDapGuiTuDVCQG) once it is given.

The portal is called outside any transaction; what it accepted is recorded after its reply, so a
refusal or a broken reply leaves everything to be sent again by the next run.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from motcua.core.clock import now
from motcua.feedback.models import Channel as FeedbackChannel
from motcua.feedback.models import Feedback
from motcua.feedback.selectors import published_answers
from motcua.feedback.services import FeedbackData, feedback_receive

from .client import DvcqgClient, DvcqgError, dvcqg_client, dvcqg_enabled
from .models_exchange import FaqSent, PortalQuestion, RatingSummarySent

logger = logging.getLogger(__name__)
FAQ_BATCH = 50
TOKEN_PREFIX = "dvcqg-hoidap-"
QUESTION_TITLE = "Câu hỏi gửi qua Cổng Dịch vụ công quốc gia"


def unit_name() -> str:
    return settings.DVCQG_TENDONVI or settings.MOTCUA_SIGNING_UNIT_NAME


# --- ratings ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RatingQuestion:
    """One rating question over a month: how many answered it very satisfied / satisfied / not."""

    text: str
    very_satisfied: int
    satisfied: int
    not_satisfied: int

    @property
    def total(self) -> int:
        return self.very_satisfied + self.satisfied + self.not_satisfied


# (start, end) of the month → (number of people who rated, the questions)
RatingSource = Callable[[datetime, datetime], tuple[int, list[RatingQuestion]]]
_rating_sources: list[RatingSource] = []


def rating_source_register(source: RatingSource) -> None:
    """The app holding the citizens' ratings (the portal) registers how to count one month."""
    if source not in _rating_sources:
        _rating_sources.append(source)


def month_bounds(month: date) -> tuple[datetime, datetime]:
    first = month.replace(day=1)
    following = (first + timedelta(days=32)).replace(day=1)
    zone = timezone.get_default_timezone()
    return datetime.combine(first, time(), zone), datetime.combine(following, time(), zone)


def previous_month(today: date) -> date:
    return (today.replace(day=1) - timedelta(days=1)).replace(day=1)


def _percent(part: int, total: int) -> int:
    return int(part * 100 / total + 0.5) if total else 0


def rating_items(month: date) -> tuple[int, list[dict]]:
    """The DongBoDanhGia items of one month (reference §7), and the number of raters."""
    start, end = month_bounds(month)
    raters, questions = 0, []
    for source in _rating_sources:
        counted, found = source(start, end)
        raters += counted
        questions += found
    items = []
    for question in questions:
        if not question.total:
            continue
        very = _percent(question.very_satisfied, question.total)
        satisfied = min(_percent(question.satisfied, question.total), 100 - very)
        shares = {"RatHaiLong": f"{very}%", "HaiLong": f"{satisfied}%"}
        shares["ChuaHaiLong"] = f"{100 - very - satisfied}%"
        items.append(
            {
                "NgayTongHop": f"{month.month}-{month.year}",
                "TongSoNguoiDanhGia": question.total,
                **{f"PhanTramDanhGia{k}": v for k, v in shares.items()},
                # "the same three again" (reference §7): what they measure apart is not known
                **{f"PhanTramDanhGiaDichVu{k}": v for k, v in shares.items()},
                "DanhSachNoiDungYKien": "",
                "MaThuTuc": "",
                "NoiDung": question.text,
                "Madonvi": settings.DVCQG_MADONVI,
                "TenDonVi": unit_name(),
            }
        )
    return raters, items


def ratings_send(client: DvcqgClient, month: date) -> str:
    """Send one month's summary unless it was sent: "sent", "already" or "empty"."""
    month = month.replace(day=1)
    if RatingSummarySent.objects.filter(month=month).exists():
        return "already"
    raters, items = rating_items(month)
    if not items:
        return "empty"
    client.dong_bo_danh_gia(items)
    try:
        RatingSummarySent.objects.create(month=month, sent_at=now(), raters=raters, items=items)
    except IntegrityError:  # another process sent it at the same moment: the portal has it
        return "already"
    return "sent"


def dvcqg_ratings_run():
    """The job `dvcqg-ratings` (core.models.JOBS, daily): last month's summary, once."""
    from motcua.core.jobs import job_run

    def describe(c: dict) -> str:
        if not c.get("enabled"):
            return "Chưa bật đồng bộ với Cổng DVCQG (DVCQG_ADAPTER_URL chưa đặt)."
        return {
            "sent": f"Đã gửi tổng hợp đánh giá tháng {c['month']} lên Cổng DVCQG.",
            "already": f"Tổng hợp đánh giá tháng {c['month']} đã gửi trước đó.",
            "empty": f"Tháng {c['month']} không có đánh giá nào để gửi.",
        }.get(c.get("outcome", ""), f"Chưa gửi được tổng hợp đánh giá tháng {c['month']}.")

    month = previous_month(timezone.localdate(now()))
    with job_run("dvcqg-ratings", describe, {"month": f"{month:%m/%Y}"}) as book:
        book.counts["enabled"] = dvcqg_enabled()
        if book.counts["enabled"]:
            try:
                book.counts["outcome"] = ratings_send(dvcqg_client(), month)
            except DvcqgError as exc:
                book.fail("DongBoDanhGia", exc.message)
    return book.run


# --- questions and answers ------------------------------------------------------------------------


@dataclass
class FaqResult:
    published_sent: int = 0
    fetched: int = 0
    known: int = 0
    skipped: int = 0
    answers_sent: int = 0

    def __post_init__(self):
        self.problems: list[str] = []


def faq_items(items: list[Feedback]) -> list[dict]:
    """DongBoHoiDap items (reference §6): our published question and its answer. The question's
    field (MaLinhVuc) is not recorded on a PAKN item: sent empty."""
    return [
        {
            "HOIDAPID": item.code,
            "MaLinhVuc": "",
            "NOIDUNG": item.public_question,
            "MADONVI": settings.DVCQG_MADONVI,
            "TENDONVI": unit_name(),
            "TRALOIID": f"{item.code}-TL",
            "NOIDUNGTRALOI": item.answer,
        }
        for item in items
    ]


def faq_publish(client: DvcqgClient, result: FaqResult) -> None:
    """Send the published items the portal has not accepted yet (not those it sent us)."""
    while True:
        batch = list(
            published_answers()
            .filter(dvcqg_faq__isnull=True, dvcqg_question__isnull=True)
            .order_by("published_at", "pk")[:FAQ_BATCH]
        )
        if not batch:
            return
        client.dong_bo_hoi_dap(faq_items(batch))
        at = now()
        FaqSent.objects.bulk_create(
            [FaqSent(feedback=item, sent_at=at) for item in batch], ignore_conflicts=True
        )
        result.published_sent += len(batch)


def _question_data(row: dict, portal_id: str) -> FeedbackData:
    contact = str(row.get("THUDIENTU") or "").strip() or str(row.get("SODIENTHOAI") or "").strip()
    return FeedbackData(
        channel=FeedbackChannel.PORTAL,
        sender_name=str(row.get("HOVATEN") or "").strip() or "Người hỏi trên Cổng DVCQG",
        sender_contact=contact,
        title=QUESTION_TITLE,
        content=str(row.get("NOIDUNG") or "").strip(),
        token=f"{TOKEN_PREFIX}{portal_id}",
    )


def questions_fetch(client: DvcqgClient, result: FaqResult) -> None:
    """The questions sent to the department through the portal, each made a PAKN item once (by
    its HOIDAPID). A question that cannot be one (no id, no way to answer, too short) is listed
    in the run's problems once — remembered with its reason, no PAKN item written for it."""
    ours = settings.DVCQG_MADONVI
    known = set(PortalQuestion.objects.values_list("portal_id", flat=True))
    for number, row in enumerate(client.lay_hoi_dap_gui_tu_dvcqg(), start=1):
        portal_id = str(row.get("HOIDAPID") or "").strip()
        if not portal_id:
            result.problems.append(f"Câu hỏi thứ {number} từ Cổng DVCQG không có HOIDAPID.")
            continue
        if len(TOKEN_PREFIX + portal_id) > 64:
            result.problems.append(f"HOIDAPID “{portal_id[:40]}…” quá dài.")
            continue
        if portal_id in known:
            result.known += 1
            continue
        addressed = str(row.get("MADONVI") or "").strip()
        if str(row.get("TRANGTHAI", "")).strip() == "0" or (
            addressed and ours and addressed != ours
        ):
            result.skipped += 1  # TRANGTHAI 0: skipped (reference §6); another unit's question
            continue
        try:
            with transaction.atomic():
                item = feedback_receive(None, _question_data(row, portal_id))
                PortalQuestion.objects.create(portal_id=portal_id, feedback=item, fetched_at=now())
        except ValidationError as exc:
            detail = "; ".join(exc.messages)
            result.problems.append(f"Câu hỏi {portal_id} không nhận được vào PAKN: {detail}")
            # Remembered, so the next runs count it as known instead of failing on it again.
            PortalQuestion.objects.get_or_create(
                portal_id=portal_id, defaults={"refused_reason": detail, "fetched_at": now()}
            )
            known.add(portal_id)
            continue
        except IntegrityError:  # fetched by another run at the same moment
            result.known += 1
            continue
        known.add(portal_id)
        result.fetched += 1


def answers_send(client: DvcqgClient, result: FaqResult) -> None:
    """The answers given to questions that came from the portal (DongBoKetQuaHoiDapGuiTuDVCQG).
    NGUOITRALOI is the unit, not the officer (no person's name leaves for the portal)."""
    waiting = list(
        PortalQuestion.objects.filter(
            answer_sent_at__isnull=True, feedback__answered_at__isnull=False
        )
        .select_related("feedback")
        .order_by("pk")[:FAQ_BATCH]
    )
    if not waiting:
        return
    items = [_answer_item(q.portal_id, q.feedback) for q in waiting if q.feedback is not None]
    client.dong_bo_ket_qua_hoi_dap(items)
    PortalQuestion.objects.filter(pk__in=[q.pk for q in waiting]).update(answer_sent_at=now())
    result.answers_sent += len(waiting)


def _answer_item(portal_id: str, item: Feedback) -> dict:
    return {
        "HOIDAPID": portal_id,
        "MADONVI": settings.DVCQG_MADONVI,
        "NGUOITRALOI": unit_name(),
        "CHUCVUNGUOITRALOI": "",
        "NGAYTRALOI": timezone.localtime(item.answered_at).strftime("%d/%m/%Y"),
        "NOIDUNGTRALOI": item.answer,
    }


def faq_exchange(client: DvcqgClient) -> FaqResult:
    """One run of the Q&A exchange; a portal error stops that part only (raised after the rest)."""
    result = FaqResult()
    failures: list[str] = []
    for step, name in (
        (faq_publish, "DongBoHoiDap"),
        (questions_fetch, "LayDanhSachHoiDapGuiTuDVCQG"),
        (answers_send, "DongBoKetQuaHoiDapGuiTuDVCQG"),
    ):
        try:
            step(client, result)
        except DvcqgError as exc:
            failures.append(f"{name}: {exc.message}")
    result.problems += failures
    return result


def dvcqg_faq_run():
    """The job `dvcqg-faq` (core.models.JOBS, hourly)."""
    from motcua.core.jobs import job_run

    def describe(c: dict) -> str:
        if not c.get("enabled"):
            return "Chưa bật đồng bộ với Cổng DVCQG (DVCQG_ADAPTER_URL chưa đặt)."
        return (
            f"Đã gửi {c['published_sent']} hỏi đáp công khai, {c['answers_sent']} trả lời; "
            f"nhận {c['fetched']} câu hỏi mới từ Cổng DVCQG vào PAKN "
            f"({c['known']} đã nhận trước đó, bỏ qua {c['skipped']})."
        )

    with job_run("dvcqg-faq", describe) as book:
        book.counts["enabled"] = dvcqg_enabled()
        if book.counts["enabled"]:
            result = faq_exchange(dvcqg_client())
            book.counts.update(
                published_sent=result.published_sent,
                answers_sent=result.answers_sent,
                fetched=result.fetched,
                known=result.known,
                skipped=result.skipped,
            )
            book.errors += result.problems
    return book.run
