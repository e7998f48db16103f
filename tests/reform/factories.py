"""Factories for reform data. Build through the services where the rules matter; these are for
setting up the world quickly."""

from datetime import date

import factory

from motcua.reform.models import (
    ActivityKind,
    Area,
    DocType,
    Draft,
    Issuer,
    LegalActivity,
    LegalDocument,
    Plan,
    Task,
    TaskSource,
)
from tests.accounts.factories import UnitFactory


class PlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Plan

    number = factory.Sequence(lambda n: f"{n + 1}/KH-STP")
    issued_on = date(2023, 1, 16)
    year = 2023
    title = "Kế hoạch công tác cải cách hành chính năm 2023"
    unit = factory.SubFactory(UnitFactory)


class TaskFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Task

    source = TaskSource.PLAN
    plan = factory.SubFactory(PlanFactory)
    title = factory.Sequence(lambda n: f"Nhiệm vụ cải cách số {n}")
    area = Area.DIRECTION
    unit = factory.SubFactory(UnitFactory)
    assigned_on = date(2023, 1, 16)
    deadline = date(2023, 6, 30)


class DocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LegalDocument

    issuer = Issuer.PROVINCIAL_COMMITTEE
    doc_type = DocType.DECISION
    number = factory.Sequence(lambda n: f"{n + 1}/2020/QĐ-UBND")
    issued_on = date(2020, 3, 2)
    title = "Quy định quản lý tài sản công trên địa bàn tỉnh"
    effective_from = date(2020, 3, 15)


class DraftFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Draft

    title = factory.Sequence(lambda n: f"Dự thảo Quyết định số {n}")
    issuer = Issuer.PROVINCIAL_COMMITTEE
    doc_type = DocType.DECISION
    drafting_agency = "Sở Tài chính"
    received_on = date(2023, 2, 1)


class ActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LegalActivity

    kind = ActivityKind.REVIEW
    done_on = date(2023, 3, 1)
    unit = factory.SubFactory(UnitFactory)
    document = factory.SubFactory(DocumentFactory)
