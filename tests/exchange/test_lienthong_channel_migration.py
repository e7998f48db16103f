"""Migrations dossiers/0015 and documents/0003 (ADR 0044) give the dossiers ADR 0042 opened from
liên thông packages — recorded online, their papers as citizen uploads — the liên thông channel and
file source, and take them back when reversed. Only those: a citizen's own online dossier stays."""

import importlib

from django.apps import apps

from motcua.documents.models import ComponentFile
from motcua.dossiers.models import Dossier
from motcua.exchange.models import LienthongIntake
from motcua.exchange.services import package_receive
from tests.dossiers.test_services import receive

from .test_lienthong_intake import exchange_dir, package  # noqa: F401 — the fixture

dossiers_0015 = importlib.import_module("motcua.dossiers.migrations.0015_lienthong_channel")
documents_0003 = importlib.import_module("motcua.documents.migrations.0003_lienthong_file_source")


def as_adr_0042_left_it(dossier):
    Dossier.objects.filter(pk=dossier.pk).update(channel="online", return_channel="online")
    ComponentFile.objects.filter(component__dossier=dossier).update(source="citizen_upload")


def state(dossier):
    dossier.refresh_from_db()
    sources = set(
        ComponentFile.objects.filter(component__dossier=dossier).values_list("source", flat=True)
    )
    return dossier.channel, dossier.return_channel, sources


def test_the_dossiers_opened_from_packages_get_the_channel_and_their_papers_the_source(
    desk,
    exchange_dir,  # noqa: F811
):
    package_receive(package())
    opened = LienthongIntake.objects.get().dossier
    as_adr_0042_left_it(opened)
    own = receive(desk)
    Dossier.objects.filter(pk=own.pk).update(channel="online")  # not from a package
    dossiers_0015.lienthong_set(apps, None)
    documents_0003.source_set(apps, None)
    assert state(opened) == ("lienthong", "", {"lienthong"})
    assert state(own)[0] == "online"
    documents_0003.source_unset(apps, None)
    dossiers_0015.lienthong_unset(apps, None)
    assert state(opened) == ("online", "online", {"citizen_upload"})
    assert state(own)[0] == "online"
