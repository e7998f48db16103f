"""Writes of the satisfaction surveys: questionnaires (aspect → question → 1–5 scale), campaigns
(one per quarter, as the department's plan says), and responses entered from paper or answered
online. A response is all or nothing: every question answered 1–5 or explicitly "không trả lời"."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.text import slugify

from motcua.accounts.models import User
from motcua.accounts.permissions import has_role, is_staff_member, require
from motcua.accounts.roles import Role
from motcua.core.clock import now

from .models import Answer, Aspect, Campaign, Question, Questionnaire, Response, ResponseChannel

SURVEY_MANAGERS = (Role.ADMINISTRATOR, Role.DEPARTMENT_LEADER)
NO_ANSWER = 0  # what the forms send for "không trả lời"

# The five SIPAS aspects (Bộ Nội vụ; vn-regulations §5.1), with questions in the spirit of its
# criteria. A department adjusts the questions; the aspects are what results are reported by.
SIPAS_ASPECTS: list[tuple[str, list[str]]] = [
    (
        "Tiếp cận dịch vụ hành chính công",
        [
            "Nơi ngồi chờ có đủ chỗ ngồi, sạch sẽ, thoáng mát",
            "Trang thiết bị phục vụ (máy tra cứu, máy lấy số…) đầy đủ, dễ sử dụng",
        ],
    ),
    (
        "Thủ tục hành chính",
        [
            "Thủ tục hành chính được niêm yết công khai, đầy đủ, chính xác",
            "Thành phần hồ sơ, phí, lệ phí và thời hạn giải quyết đúng như niêm yết",
        ],
    ),
    (
        "Công chức giải quyết công việc",
        [
            "Công chức có thái độ giao tiếp lịch sự, tôn trọng",
            "Công chức hướng dẫn kê khai hồ sơ tận tình, dễ hiểu, một lần đầy đủ",
        ],
    ),
    (
        "Kết quả cung ứng dịch vụ hành chính công",
        [
            "Kết quả giải quyết đúng quy định, thông tin chính xác",
            "Nhận kết quả đúng hẹn",
        ],
    ),
    (
        "Tiếp nhận, giải quyết góp ý, phản ánh, kiến nghị",
        [
            "Có bố trí hình thức tiếp nhận góp ý, phản ánh, kiến nghị",
            "Góp ý, phản ánh, kiến nghị được tiếp nhận, trả lời kịp thời, thỏa đáng",
        ],
    ),
]


@transaction.atomic
def questionnaire_create(
    actor, *, name: str, aspects: list[tuple[str, list[str]]]
) -> Questionnaire:
    """A questionnaire with its aspects and questions in the given order."""
    require(has_role(actor, *SURVEY_MANAGERS), "Chỉ lãnh đạo Sở hoặc quản trị được tạo bộ câu hỏi.")
    name = " ".join(name.split())
    if not name:
        raise ValidationError({"name": "Hãy nhập tên bộ câu hỏi."})
    if not aspects or any(
        not a.strip() or not qs or any(not q.strip() for q in qs) for a, qs in aspects
    ):
        raise ValidationError("Bộ câu hỏi cần ít nhất một yếu tố, mỗi yếu tố ít nhất một câu hỏi.")
    questionnaire = Questionnaire.objects.create(name=name)
    for a_position, (aspect_name, questions) in enumerate(aspects, start=1):
        aspect = Aspect.objects.create(
            questionnaire=questionnaire, position=a_position, name=aspect_name.strip()
        )
        Question.objects.bulk_create(
            Question(aspect=aspect, position=q_position, text=text.strip())
            for q_position, text in enumerate(questions, start=1)
        )
    return questionnaire


def sipas_questionnaire_create(actor, name: str = "Phiếu khảo sát sự hài lòng (theo SIPAS)"):
    return questionnaire_create(actor, name=name, aspects=SIPAS_ASPECTS)


def campaign_errors(*, year, quarter, starts_on, ends_on, name) -> dict:
    errors = {}
    if not name.strip():
        errors["name"] = "Hãy nhập tên đợt khảo sát."
    if not (2000 <= year <= 2100):
        errors["year"] = "Năm không hợp lệ."
    if quarter not in (1, 2, 3, 4):
        errors["quarter"] = "Quý phải từ 1 đến 4."
    if starts_on and ends_on and ends_on < starts_on:
        errors["ends_on"] = "Ngày kết thúc phải sau ngày bắt đầu."
    return errors


@transaction.atomic
def campaign_create(
    actor,
    *,
    year: int,
    quarter: int,
    starts_on: date,
    ends_on: date,
    questionnaire_id: int,
    name: str = "",
    online_open: bool = True,
) -> Campaign:
    """A survey round for a quarter; its slug (used in the online link) is `quy-Q-YYYY`."""
    require(
        has_role(actor, *SURVEY_MANAGERS), "Chỉ lãnh đạo Sở hoặc quản trị được tạo đợt khảo sát."
    )
    name = name.strip() or f"Khảo sát sự hài lòng quý {quarter}/{year}"
    errors = campaign_errors(
        year=year, quarter=quarter, starts_on=starts_on, ends_on=ends_on, name=name
    )
    questionnaire = Questionnaire.objects.filter(pk=questionnaire_id).first()
    if questionnaire is None:
        errors["questionnaire"] = "Hãy chọn bộ câu hỏi."
    slug = slugify(f"quy-{quarter}-{year}")
    if not errors and Campaign.objects.filter(slug=slug).exists():
        errors["quarter"] = f"Đã có đợt khảo sát quý {quarter}/{year}."
    if errors:
        raise ValidationError(errors)
    return Campaign.objects.create(
        slug=slug,
        name=name,
        year=year,
        quarter=quarter,
        starts_on=starts_on,
        ends_on=ends_on,
        questionnaire=questionnaire,
        online_open=online_open,
    )


def response_errors(campaign: Campaign, answers: dict[int, int | None], surveyed_on: date) -> dict:
    """Question id (as "q<id>") → message for each missing or impossible answer."""
    errors = {}
    for question in Question.objects.filter(aspect__questionnaire_id=campaign.questionnaire_id):
        value = answers.get(question.pk)
        if value is None:
            errors[f"q{question.pk}"] = (
                f"Câu “{question.text}” chưa có câu trả lời: nhập 1–5 hoặc 0 (không trả lời)."
            )
        elif value not in (NO_ANSWER, 1, 2, 3, 4, 5):
            errors[f"q{question.pk}"] = (
                f"Câu “{question.text}”: chỉ nhận 1–5, hoặc 0 nếu không trả lời."
            )
    if not (campaign.starts_on <= surveyed_on <= campaign.ends_on):
        errors["surveyed_on"] = (
            f"Ngày khảo sát phải trong đợt ({campaign.starts_on:%d/%m/%Y}–{campaign.ends_on:%d/%m/%Y})."
        )
    return errors


@transaction.atomic
def response_record(
    actor,
    campaign_id: int,
    *,
    channel: str,
    token: str,
    answers: dict[int, int | None],
    form_number: str = "",
    surveyed_on: date | None = None,
) -> Response:
    """Save one filled-in form. Paper forms are entered by staff; online answers come from the
    public page (actor None). A token already used (double click, replayed form, second answer
    from the same browser) is refused and nothing is saved."""
    if channel == ResponseChannel.PAPER:
        require(is_staff_member(actor), "Chỉ cán bộ mới được nhập phiếu khảo sát giấy.")
    elif channel != ResponseChannel.ONLINE:
        raise ValidationError("Hình thức khảo sát không hợp lệ.")
    campaign = Campaign.objects.filter(pk=campaign_id).first()
    if campaign is None:
        raise ValidationError("Không tìm thấy đợt khảo sát.")
    if not token or len(token) > 64:
        raise ValidationError("Biểu mẫu đã hết hạn, vui lòng tải lại trang.")
    today = now().date()
    if channel == ResponseChannel.ONLINE:
        if not campaign.online_open or not (campaign.starts_on <= today <= campaign.ends_on):
            raise ValidationError("Đợt khảo sát này không nhận trả lời trực tuyến vào lúc này.")
        surveyed_on = today
    surveyed_on = surveyed_on or min(today, campaign.ends_on)
    if Response.objects.filter(token=token).exists():
        raise ValidationError(_duplicate_message(channel))
    errors = response_errors(campaign, answers, surveyed_on)
    if len(form_number) > 32:
        errors["form_number"] = "Số phiếu không quá 32 ký tự."
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            response = Response.objects.create(
                campaign=campaign,
                channel=channel,
                token=token,
                form_number=form_number.strip(),
                surveyed_on=surveyed_on,
                entered_by=actor if isinstance(actor, User) else None,
            )
    except IntegrityError:  # the same token committed by a parallel request
        raise ValidationError(_duplicate_message(channel)) from None
    question_ids = Question.objects.filter(
        aspect__questionnaire_id=campaign.questionnaire_id
    ).values_list("pk", flat=True)
    # Only the campaign's questions are stored: an extra field in a forged form is ignored.
    Answer.objects.bulk_create(
        Answer(response=response, question_id=qid, score=answers[qid] or None)
        for qid in question_ids
    )
    return response


def _duplicate_message(channel: str) -> str:
    if channel == ResponseChannel.ONLINE:
        return "Ông/bà đã trả lời khảo sát này. Xin cảm ơn!"
    return "Phiếu này đã được lưu (bấm lưu hai lần?). Không lưu thêm lần nữa."
