"""The back-office page of work files: staff of the unit see their unit's work files, nobody else."""

import pytest
from django.urls import reverse

from motcua.accounts.roles import Role
from motcua.archives.models import WorkFile
from motcua.archives.services import archives_file_year
from tests.accounts.factories import UnitFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_staff_of_the_unit_see_its_work_files(client, filed_year):
    archives_file_year(None, 2024)
    work_file = WorkFile.objects.get()
    officer = UserFactory(role=Role.DESK_OFFICER, unit=work_file.unit)
    client.force_login(officer)
    page = client.get(reverse("backoffice:archives_work_files"))
    assert page.status_code == 200
    text = page.content.decode()
    assert work_file.code in text and "Thời hạn bảo quản" in text and "10 năm" in text
    assert client.get(reverse("backoffice:archives_work_files") + "?nam=2024").status_code == 200
    detail = client.get(reverse("backoffice:archives_work_file", args=[work_file.pk]))
    assert detail.status_code == 200
    assert "Phiếu lý lịch tư pháp" in detail.content.decode()


def test_other_units_and_citizens_see_nothing(client, filed_year):
    archives_file_year(None, 2024)
    work_file = WorkFile.objects.get()
    other = UserFactory(role=Role.DESK_OFFICER, unit=UnitFactory())
    client.force_login(other)
    assert (
        work_file.code not in client.get(reverse("backoffice:archives_work_files")).content.decode()
    )
    url = reverse("backoffice:archives_work_file", args=[work_file.pk])
    assert client.get(url).status_code == 404
    client.force_login(UserFactory(role=Role.CITIZEN, unit=None))
    assert client.get(url).status_code == 403
    client.logout()
    assert client.get(url).status_code in (302, 403)
