"""The job `exchange-receive`: what waits in the configured transport reaches the incoming register
without anyone running a command; off, it asks nothing of anyone."""

import pytest

from motcua.core.models import JOBS, JobRunStatus
from motcua.exchange.models import IncomingDocument
from motcua.exchange.services import exchange_receive_run, outgoing_send
from motcua.exchange.transports import DirectoryTransport

from .conftest import register

pytestmark = pytest.mark.django_db


def test_the_job_is_on_the_schedule():
    assert JOBS["exchange-receive"].function == "motcua.exchange.services.exchange_receive_run"


def test_off_when_no_transport_is_configured(settings):
    settings.MOTCUA_EXCHANGE_TRANSPORT = ""
    run = exchange_receive_run()
    assert run.status == JobRunStatus.OK and "chưa đặt" in run.summary
    assert not IncomingDocument.objects.exists()


def test_the_job_registers_what_the_directory_holds_once(settings, tmp_path, clerk, receiver_clerk):
    settings.MOTCUA_EXCHANGE_TRANSPORT = "directory"
    settings.MOTCUA_EXCHANGE_DIRECTORY = str(tmp_path)
    outgoing_send(clerk, register(clerk).pk, DirectoryTransport(tmp_path, ["000.00.12.H27"]))

    run = exchange_receive_run()
    assert run.status == JobRunStatus.OK, run.summary
    assert run.counts["documents"] == 1
    assert IncomingDocument.objects.get().unit == receiver_clerk.unit

    again = exchange_receive_run()  # the sender's "arrived" status came back to the sender's inbox
    assert again.counts["documents"] == 0
    assert IncomingDocument.objects.count() == 1


def test_a_malformed_package_makes_the_run_fail_and_registers_nothing(settings, tmp_path, clerk):
    settings.MOTCUA_EXCHANGE_TRANSPORT = "directory"
    settings.MOTCUA_EXCHANGE_DIRECTORY = str(tmp_path)
    inbox = tmp_path / clerk.unit.code / "inbox"
    inbox.mkdir(parents=True)
    (inbox / "hong.edxml").write_bytes(b"<not-edxml/>")

    run = exchange_receive_run()
    assert run.status == JobRunStatus.FAILED and run.counts["refused"] == 1
    assert not IncomingDocument.objects.exists()
