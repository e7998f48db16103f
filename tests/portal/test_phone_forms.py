"""Phone forms, as a pattern: every form a citizen meets (and the desk's intake forms, where the same
fields are typed) is walked, and each input is checked by what its name says it holds — a phone
opens the phone keypad, an ID number the numeric one, a date is typed dd/mm/yyyy (never the
browser's type="date", whose format follows the phone's language), a one-time code offers the
SMS. A new field that breaks the pattern fails here."""

import re
from datetime import date
from html.parser import HTMLParser

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from motcua.catalog.selectors import version_in_force
from motcua.dossiers.online import online_reference
from motcua.feedback import survey_services
from motcua.notifications import sms
from motcua.portal import services
from tests.accounts.factories import UserFactory
from tests.backoffice.url_walk import walk
from tests.dossiers.test_services import at

from .factories import CODE, citizen, online_dossier

PHONE_NAME = re.compile(r"phone|dien_thoai|sdt|mobile|(^|_)tel($|_)")
ID_NAME = re.compile(r"citizen_id|cccd|dinh_danh|id_number|tax_code|ma_so_thue|so_cuoi")
DATE_NAME = re.compile(r"(^|_)(date|ngay)($|_)|_on$|birth")
CODE_NAME = re.compile(r"^(code|otp|ma_xac_thuc)$")


class _Inputs(HTMLParser):
    """Every <input> inside a <form>, as a dict of its attributes."""

    def __init__(self):
        super().__init__()
        self.depth = 0
        self.inputs: list[dict] = []

    def handle_starttag(self, tag, attrs):
        if tag == "form":
            self.depth += 1
        elif tag == "input" and self.depth:
            self.inputs.append({k: v or "" for k, v in attrs})

    def handle_endtag(self, tag):
        if tag == "form":
            self.depth -= 1


def form_inputs(html: str) -> list[dict]:
    parser = _Inputs()
    parser.feed(html)
    return [i for i in parser.inputs if i.get("type", "text") not in ("hidden", "submit")]


def problems(html: str) -> list[str]:
    """What breaks the pattern on a page, one line per input."""
    found = []
    for field in form_inputs(html):
        name, kind = field.get("name", ""), field.get("type", "text")
        if kind in ("radio", "checkbox", "hidden", "submit"):
            continue  # a choice (e.g. phone_channel: SMS or Zalo) is not typed on a keypad
        if kind in ("date", "datetime-local", "month"):
            found.append(f"{name}: type={kind}, not dd/mm/yyyy text")
        if PHONE_NAME.search(name) and not (
            kind == "tel" and field.get("inputmode") == "tel" and field.get("autocomplete") == "tel"
        ):
            found.append(f"{name}: a phone without type=tel inputmode=tel autocomplete=tel")
        if ID_NAME.search(name) and not (
            field.get("inputmode") == "numeric"
            and field.get("pattern", "").startswith("[0-9")
            and field.get("autocomplete") == "off"
        ):
            found.append(f"{name}: an ID number without the numeric keypad")
        if DATE_NAME.search(name) and kind == "text" and field.get("placeholder") != "dd/mm/yyyy":
            found.append(f"{name}: a date without the dd/mm/yyyy placeholder")
        if CODE_NAME.search(name) and not (
            field.get("inputmode") == "numeric" and field.get("autocomplete") == "one-time-code"
        ):
            found.append(f"{name}: a one-time code without inputmode/autocomplete")
    return found


def test_the_checker_catches_each_kind_of_mistake():
    bad = (
        '<form><input type="text" name="phone"><input name="citizen_id">'
        '<input type="date" name="date_of_birth"><input name="code"></form>'
        '<input type="text" name="phone_outside_a_form">'
    )
    assert len(problems(bad)) == 4
    good = (
        '<form><input type="tel" name="phone" inputmode="tel" autocomplete="tel">'
        '<input name="citizen_id" inputmode="numeric" pattern="[0-9]*" autocomplete="off">'
        '<input type="text" name="date_of_birth" placeholder="dd/mm/yyyy">'
        '<input name="code" inputmode="numeric" autocomplete="one-time-code"></form>'
    )
    assert problems(good) == []


@pytest.fixture
def citizen_pages(desk, settings):
    """(page name, html) for every citizen form page that renders for its owner."""
    settings.SMS_GATEWAY = "memory"
    with time_machine.travel(at("2024-05-06T10:00"), tick=False):
        owner = citizen()
        dossier = online_dossier(owner)
        draft = services.application_start(owner, version_in_force(CODE))
    leader = UserFactory(role="department_leader")
    questionnaire = survey_services.questionnaire_create(
        leader, name="Bộ thử", aspects=[("Công chức", ["Thái độ"])]
    )
    survey_services.campaign_create(
        leader,
        year=2024,
        quarter=2,
        starts_on=date(2024, 4, 1),
        ends_on=date(2024, 6, 30),
        questionnaire_id=questionnaire.pk,
    )
    values = {"dossier_id": dossier.pk, "application_id": draft.pk, "code": CODE, "file_id": 0}
    signed_in = Client()
    signed_in.force_login(owner)
    anonymous = Client()
    pages = {}
    with time_machine.travel(at("2024-05-07T10:00"), tick=False):
        for route in walk(values=values):
            if not route.name.startswith("portal:") or route.name == "portal:signout":
                continue
            client = anonymous if "signin" in route.name else signed_in
            response = client.get(route.path)
            if response.status_code == 200 and "text/html" in response["Content-Type"]:
                pages[route.name] = response.content.decode()
        anonymous.post(reverse("portal:signin"), {"destination": "0912 345 678"})
        pages["portal:signin_code"] = anonymous.get(reverse("portal:signin_code")).content.decode()
        for path in ("/hoi-dap/gui/", "/hoi-dap/khao-sat/quy-2-2024/", "/xac-thuc/"):
            response = anonymous.get(path)
            assert response.status_code == 200, path
            pages[path] = response.content.decode()
        response = anonymous.get(
            reverse("portal:tracking_form"), {"ma": online_reference(dossier)}, follow=True
        )
        pages["portal:tracking_detail"] = response.content.decode()
    sms.outbox.clear()
    return pages


def test_every_citizen_form_opens_the_right_keypad(citizen_pages):
    must_render = {
        "portal:signin",
        "portal:signin_code",
        "portal:profile",
        "portal:application_edit",
        "portal:dossier_supplement",
        "portal:dossier_withdraw",
        "portal:dossier_return_post",
        "portal:dossier_rate",
        "portal:tracking_form",
        "portal:tracking_detail",
        "/hoi-dap/gui/",
        "/hoi-dap/khao-sat/quy-2-2024/",
        "/xac-thuc/",
    }
    assert must_render <= set(citizen_pages)
    found = {name: problems(html) for name, html in citizen_pages.items()}
    assert {name: p for name, p in found.items() if p} == {}
    # The walk saw the fields it is about (else it proves nothing).
    application = {i["name"]: i for i in form_inputs(citizen_pages["portal:application_edit"])}
    assert application["phone"]["type"] == "tel"
    assert application["citizen_id"]["inputmode"] == "numeric"
    assert application["date_of_birth"]["placeholder"] == "dd/mm/yyyy"
    codes = form_inputs(citizen_pages["portal:signin_code"])
    assert [i["autocomplete"] for i in codes if i["name"] == "code"] == ["one-time-code"]


def test_the_desk_and_postal_intake_forms_follow_the_pattern(desk):
    from motcua.postal.forms import PostalIntakeForm, ReturnByPostForm

    version = version_in_force(CODE)
    intake = desk["desk"]
    client = Client()
    client.force_login(intake)
    page = client.get(reverse("backoffice:dossier_intake", args=[CODE]))
    assert page.status_code == 200
    assert problems(page.content.decode()) == []
    assert 'name="tax_code"' in page.content.decode()
    postal = f"<form>{PostalIntakeForm(version=version)}</form>"
    assert problems(postal.replace('type="datetime-local"', 'type="text"')) == []
    assert 'name="posted_on"' in postal and 'placeholder="dd/mm/yyyy"' in postal
    assert problems(f"<form>{ReturnByPostForm()}</form>") == []
