"""The demo surveys and feedback of Sở Tư pháp Hà Tĩnh for H1/2023 (seed II.2), loaded through the
services, idempotently: one campaign for Q2/2023 with 200 paper forms filled at the provincial
public administration service centre (most people satisfied, as the seed reports), and no
feedback items (the seed: "không nhận được phản ánh, kiến nghị nào")."""

import random
from datetime import date, timedelta

from motcua.accounts.roles import Role

from .models import Campaign, Question, ResponseChannel
from .survey_services import campaign_create, response_record, sipas_questionnaire_create

FORMS = 200
CAMPAIGN_SLUG = "quy-2-2023"
# Score → weight: a satisfied majority, a few neutral, rare unhappy answers, some left blank (0).
SCORE_WEIGHTS = {5: 46, 4: 40, 3: 9, 2: 2, 1: 1, 0: 2}


class DemoActor:
    role = Role.ADMINISTRATOR
    is_active = True
    is_authenticated = True
    pk = None


def load_demo(stdout=None) -> dict:
    actor = DemoActor()
    campaign = Campaign.objects.filter(slug=CAMPAIGN_SLUG).first()
    if campaign is None:
        questionnaire = sipas_questionnaire_create(actor)
        campaign = campaign_create(
            actor,
            year=2023,
            quarter=2,
            starts_on=date(2023, 4, 1),
            ends_on=date(2023, 6, 30),
            questionnaire_id=questionnaire.pk,
            online_open=False,
        )
    question_ids = list(
        Question.objects.filter(aspect__questionnaire_id=campaign.questionnaire_id)
        .order_by("aspect__position", "position")
        .values_list("pk", flat=True)
    )
    # A fixed seed: the same 200 forms on every run; the token makes each form load once.
    rng = random.Random(2023)
    scores, weights = list(SCORE_WEIGHTS), list(SCORE_WEIGHTS.values())
    created = 0
    for number in range(1, FORMS + 1):
        answers = {qid: rng.choices(scores, weights)[0] for qid in question_ids}
        token = f"demo-{CAMPAIGN_SLUG}-{number:03d}"
        if campaign.responses.filter(token=token).exists():
            continue
        response_record(
            actor,
            campaign.pk,
            channel=ResponseChannel.PAPER,
            token=token,
            answers=answers,
            form_number=f"{number:03d}",
            surveyed_on=date(2023, 4, 3) + timedelta(days=(number * 7) % 88),
        )
        created += 1
    if stdout is not None:
        stdout.write(f"Khảo sát mẫu: {campaign.name}, {created} phiếu mới.\n")
    return {"forms": created}
