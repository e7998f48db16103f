"""Public pages under /hoi-dap/: no sign-in, no JavaScript needed, no personal data shown.

The feedback form and the online survey are rate-limited per client address; each form carries a
token so that a replayed or double-submitted form never registers twice.
"""

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from motcua.core.forms import add_service_errors

from . import selectors, survey_selectors
from .forms import FeedbackForm, new_token
from .models import Channel, Feedback, ResponseChannel
from .ratelimit import rate_limit_hit
from .services import FeedbackData, feedback_receive
from .survey_forms import SurveyForm
from .survey_services import response_record

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
        form = FeedbackForm(request.POST)
        if rate_limit_hit(
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
        request, "feedback/public/feedback_new.html", {"form": FeedbackForm(initial=initial)}
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
        if rate_limit_hit(request, "survey", limit=SURVEY_LIMIT[0], window_seconds=SURVEY_LIMIT[1]):
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
