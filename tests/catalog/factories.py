"""Factories for the catalogue tests: units (Unit model directly), fields, decisions, and catalogue
documents in the exchange format (docs/catalogue-format.md), which the tests feed to the importer.
"""

import copy
import json
from datetime import date, timedelta
from pathlib import Path

import factory

from motcua.catalog.models import Decision, Field
from motcua.org.models import Unit, UnitKind

PROVINCE = "000.00.00.H27"
SO = "000.00.12.H27"
DIVISION = "000.05.12.H27"
LEGAL_AID = "000.06.12.H27"
CENTRE = "000.00.40.H27"
POLICE = "000.00.50.H27"

DEMO_DATA = Path(__file__).resolve().parents[2] / "motcua" / "demo" / "data"


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"{n % 1000:03d}.{n // 1000 % 100:02d}.98.H27")
    name = factory.Sequence(lambda n: f"Đơn vị thử nghiệm {n}")
    kind = UnitKind.DIVISION


class FieldFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Field
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"LV{n}")
    name = factory.Sequence(lambda n: f"Lĩnh vực thử {n}")


class DecisionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Decision

    number = factory.Sequence(lambda n: f"{100 + n}/QĐ-UBND")
    signed_on = factory.Sequence(lambda n: date(2023, 1, 1) + timedelta(days=n))
    effective_from = factory.LazyAttribute(lambda o: o.signed_on)
    issuer = "Chủ tịch UBND tỉnh Hà Tĩnh"
    title = "Quyết định công bố danh mục TTHC (thử nghiệm)"


def make_units() -> dict[str, Unit]:
    """A small province: UBND tỉnh → Sở Tư pháp → a division and the legal aid centre; the service
    centre and the police beside the Sở."""
    province = UnitFactory(
        code=PROVINCE, name="Ủy ban nhân dân tỉnh Hà Tĩnh", kind=UnitKind.PROVINCE
    )
    so = UnitFactory(
        code=SO, name="Sở Tư pháp tỉnh Hà Tĩnh", kind=UnitKind.DEPARTMENT, parent=province
    )
    return {
        "province": province,
        "so": so,
        "division": UnitFactory(
            code=DIVISION, name="Phòng Hành chính và Bổ trợ tư pháp", parent=so
        ),
        "legal_aid": UnitFactory(
            code=LEGAL_AID,
            name="Trung tâm Trợ giúp pháp lý nhà nước tỉnh Hà Tĩnh",
            kind=UnitKind.CENTRE,
            parent=so,
        ),
        "centre": UnitFactory(
            code=CENTRE,
            name="Trung tâm Phục vụ hành chính công tỉnh Hà Tĩnh",
            kind=UnitKind.SERVICE_CENTRE,
            parent=province,
        ),
        "police": UnitFactory(
            code=POLICE, name="Công an tỉnh Hà Tĩnh", kind=UnitKind.OTHER_AGENCY, parent=province
        ),
    }


def make_demo_units() -> None:
    """The demo organisation (motcua/demo/data/org_units.json), created with the Unit model."""
    data = json.loads((DEMO_DATA / "org_units.json").read_text(encoding="utf-8"))
    for item in data["units"]:
        UnitFactory(
            code=item["code"],
            name=item["name"],
            short_name=item.get("short_name", ""),
            kind=item["kind"],
            parent=Unit.objects.get(code=item["parent"]) if item["parent"] else None,
            sort_order=item.get("sort_order", 0),
        )


def version(decision="1/QĐ-UBND", effective_from="2023-01-01", **overrides) -> dict:
    """One version in the JSON shape: 10 working days, 80 hours of steps, a fee, two components."""
    base = {
        "decision": decision,
        "change": "announced",
        "effective_from": effective_from,
        "replaced_by": None,
        "name": "Cấp Phiếu lý lịch tư pháp cho công dân Việt Nam",
        "field": "LLTP",
        "competent_agency": SO,
        "receiving_unit": CENTRE,
        "level": "mot_phan",
        "processing_time": {"value": "10", "unit": "working_days"},
        "fees": [
            {"name": "Phí cung cấp thông tin lý lịch tư pháp", "amount": 200000},
            {"name": "Phí cho sinh viên, người có công", "amount": 100000},
        ],
        "components": [
            {
                "name": "Tờ khai yêu cầu cấp Phiếu lý lịch tư pháp",
                "form": "original",
                "count": 1,
                "mandatory": True,
                "template": "Mẫu số 03/2013/TT-LLTP",
                "source": "Luật Lý lịch tư pháp 2009, Điều 45 khoản 1 điểm a",
            },
            {
                "name": "Bản chụp giấy tờ tùy thân",
                "form": "copy",
                "count": 1,
                "mandatory": False,
                "condition": "Khi không khai thác được từ Cơ sở dữ liệu quốc gia về dân cư",
                "source": "Luật Lý lịch tư pháp 2009, Điều 45 khoản 1 điểm b",
            },
        ],
        "results": ["Phiếu lý lịch tư pháp"],
        "intake_channels": ["desk", "online", "post"],
        "return_channels": ["desk", "post"],
        "legal_basis": "Luật Lý lịch tư pháp 2009; Thông tư 244/2016/TT-BTC",
        "content_source": "Luật Lý lịch tư pháp 2009 (thử nghiệm)",
        "process_source": "Quy trình thử nghiệm",
        "steps": [
            {
                "name": "Tiếp nhận hồ sơ",
                "unit": CENTRE,
                "role": "desk_officer",
                "budget_hours": "4",
            },
            {
                "name": "Thẩm định, xác minh",
                "unit": DIVISION,
                "role": "specialist",
                "budget_hours": "60",
            },
            {
                "name": "Lãnh đạo Sở ký",
                "unit": SO,
                "role": "department_leader",
                "budget_hours": "12",
            },
            {"name": "Trả kết quả", "unit": None, "role": "desk_officer", "budget_hours": "4"},
        ],
    }
    base.update(overrides)
    return base


def decision(number, day, **overrides) -> dict:
    item = {
        "number": number,
        "signed_on": day,
        "effective_from": day,
        "issuer": "Chủ tịch UBND tỉnh Hà Tĩnh",
        "title": f"Quyết định {number} công bố TTHC ngành Tư pháp (thử nghiệm)",
    }
    item.update(overrides)
    return item


def document(procedures=None, decisions=None, fields=None) -> dict:
    """A whole catalogue document; by default one procedure with one version."""
    return copy.deepcopy(
        {
            "format": "motcua.catalogue/1",
            "fields": fields
            if fields is not None
            else [
                {"code": "LLTP", "name": "Lý lịch tư pháp"},
                {"code": "TGPL", "name": "Trợ giúp pháp lý"},
            ],
            "decisions": decisions
            if decisions is not None
            else [decision("1/QĐ-UBND", "2023-01-01")],
            "procedures": procedures
            if procedures is not None
            else [{"code": "2.001417", "is_internal": False, "versions": [version()]}],
        }
    )


def history_document() -> dict:
    """One procedure announced (2023-01-01), amended (2024-01-01) and replaced (2025-07-01) by
    another, which is repealed (2026-01-01); plus an internal procedure announced 2023-05-17."""
    decisions = [
        decision("1/QĐ-UBND", "2023-01-01"),
        decision("1106/QĐ-UBND", "2023-05-17"),
        decision("2/QĐ-UBND", "2024-01-01", signed_on="2023-12-20"),
        decision("3/QĐ-UBND", "2025-07-01", signed_on="2025-06-20"),
        decision("4/QĐ-UBND", "2026-01-01", signed_on="2025-12-15"),
    ]
    old = [
        version(),
        version(
            "2/QĐ-UBND",
            "2024-01-01",
            change="amended",
            name="Cấp Phiếu lý lịch tư pháp cho công dân (sửa đổi)",
            processing_time={"value": "5", "unit": "working_days"},
            steps=[
                {"name": "Tiếp nhận", "unit": CENTRE, "role": "desk_officer", "budget_hours": "4"},
                {"name": "Xử lý", "unit": DIVISION, "role": "specialist", "budget_hours": "35.5"},
                {
                    "name": "Trả kết quả",
                    "unit": CENTRE,
                    "role": "desk_officer",
                    "budget_hours": "0.5",
                },
            ],
        ),
        version(
            "3/QĐ-UBND",
            "2025-07-01",
            change="replaced",
            replaced_by="3.000333",
            name="Cấp Phiếu lý lịch tư pháp cho công dân (sửa đổi)",
            processing_time={"value": "5", "unit": "working_days"},
            steps=[],
        ),
    ]
    new = [
        version(
            "3/QĐ-UBND",
            "2025-07-01",
            name="Cấp Phiếu lý lịch tư pháp số 1 cho công dân",
            competent_agency=POLICE,
            receiving_unit=POLICE,
            steps=[],
        ),
        version(
            "4/QĐ-UBND",
            "2026-01-01",
            change="repealed",
            name="Cấp Phiếu lý lịch tư pháp số 1 cho công dân",
            competent_agency=POLICE,
            receiving_unit=POLICE,
            steps=[],
        ),
    ]
    internal = [
        version(
            "1106/QĐ-UBND",
            "2023-05-17",
            name="Công nhận báo cáo viên pháp luật cấp tỉnh",
            field="TGPL",
            competent_agency=PROVINCE,
            receiving_unit=SO,
            level="none",
            fees=[],
            intake_channels=["desk"],
            steps=[],
        )
    ]
    legal_aid = [
        version(
            name="Thủ tục thực hiện trợ giúp pháp lý",
            field="TGPL",
            competent_agency=LEGAL_AID,
            receiving_unit=LEGAL_AID,
            level="none",
            fees=[{"name": "Miễn phí", "amount": 0}],
            intake_channels=["desk"],
            steps=[],
        )
    ]
    return document(
        procedures=[
            {"code": "2.001417", "is_internal": False, "versions": old},
            {"code": "3.000333", "is_internal": False, "versions": new},
            {"code": "LOCAL-STP-091", "is_internal": True, "versions": internal},
            {"code": "2.000977", "is_internal": False, "versions": legal_aid},
        ],
        decisions=decisions,
    )
