"""/can-bo/chi-so/: the dashboard and the report drafts — who may open them, what they show, drafts kept
as versions, bad edits refused with nothing changed, issuing numbers per year."""

import re

import pytest
from django.urls import reverse

from motcua.accounts.roles import Role
from motcua.catalog.models import Field
from motcua.indicators.models import ReportDraft, ReportDraftVersion, ReportIssue
from motcua.indicators.narrative import PARAGRAPH_KEYS
from tests.accounts.factories import UserFactory

from .helpers import import_rows, row


@pytest.fixture
def leader(desk, client):
    import_rows(
        [
            row("2024-04-02 09:00", channel="online", due="2024-04-16 09:00",
                finished="2024-04-10 09:00", returned="2024-04-10 10:00", return_channel="post"),
            row("2024-05-03 09:00", channel="post", due="2024-05-17 09:00"),
        ]
    )  # fmt: skip
    client.force_login(desk["leader"])
    return client


@pytest.mark.parametrize("role", [Role.DESK_OFFICER, Role.SPECIALIST, Role.CITIZEN])
def test_only_leaders_and_heads(desk, client, role):
    client.force_login(UserFactory(role=role, unit=desk["units"]["division"]))
    assert client.get(reverse("indicators:dashboard")).status_code == 403
    assert client.get(reverse("indicators:draft_list")).status_code == 403


def test_dashboard_shows_the_period_figures_without_inline_styles(leader):
    response = leader.get(
        reverse("indicators:dashboard"), {"tu": "2024-04-01", "den": "2024-05-31"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "hồ sơ tiếp nhận" in html and "<svg" in html
    assert "Th4/24" in html and "Th5/24" in html
    assert "style=" not in html and "<script" not in html
    assert response.context["data"]["totals"]["received"] == 2
    assert "Server-Timing" in response


def test_dashboard_filters_by_field_and_defaults_to_the_latest_half_year(leader):
    response = leader.get(reverse("indicators:dashboard"))
    assert response.context["scope"].date_from.isoformat() == "2024-01-01"
    Field.objects.get_or_create(code="ZZ", defaults={"name": "Lĩnh vực khác"})
    response = leader.get(
        reverse("indicators:dashboard"), {"tu": "2024-04-01", "den": "2024-05-31", "linh_vuc": "ZZ"}
    )
    assert response.context["data"]["totals"]["received"] == 0


@pytest.mark.parametrize(
    "params, message",
    [
        ({"tu": "2024-05-31", "den": "2024-04-01"}, "sau ngày kết thúc"),
        ({"tu": "không", "den": "2024-04-01"}, "Ngày không hợp lệ"),
        ({"tu": "2024-04-01", "den": "2024-05-31", "don_vi": "X"}, "Không có đơn vị"),
    ],
)
def test_dashboard_bad_filters_say_why(leader, params, message):
    response = leader.get(reverse("indicators:dashboard"), params)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert response.context["data"] is None


def test_draft_edit_keeps_versions_refuses_bad_edits_and_issue_freezes(leader, desk):
    response = leader.post(
        reverse("indicators:draft_list"), {"tu": "2024-04-01", "den": "2024-05-31"}
    )
    draft = ReportDraft.objects.get()
    assert response.url == reverse("indicators:draft_detail", args=[draft.pk])
    paragraphs = dict(draft.latest.paragraphs)

    bad = {**paragraphs, "procedures": "Đã tiếp nhận {khong_co} hồ sơ."}
    response = leader.post(reverse("indicators:draft_detail", args=[draft.pk]), bad)
    assert "số liệu không có" in response.content.decode()
    bad = {**paragraphs, "procedures": "Đã tiếp nhận {received hồ sơ."}
    response = leader.post(reverse("indicators:draft_detail", args=[draft.pk]), bad)
    assert "không khớp" in response.content.decode()
    bad = {**paragraphs, "closing": "   "}
    response = leader.post(reverse("indicators:draft_detail", args=[draft.pk]), bad)
    assert "không được để trống" in response.content.decode()
    assert ReportDraftVersion.objects.count() == 1  # nothing changed

    good = {**paragraphs, "procedures": "Đã tiếp nhận {received} hồ sơ, trực tuyến {online_pct}%."}
    leader.post(reverse("indicators:draft_detail", args=[draft.pk]), good)
    assert ReportDraftVersion.objects.count() == 2  # version 1 kept
    assert draft.latest.number == 2

    leader.post(reverse("indicators:draft_issue", args=[draft.pk]))
    issue = ReportIssue.objects.get()
    assert issue.number == 1 and issue.figures["dossiers"]["received"] == 2
    leader.post(reverse("indicators:draft_detail", args=[draft.pk]), good)
    assert ReportDraftVersion.objects.count() == 2  # issued: no more edits
    second = ReportDraft.objects.create(
        date_from=draft.date_from, date_to=draft.date_to, title="Khác",
        created_by=desk["leader"], created_at=draft.created_at,
    )  # fmt: skip
    ReportDraftVersion.objects.create(
        draft=second,
        number=1,
        paragraphs=paragraphs,
        author=desk["leader"],
        created_at=draft.created_at,
    )
    leader.post(reverse("indicators:draft_issue", args=[second.pk]))
    assert sorted(ReportIssue.objects.values_list("number", flat=True)) == [1, 2]

    docx = leader.get(reverse("indicators:draft_download", args=[draft.pk, "docx"]))
    assert docx.status_code == 200 and docx.content[:2] == b"PK"
    assert (
        leader.get(reverse("indicators:draft_download", args=[draft.pk, "odt"])).status_code == 400
    )


def test_division_head_cannot_issue(desk, client):
    client.force_login(desk["head"])
    client.post(reverse("indicators:draft_list"), {"tu": "2024-04-01", "den": "2024-05-31"})
    draft = ReportDraft.objects.get()
    assert client.post(reverse("indicators:draft_issue", args=[draft.pk])).status_code == 403
    assert not ReportIssue.objects.exists()


SVG_GEOMETRY = re.compile(r'\s(?:x|y|x1|x2|y1|y2|width|height|viewBox)="([^"]*)"')


def test_chart_geometry_is_never_localised(leader):
    """Vietnamese writes 23,6; an SVG attribute written so draws nothing. Every coordinate on the
    dashboard must be a plain number (or four, for a viewBox)."""
    html = leader.get(
        reverse("indicators:dashboard"), {"tu": "2024-04-01", "den": "2024-05-31"}
    ).content.decode()
    values = SVG_GEOMETRY.findall(html)
    assert len(values) > 20
    bad = [v for v in values if not all(_is_number(part) for part in v.split(" "))]
    assert bad == []


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return "," not in text


def test_no_internal_key_reaches_the_dashboard(leader):
    """Figures of other apps are shown under Vietnamese labels: a dictionary key such as
    `by_aspect` or `regulation` is never a label a person reads."""
    html = leader.get(
        reverse("indicators:dashboard"), {"tu": "2024-04-01", "den": "2024-05-31"}
    ).content.decode()
    labels = re.findall(r"<dt>([^<]*)</dt>", html)
    assert labels
    parts = [part.strip() for label in labels for part in label.split("›")]
    internal = [part for part in parts if re.fullmatch(r"[a-z_]+", part)]
    assert internal == []


def test_report_editor_shows_figures_and_numbers_each_section_once(leader):
    """An officer edits prose and reads the numbers it will print: the preview has the period's
    figures in place of `{received}`, and a section number appears once, as its heading."""
    leader.post(reverse("indicators:draft_list"), {"tu": "2024-04-01", "den": "2024-05-31"})
    draft = ReportDraft.objects.get()
    html = leader.get(reverse("indicators:draft_detail", args=[draft.pk])).content.decode()
    previews = re.findall(r'<details class="ind-preview">.*?<p>(.*?)</p>', html, re.S)
    assert len(previews) == len(PARAGRAPH_KEYS)
    assert not any(re.search(r"\{[a-z_]+\}", text) for text in previews)
    assert any("02 hồ sơ" in text or "2 hồ sơ" in text for text in previews), previews
    labels = re.findall(r'<label for="id_[a-z_]+">([^<]*)</label>', html)
    assert labels and not any(re.match(r"[IVX]+\.", label) for label in labels)
    assert html.count("II. KẾT QUẢ THỰC HIỆN") == 1 and html.count("2. Cải cách thủ tục") == 1


def test_amounts_are_written_one_way():
    """'120.000 đồng' comes from one helper (core.text.format_money, the `money` filter): a
    template or f-string that writes its own '… đồng' drifts (no separator, a raw int)."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[2] / "motcua"
    own = [
        str(path.relative_to(root))
        for path in root.rglob("*")
        if path.suffix in {".html", ".py"}
        and path.name != "text.py"
        and re.search(r"\}\}\s*đồng|\{format_number\([^)]*\)\}\s*đồng", path.read_text())
    ]
    assert own == []
