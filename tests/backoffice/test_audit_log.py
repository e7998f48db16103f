"""The log of personal-data reads: administrators can browse and narrow it; nobody else sees it."""

from datetime import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from motcua.accounts.roles import Role
from motcua.core.models import PersonalDataRead
from tests.accounts.factories import UserFactory

URL = "/can-bo/quan-tri/nhat-ky-du-lieu-ca-nhan/"


def _read(actor, subject, at):
    read = PersonalDataRead.objects.create(actor=actor, subject=subject, purpose="dossier_detail")
    PersonalDataRead.objects.filter(pk=read.pk).update(at=at)


def _at(day, hour=10):
    return timezone.make_aware(datetime(2024, 5, day, hour))


@pytest.fixture
def log(db):
    reader = UserFactory(role=Role.SPECIALIST, username="cv.mot")
    other = UserFactory(role=Role.DESK_OFFICER, username="motcua.hai")
    _read(reader, "dossier:1", _at(2))
    _read(other, "dossier:2", _at(3))
    _read(reader, "dossier:2", _at(6))
    return reader, other


def _page(client, **params):
    client.force_login(UserFactory(role=Role.ADMINISTRATOR))
    return client.get(URL, params)


def test_the_url_name_points_here():
    assert reverse("backoffice:personal_data_reads") == URL


def test_newest_first_and_narrowed_by_reader_and_dates(client, log):
    rows = list(_page(client).context["page"])
    assert [r.at for r in rows] == sorted((r.at for r in rows), reverse=True)
    assert len(_page(client, nguoi_xem="cv.mot").context["page"].object_list) == 2
    narrowed = _page(client, tu="2024-05-03", den="2024-05-05").context["page"].object_list
    assert [r.actor.username for r in narrowed] == ["motcua.hai"]


def test_a_local_day_ends_at_local_midnight(client, log):
    reader, _ = log
    _read(reader, "dossier:9", timezone.make_aware(datetime(2024, 5, 7, 23, 59)))
    rows = _page(client, tu="2024-05-07", den="2024-05-07").context["page"].object_list
    assert [r.subject for r in rows] == ["dossier:9"]


def test_reversed_dates_and_unknown_dossier_are_refused_in_vietnamese(client, log):
    response = _page(client, tu="2024-05-09", den="2024-05-01")
    assert "“Từ ngày” phải trước hoặc bằng “Đến ngày”." in response.content.decode()
    assert list(response.context["page"]) == []
    response = _page(client, ho_so="000.00.40.H27-240101-9999")
    assert "Không có hồ sơ mã 000.00.40.H27-240101-9999." in response.content.decode()


@pytest.mark.parametrize("role", [Role.SPECIALIST, Role.DEPARTMENT_LEADER, Role.DESK_OFFICER])
def test_only_administrators_read_the_log(client, log, role):
    client.force_login(UserFactory(role=role))
    assert client.get(URL).status_code == 403
