"""The job `iso-register-sync`: the register follows the catalogue every day by itself."""

from datetime import date

import pytest
import time_machine

from motcua.catalog.services import catalog_import
from motcua.core.models import JOBS, JobRunStatus
from motcua.reform.iso_selectors import iso_register_figures
from motcua.reform.models import IsoProcess
from motcua.reform.services.iso_register import iso_register_sync_run
from tests.catalog.factories import SO, history_document, make_units

pytestmark = pytest.mark.django_db


def test_the_job_is_on_the_schedule():
    assert JOBS["iso-register-sync"].function.endswith("iso_register.iso_register_sync_run")


def test_the_job_brings_the_procedures_in_force_under_the_system_once(settings):
    make_units()
    settings.MOTCUA_ISO_AGENCY_CODE = SO
    catalog_import(None, history_document())
    with time_machine.travel(date(2023, 6, 30), tick=False):
        run = iso_register_sync_run()
        assert run.status == JobRunStatus.OK, run.summary
        assert run.counts["added"] == IsoProcess.objects.count() > 0
        figures = iso_register_figures(date(2023, 6, 30), SO)
        assert figures["procedures_in_qms"] == figures["procedures_in_force"]
        again = iso_register_sync_run()
    assert again.counts["added"] == 0 and again.status == JobRunStatus.OK


def test_before_the_organisation_is_set_up_the_run_says_so_and_writes_nothing(settings):
    settings.MOTCUA_ISO_AGENCY_CODE = ""
    run = iso_register_sync_run()
    assert run.status == JobRunStatus.OK
    assert "Chưa xác định cơ quan" in run.summary
    assert not IsoProcess.objects.exists()
