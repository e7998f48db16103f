"""Public pages under /hoi-dap/: no sign-in, no JavaScript needed, no personal data shown.

The feedback form and the online survey are rate-limited per client address; each form carries a
token so that a replayed or double-submitted form never registers twice.
"""

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_GET, require_http_methods

from motcua.core import rate_limits
from motcua.core.forms import add_service_errors

from . import selectors, survey_selectors
from .forms import LookupForm, PublicFeedbackForm, new_token
from .models import Channel, Feedback, ResponseChannel
from .sender_lookup import (
    feedback_for_sender,
    feedback_unlocked,
    proof_shape_valid,
    receipt_number_parse,
)
from .services import FeedbackData, feedback_receive
from .survey_forms import SurveyForm
from .survey_services import response_record
from .views_attachments import feedback_file_response
from .workflow import Status

PAGE_SIZE = 10
MAX_QUERY_LENGTH = 200
FEEDBACK_LIMIT = (5, 3600)  # 5 items an hour per address
SURVEY_LIMIT = (10, 3600)
RATE_MESSAGE = "Ông/bà đã gửi quá nhiều lần trong thời gian ngắn. Vui lòng thử lại sau một giờ."


@login_not_required
@require_GET
def qa_list(request):
    """Published answers, newest first, searchable without diacritics (?q=)."""
    query = request.GET.get("q", "").strip()[:MAX_QUERY_LENGTH]
    page = Paginator(selectors.published_answers(query), PAGE_SIZE).get_page(
        request.GET.get("trang")
    )
    return render(request, "feedback/public/qa_list.html", {"page": page, "query": query})


@login_not_required
@require_GET
def qa_detail(request, code):
    item = selectors.published_answer(code[:20])
    if item is None:
        raise Http404("Không có câu hỏi – trả lời này.")
    return render(request, "feedback/public/qa_detail.html", {"item": item})


@login_not_required
@require_http_methods(["GET", "POST"])
def feedback_new(request):
    """Send a feedback item; ?ho_so=CODE fills in the related dossier (links from a dossier)."""
    if request.method == "POST":
        form = PublicFeedbackForm(request.POST, request.FILES)
        if rate_limits.client_rate_limit_hit(
            request, "feedback", limit=FEEDBACK_LIMIT[0], window_seconds=FEEDBACK_LIMIT[1]
        ):
            form.is_valid()
            form.add_error(None, RATE_MESSAGE)
            return render(request, "feedback/public/feedback_new.html", {"form": form}, status=429)
        if form.is_valid():
            data = FeedbackData(channel=Channel.PORTAL, **form.cleaned_data)
            try:
                item = feedback_receive(None, data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                return redirect("feedback_public:feedback_sent", code=item.code)
        return render(request, "feedback/public/feedback_new.html", {"form": form}, status=400)
    initial = {"token": new_token(), "dossier_code": request.GET.get("ho_so", "").strip()[:64]}
    return render(
        request, "feedback/public/feedback_new.html", {"form": PublicFeedbackForm(initial=initial)}
    )


@login_not_required
@require_GET
def feedback_sent(request, code):
    """The receipt: number, date and limits — nothing about the sender."""
    item = (
        Feedback.objects.filter(code=code[:20])
        .only("code", "received_at", "settle_due", "status")
        .first()
    )
    if item is None:
        raise Http404("Không có số tiếp nhận này.")
    return render(request, "feedback/public/feedback_sent.html", {"item": item})


# --- The sender's own lookup ---------------------------------------------------------------------

LOOKUP_LIMIT = (10, 600)  # 10 tries in 10 minutes per client address
LOOKUP_NUMBER_LIMIT = (10, 3600)  # 10 tries an hour per receipt number, from any address
LOOKUP_SESSION_KEY = "feedback-lookup"
MSG_LOOKUP_NUMBER = "Số tiếp nhận có dạng PAKN-năm-số, ví dụ PAKN-2026-0001."
MSG_LOOKUP_PROOF = (
    "Hãy nhập đúng 4 chữ số cuối của số điện thoại, hoặc địa chỉ thư điện tử đã ghi khi gửi."
)
MSG_LOOKUP_NOT_FOUND = (
    "Không tìm thấy phản ánh với số tiếp nhận và thông tin xác nhận này. "
    "Vui lòng kiểm tra lại số tiếp nhận và 4 số cuối điện thoại (hoặc thư điện tử)."
)
MSG_LOOKUP_RATE = "Ông/bà đã tra cứu quá nhiều lần trong thời gian ngắn. Vui lòng thử lại sau."


def _lookup_page(request, form, status=200):
    return render(request, "feedback/public/lookup.html", {"form": form}, status=status)


@login_not_required
@require_http_methods(["GET", "POST"])
def lookup(request):
    """The sender finds their item by its receipt number plus the last 4 digits of their phone (or
    their e-mail), with no account. A match opens the item for this browser session; an unknown
    number and wrong digits get the same message. Rate-limited per client address and per number."""
    if request.method == "GET":
        return _lookup_page(request, LookupForm(initial={"so": request.GET.get("so", "")[:40]}))
    form = LookupForm(request.POST)
    if rate_limits.client_rate_limit_hit(
        request, "feedback-lookup", limit=LOOKUP_LIMIT[0], window_seconds=LOOKUP_LIMIT[1]
    ):
        form.is_valid()
        form.add_error(None, MSG_LOOKUP_RATE)
        response = _lookup_page(request, form, status=429)
        response["Retry-After"] = str(LOOKUP_LIMIT[1])
        return response
    if not form.is_valid():
        return _lookup_page(request, form, status=400)
    number = receipt_number_parse(form.cleaned_data["so"])
    proof = form.cleaned_data["xac_nhan"]
    if number is None:
        form.add_error("so", MSG_LOOKUP_NUMBER)
    if not proof_shape_valid(proof):
        form.add_error("xac_nhan", MSG_LOOKUP_PROOF)
    if form.errors:
        return _lookup_page(request, form, status=400)
    if rate_limits.rate_limit_hit(
        "feedback-lookup-number",
        number,
        limit=LOOKUP_NUMBER_LIMIT[0],
        window_seconds=LOOKUP_NUMBER_LIMIT[1],
    ):
        form.add_error(None, MSG_LOOKUP_RATE)
        return _lookup_page(request, form, status=429)
    item = feedback_for_sender(number, proof)
    if item is None:
        form.add_error(None, MSG_LOOKUP_NOT_FOUND)
        return _lookup_page(request, form, status=400)
    request.session.cycle_key()
    opened = [code for code in request.session.get(LOOKUP_SESSION_KEY, []) if code != item.code]
    request.session[LOOKUP_SESSION_KEY] = [*opened[-19:], item.code]
    return redirect("feedback_public:lookup_result", code=item.code)


def _unlocked_or_none(request, code):
    if code not in request.session.get(LOOKUP_SESSION_KEY, []):
        return None
    return feedback_unlocked(code)


@login_not_required
@require_GET
def lookup_result(request, code):
    """The item the session opened: status, dates, the answer (or what is missing / why it was
    refused), and the sender's own attachments. Without the proof in the session: the form."""
    item = _unlocked_or_none(request, code[:20])
    if item is None:
        return redirect(f"{reverse('feedback_public:lookup')}?{urlencode({'so': code[:20]})}")
    context = {
        "item": item,
        "attachments": list(item.attachments.all()),
        "answered": item.status in (Status.ANSWERED, Status.PUBLISHED, Status.CLOSED),
        "show_note": item.status in (Status.REFUSED, Status.SUPPLEMENT),
        "published": item.status == Status.PUBLISHED,
    }
    response = render(request, "feedback/public/lookup_result.html", context)
    response["Cache-Control"] = "private, no-store"
    return response


@login_not_required
@require_GET
def lookup_attachment(request, code, position):
    """One of the sender's own files, for the session that opened the item."""
    item = _unlocked_or_none(request, code[:20])
    attachment = (
        item
        and item.attachments.select_related("feedback", "stored_file")
        .filter(position=position)
        .first()
    )
    if not attachment:
        raise Http404("Không có tệp này.")
    return feedback_file_response(attachment)


def _campaign_or_404(slug):
    campaign = survey_selectors.campaign_by_slug(slug)
    if campaign is None:
        raise Http404("Không có đợt khảo sát này.")
    return campaign


@login_not_required
@require_http_methods(["GET", "POST"])
def survey_answer(request, campaign):
    """Answer a survey online; one response per browser session (its token), rate-limited."""
    campaign = _campaign_or_404(campaign)
    aspects = survey_selectors.campaign_aspects(campaign)
    session_key = f"survey-token:{campaign.slug}"
    token = request.session.get(session_key) or new_token()
    request.session[session_key] = token
    context = {"campaign": campaign}
    if request.method == "POST":
        form = SurveyForm(request.POST, aspects=aspects, paper=False)
        if rate_limits.client_rate_limit_hit(
            request, "survey", limit=SURVEY_LIMIT[0], window_seconds=SURVEY_LIMIT[1]
        ):
            form.is_valid()
            form.add_error(None, RATE_MESSAGE)
            return render(
                request, "feedback/public/survey.html", context | {"form": form}, status=429
            )
        if form.is_valid():
            try:
                response_record(
                    None,
                    campaign.pk,
                    channel=ResponseChannel.ONLINE,
                    token=token,
                    answers=form.answers(),
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                return redirect("feedback_public:survey_thanks", campaign=campaign.slug)
        return render(request, "feedback/public/survey.html", context | {"form": form}, status=400)
    form = SurveyForm(initial={"token": token}, aspects=aspects, paper=False)
    return render(request, "feedback/public/survey.html", context | {"form": form})


@login_not_required
@require_GET
def survey_thanks(request, campaign):
    campaign = _campaign_or_404(campaign)
    return render(request, "feedback/public/survey_thanks.html", {"campaign": campaign})
