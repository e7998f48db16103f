"""The reform data of the demo department (Sở Tư pháp Hà Tĩnh, H1/2023), built through the services so
that `report_sections(date(2023, 1, 1), date(2023, 6, 30))` gives the report's own figures:

* Kế hoạch CCHC năm 2023 (08/KH-STP): 70 tasks — 11 done, 35 in progress, 24 not started (all due
  after 30/06/2023), none overdue;
* 50 tasks assigned by UBND tỉnh — 47 done, 3 in progress, none overdue;
* 28 drafts appraised, 68 commented on (40 central, 28 provincial), 34 documents self-checked,
  130 reviewed: 53 expired fully and 17 partly in 2022, 7 to amend (01 Nghị quyết, 06 Quyết định),
  10 to replace, 7 to repeal, 36 kept.

Idempotent: every record is looked up by its natural key first, so a second run changes nothing.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db import transaction

from motcua.org.models import Unit

from . import services
from .models import (
    ActivityKind,
    Area,
    DocType,
    Draft,
    Inspection,
    IsoAudit,
    IsoDocument,
    IsoProcess,
    IsoProcessKind,
    IsoUnit,
    Issuer,
    LegalActivity,
    LegalDocument,
    ParAssessment,
    Plan,
    ReviewOutcome,
    SystematisationPeriod,
    Task,
    TaskSource,
    TaskStatus,
)
from .services.par_load import par_data_file

SO = "000.00.12.H27"
VP, TTR, XD, PB, HC = (f"000.0{n}.12.H27" for n in (1, 2, 3, 4, 5))
TGPL, DG, CC1, CC2 = (f"000.0{n}.12.H27" for n in (6, 7, 8, 9))
PLAN_NUMBER, PLAN_DATE = "08/KH-STP", date(2023, 1, 16)

# (area, unit, title) — the Sở's own plan, from the report's text.
PLAN_TASKS: list[tuple[str, str, str]] = [
    (Area.DIRECTION, VP, "Ban hành Kế hoạch CCHC năm 2023 của Sở Tư pháp"),
    (
        Area.DIRECTION,
        VP,
        "Ban hành Kế hoạch chấn chỉnh, khắc phục hạn chế, tồn tại qua thẩm định CCHC năm 2022",
    ),
    (Area.DIRECTION, VP, "Ban hành Kế hoạch tuyên truyền CCHC, PCI, DDCI năm 2023"),
    (
        Area.DIRECTION,
        VP,
        "Ban hành văn bản triển khai Chỉ thị số 05/CT-UBND về đẩy mạnh CCHC giai đoạn 2021–2023",
    ),
    (
        Area.DIRECTION,
        VP,
        "Đôn đốc số hóa, thanh toán trực tuyến hồ sơ TTHC và đăng ký tài khoản trên Cổng Dịch vụ công quốc gia",
    ),
    (
        Area.DIRECTION,
        PB,
        "Tổ chức sinh hoạt Ngày pháp luật tháng 5 giới thiệu dịch vụ công trực tuyến",
    ),
    (
        Area.DIRECTION,
        PB,
        "Thực hiện Chương trình pháp luật và đời sống tháng 02 về Nghị định số 104/2022/NĐ-CP",
    ),
    (
        Area.DIRECTION,
        VP,
        "Đăng tải Bản tin CCHC điện tử hằng tháng trên chuyên mục Tuyên truyền CCHC",
    ),
    (
        Area.DIRECTION,
        PB,
        "Phát hành Bản tin Tư pháp và Tờ thông tin hỗ trợ pháp lý cho doanh nghiệp hằng tháng",
    ),
    (
        Area.DIRECTION,
        VP,
        "Đăng ký mô hình, sáng kiến: Đề án hoàn thiện hệ thống văn bản QPPL của địa phương",
    ),
    (Area.DIRECTION, VP, "Tự kiểm tra công tác CCHC tại 07/09 Phòng, Trung tâm thuộc Sở"),
    (Area.DIRECTION, VP, "Xây dựng báo cáo CCHC định kỳ quý, 6 tháng, năm gửi Sở Nội vụ"),
    (Area.DIRECTION, VP, "Tự đánh giá, chấm điểm Chỉ số CCHC năm 2023 của Sở"),
    (Area.INSTITUTIONS, XD, "Tham mưu UBND tỉnh ban hành Kế hoạch công tác tư pháp năm 2023"),
    (
        Area.INSTITUTIONS,
        XD,
        "Hướng dẫn thẩm quyền, quy trình xây dựng văn bản QPPL cho các Sở, ngành, UBND cấp huyện",
    ),
    (Area.INSTITUTIONS, XD, "Thẩm định dự thảo văn bản QPPL của HĐND, UBND tỉnh đúng thời hạn"),
    (Area.INSTITUTIONS, XD, "Góp ý dự thảo văn bản QPPL của Trung ương và của tỉnh"),
    (Area.INSTITUTIONS, XD, "Tự kiểm tra văn bản QPPL do UBND tỉnh ban hành"),
    (Area.INSTITUTIONS, XD, "Kiểm tra văn bản QPPL của HĐND, UBND cấp huyện theo thẩm quyền"),
    (Area.INSTITUTIONS, XD, "Rà soát văn bản QPPL của HĐND, UBND tỉnh thường xuyên"),
    (
        Area.INSTITUTIONS,
        XD,
        "Công bố Danh mục văn bản QPPL của HĐND, UBND tỉnh hết hiệu lực năm 2022",
    ),
    (Area.INSTITUTIONS, XD, "Hệ thống hóa văn bản QPPL kỳ 2019–2023"),
    (Area.INSTITUTIONS, XD, "Theo dõi thi hành pháp luật về giá và bảo đảm an sinh xã hội"),
    (
        Area.INSTITUTIONS,
        XD,
        "Kiểm tra công tác thi hành pháp luật về xử lý vi phạm hành chính năm 2023",
    ),
    (
        Area.INSTITUTIONS,
        XD,
        "Trình HĐND tỉnh Nghị quyết bảo đảm kinh phí xây dựng pháp luật và hỗ trợ pháp lý cho doanh nghiệp",
    ),
    (
        Area.INSTITUTIONS,
        PB,
        "Triển khai Đề án nâng cao hiệu quả hỗ trợ pháp lý cho doanh nghiệp giai đoạn 2021–2030",
    ),
    (
        Area.PROCEDURES,
        HC,
        "Ban hành Kế hoạch kiểm soát TTHC và thực hiện cơ chế một cửa, một cửa liên thông năm 2023",
    ),
    (
        Area.PROCEDURES,
        HC,
        "Trình công bố danh mục, quy trình nội bộ TTHC lĩnh vực hộ tịch, chứng thực, giám định tư pháp, trợ giúp pháp lý",
    ),
    (Area.PROCEDURES, HC, "Trình công bố TTHC lĩnh vực hộ tịch thuộc thẩm quyền UBND cấp huyện"),
    (Area.PROCEDURES, HC, "Xây dựng dự thảo công bố TTHC lĩnh vực hộ tịch cấp xã"),
    (Area.PROCEDURES, VP, "Rà soát, đơn giản hóa TTHC nội bộ giai đoạn 2023–2025"),
    (Area.PROCEDURES, HC, "Rà soát 05 TTHC thuộc thẩm quyền giải quyết của Sở"),
    (Area.PROCEDURES, VP, "Đo lường sự hài lòng của tổ chức, cá nhân hằng quý"),
    (
        Area.PROCEDURES,
        HC,
        "Số hóa trên 90% hồ sơ TTHC đầu vào tại Trung tâm Phục vụ hành chính công",
    ),
    (Area.PROCEDURES, HC, "Tiếp nhận, trả kết quả TTHC qua dịch vụ bưu chính công ích"),
    (
        Area.PROCEDURES,
        HC,
        "Công khai TTHC trên Cổng Dịch vụ công quốc gia và Cổng Thông tin điện tử Sở",
    ),
    (Area.PROCEDURES, TGPL, "Niêm yết TTHC trợ giúp pháp lý tại trụ sở Trung tâm Trợ giúp pháp lý"),
    (Area.PROCEDURES, VP, "Tiếp nhận, xử lý phản ánh, kiến nghị về quy định hành chính"),
    (
        Area.ORGANISATION,
        VP,
        "Sắp xếp, kiện toàn các Phòng, Trung tâm thuộc Sở theo Nghị định số 107/2020/NĐ-CP",
    ),
    (
        Area.ORGANISATION,
        VP,
        "Xây dựng Đề án sắp xếp, kiện toàn Trung tâm Dịch vụ đấu giá tài sản tỉnh",
    ),
    (Area.ORGANISATION, VP, "Bố trí cấp phó dôi dư theo phương án của Đề án sắp xếp"),
    (Area.ORGANISATION, VP, "Rà soát vị trí việc làm và cơ cấu ngạch công chức, viên chức"),
    (Area.ORGANISATION, VP, "Đăng ký chỉ tiêu thi tuyển công chức năm 2023"),
    (Area.CIVIL_SERVICE, VP, "Ban hành Kế hoạch đào tạo, bồi dưỡng công chức, viên chức năm 2023"),
    (
        Area.CIVIL_SERVICE,
        VP,
        "Luân chuyển, chuyển đổi vị trí công tác đối với công chức, viên chức năm 2023",
    ),
    (
        Area.CIVIL_SERVICE,
        VP,
        "Thực hiện kỷ luật, kỷ cương hành chính, văn minh, văn hóa công sở năm 2023",
    ),
    (
        Area.CIVIL_SERVICE,
        VP,
        "Cập nhật thông tin công chức, viên chức vào phần mềm quản lý của Bộ Nội vụ",
    ),
    (Area.CIVIL_SERVICE, VP, "Đánh giá, xếp loại công chức, viên chức theo tiêu chí CCHC"),
    (Area.CIVIL_SERVICE, TTR, "Thanh tra công vụ, kiểm tra việc chấp hành giờ giấc làm việc"),
    (
        Area.CIVIL_SERVICE,
        VP,
        "Cử công chức tham gia lớp bồi dưỡng chuyên viên chính, lãnh đạo cấp phòng",
    ),
    (Area.PUBLIC_FINANCE, VP, "Rà soát, sửa đổi Quy chế chi tiêu nội bộ và quản lý tài sản công"),
    (Area.PUBLIC_FINANCE, VP, "Công khai dự toán ngân sách nhà nước năm 2023"),
    (Area.PUBLIC_FINANCE, VP, "Hướng dẫn 04 đơn vị sự nghiệp hoàn thiện Quy chế chi tiêu nội bộ"),
    (
        Area.PUBLIC_FINANCE,
        VP,
        "Tham mưu giao quyền tự chủ tài chính giai đoạn 2023–2025 cho đơn vị trực thuộc",
    ),
    (Area.PUBLIC_FINANCE, VP, "Thực hành tiết kiệm, chống lãng phí năm 2023"),
    (Area.PUBLIC_FINANCE, DG, "Trích lập quỹ phúc lợi, quỹ ổn định thu nhập tại đơn vị sự nghiệp"),
    (Area.PUBLIC_FINANCE, CC1, "Hoàn thiện Quy chế chi tiêu nội bộ Phòng Công chứng số 1"),
    (Area.PUBLIC_FINANCE, CC2, "Hoàn thiện Quy chế chi tiêu nội bộ Phòng Công chứng số 2"),
    (
        Area.DIGITAL_GOVERNMENT,
        VP,
        "Thực hiện Kế hoạch phát triển chính quyền số và bảo đảm an toàn thông tin mạng năm 2023",
    ),
    (
        Area.DIGITAL_GOVERNMENT,
        VP,
        "Triển khai Đề án chuyển đổi số tỉnh Hà Tĩnh giai đoạn 2021–2025",
    ),
    (Area.DIGITAL_GOVERNMENT, VP, "Gửi, nhận văn bản điện tử qua phần mềm quản lý văn bản"),
    (Area.DIGITAL_GOVERNMENT, VP, "Sử dụng chữ ký số trong gửi, nhận văn bản điện tử"),
    (Area.DIGITAL_GOVERNMENT, HC, "Cung cấp dịch vụ công trực tuyến toàn trình ngành Tư pháp"),
    (Area.DIGITAL_GOVERNMENT, HC, "Thanh toán trực tuyến phí, lệ phí giải quyết TTHC"),
    (Area.DIGITAL_GOVERNMENT, VP, "Duy trì Hệ thống quản lý chất lượng theo TCVN ISO 9001:2015"),
    (Area.DIGITAL_GOVERNMENT, VP, "Cập nhật chuyên mục Hỏi – Đáp trên Cổng Thông tin điện tử Sở"),
    (
        Area.DIGITAL_GOVERNMENT,
        HC,
        "Kết nối, chia sẻ dữ liệu hộ tịch điện tử với Cơ sở dữ liệu quốc gia về dân cư",
    ),
    (Area.DIGITAL_GOVERNMENT, TGPL, "Ứng dụng phần mềm quản lý vụ việc trợ giúp pháp lý"),
    (Area.DIGITAL_GOVERNMENT, VP, "Bảo đảm an toàn thông tin mạng tại cơ quan Sở"),
    (
        Area.DIGITAL_GOVERNMENT,
        VP,
        "Hỗ trợ người dân đăng ký tài khoản dịch vụ công tại Trung tâm Phục vụ hành chính công",
    ),
]
# Which of the 70 tasks were done (11) and which were still not started (24) by 30/06/2023.
PLAN_DONE = {0, 1, 2, 3, 4, 5, 6, 13, 26, 43, 44}
PLAN_NOT_STARTED = {
    12, 21, 23, 28, 29, 30, 31, 39, 40, 41, 48, 49,
    53, 55, 56, 57, 60, 61, 64, 65, 66, 67, 68, 69,
}  # fmt: skip

# Tasks the provincial People's Committee assigned in H1/2023: (title, assigning document).
PROVINCE_TASKS: list[tuple[str, str]] = [
    ("Báo cáo kết quả công tác tư pháp {q}", "Kế hoạch số 40/KH-UBND ngày 20/02/2023"),
    ("Báo cáo công tác CCHC {q} của Sở Tư pháp", "Văn bản số 335/SNV-CCHC&VTLT ngày 04/3/2022"),
    ("Báo cáo công tác kiểm soát TTHC {q}", "Kế hoạch số 524/KH-UBND ngày 29/12/2022"),
    (
        "Báo cáo tình hình thi hành pháp luật về xử lý vi phạm hành chính {q}",
        "Kế hoạch số 40/KH-UBND ngày 20/02/2023",
    ),
    ("Báo cáo kết quả thực hiện Chương trình tổng thể CCHC {q}", "Chỉ thị số 05/CT-UBND"),
    (
        "Báo cáo kết quả số hóa hồ sơ, kết quả giải quyết TTHC {q}",
        "Công văn số 754/UBND-NC3 ngày 24/02/2023",
    ),
    ("Báo cáo công tác phổ biến, giáo dục pháp luật {q}", "Kế hoạch số 40/KH-UBND ngày 20/02/2023"),
    ("Báo cáo công tác trợ giúp pháp lý {q}", "Kế hoạch số 40/KH-UBND ngày 20/02/2023"),
]
QUARTERS = (
    "tháng 01/2023",
    "tháng 02/2023",
    "quý I/2023",
    "tháng 4/2023",
    "tháng 5/2023",
    "6 tháng đầu năm 2023",
)
PROVINCE_SINGLE: list[tuple[str, str, str]] = [
    (
        "Tham mưu triển khai Chương trình hành động số 24-CTr/TU thực hiện Nghị quyết số 27-NQ/TW",
        "Công văn số 754/UBND-NC3 ngày 24/02/2023",
        XD,
    ),
    (
        "Tham mưu xử lý Quyết định số 02/2009/QĐ-UBND theo ý kiến của Bộ Tư pháp",
        "Văn bản của UBND tỉnh ngày 15/3/2023",
        XD,
    ),
    (
        "Trình ban hành Quyết định công bố danh mục, quy trình nội bộ 17 TTHC của Sở Tư pháp",
        "Văn bản của UBND tỉnh ngày 10/4/2023",
        HC,
    ),
    (
        "Trình công bố 02 TTHC nội bộ thuộc phạm vi quản lý của Sở Tư pháp",
        "Kế hoạch số 524/KH-UBND ngày 29/12/2022",
        VP,
    ),
    (
        "Xây dựng Kế hoạch triển khai Đề án hỗ trợ pháp lý cho doanh nghiệp giai đoạn 2021–2030",
        "Văn bản của UBND tỉnh ngày 06/02/2023",
        PB,
    ),
    (
        "Đăng ký nội dung Chương trình hỗ trợ pháp lý cho doanh nghiệp năm 2023 với Bộ Tư pháp",
        "Văn bản của UBND tỉnh ngày 06/02/2023",
        PB,
    ),
    (
        "Trình ban hành Kế hoạch theo dõi thi hành pháp luật về giá và an sinh xã hội",
        "Kế hoạch số 40/KH-UBND ngày 20/02/2023",
        XD,
    ),
    (
        "Tham mưu Quyết định giao quyền tự chủ tài chính 2023–2025 cho đơn vị thuộc Sở",
        "Văn bản của UBND tỉnh ngày 20/01/2023",
        VP,
    ),
    (
        "Tham gia Đoàn kiểm tra liên ngành công tác CCHC tại các huyện",
        "Văn bản của UBND tỉnh ngày 02/5/2023",
        VP,
    ),
    (
        "Tổng hợp ý kiến góp ý dự thảo Luật Đất đai (sửa đổi) trên địa bàn tỉnh",
        "Văn bản của UBND tỉnh ngày 05/01/2023",
        XD,
    ),
    (
        "Hướng dẫn các huyện rà soát, hệ thống hóa văn bản QPPL kỳ 2019–2023",
        "Văn bản của UBND tỉnh ngày 12/5/2023",
        XD,
    ),
    (
        "Trình Danh mục văn bản QPPL của HĐND, UBND tỉnh hết hiệu lực năm 2022",
        "Văn bản của UBND tỉnh ngày 09/01/2023",
        XD,
    ),
]
# The three tasks of UBND tỉnh still in progress on 30/06/2023 (due in the second half-year).
PROVINCE_OPEN: list[tuple[str, str, str, date]] = [
    (
        "Trình công bố 18 TTHC lĩnh vực hộ tịch thuộc thẩm quyền UBND cấp huyện",
        "Văn bản của UBND tỉnh ngày 22/5/2023",
        HC,
        date(2023, 7, 31),
    ),
    (
        "Trình Quyết định sắp xếp, kiện toàn Trung tâm Dịch vụ đấu giá tài sản tỉnh",
        "Văn bản của UBND tỉnh ngày 15/5/2023",
        VP,
        date(2023, 9, 30),
    ),
    (
        "Trình Kế hoạch kiểm tra thi hành pháp luật về xử lý vi phạm hành chính năm 2023",
        "Văn bản của UBND tỉnh ngày 08/6/2023",
        XD,
        date(2023, 8, 15),
    ),
]
PROVINCE_UNITS = (XD, VP, HC, XD, VP, HC, PB, TGPL)

DOC_SUBJECTS = (
    "mức thu, chế độ thu, nộp, quản lý và sử dụng phí thẩm định hồ sơ",
    "phân cấp quản lý nhà nước về đất đai",
    "giá các loại đất định kỳ 05 năm",
    "quản lý, sử dụng tài sản công",
    "chính sách khuyến khích phát triển nông nghiệp, nông thôn",
    "quản lý hoạt động vận tải hành khách bằng xe ô tô",
    "định mức hỗ trợ xây dựng nông thôn mới",
    "chức năng, nhiệm vụ, quyền hạn của Sở",
    "quản lý cụm công nghiệp",
    "bồi thường, hỗ trợ, tái định cư khi Nhà nước thu hồi đất",
    "quản lý chất thải rắn sinh hoạt",
    "mức chi bảo đảm cho công tác xây dựng văn bản quy phạm pháp luật",
    "hạn mức giao đất ở, công nhận quyền sử dụng đất",
    "quản lý, bảo vệ công trình thủy lợi",
    "chế độ hỗ trợ cán bộ, công chức cấp xã",
    "bảng giá tính lệ phí trước bạ",
    "quản lý hoạt động khoáng sản",
    "chính sách hỗ trợ doanh nghiệp nhỏ và vừa",
)


@dataclass
class DemoReport:
    created: dict[str, int] = field(default_factory=dict)

    def add(self, what: str) -> None:
        self.created[what] = self.created.get(what, 0) + 1


def _units() -> dict[str, Unit]:
    units = {
        u.code: u
        for u in Unit.objects.filter(code__startswith="000.0").filter(code__endswith=".12.H27")
    }
    if SO not in units or VP not in units:
        # The reform demo sits on the demo organisation: load it (an idempotent upsert by code).
        from motcua.demo.loaders import LoadReport, load_org_units

        load_org_units(LoadReport())
        return _units()
    return units


def load_demo(stdout=None) -> DemoReport:
    report = DemoReport()
    with transaction.atomic():
        units = _units()
        owners = _owners(units)
        plan = _load_plan(units, report)
        _load_plan_tasks(plan, units, owners, report)
        _load_province_tasks(units, owners, report)
        _load_inspection(plan, units, report)
        _load_legal(units, report)
        _load_iso(units, report)
        _load_par(units, report)
    if stdout is not None:
        made = (
            ", ".join(f"{k}: {v}" for k, v in sorted(report.created.items())) or "không có gì mới"
        )
        stdout.write(f"Cải cách hành chính: {made}.\n")
    return report


# --- plans and tasks -----------------------------------------------------------------------------
def _load_plan(units, report) -> Plan:
    plan = Plan.objects.filter(number=PLAN_NUMBER, year=2023).first()
    if plan is None:
        plan = services.plan_create(
            None,
            number=PLAN_NUMBER,
            issued_on=PLAN_DATE,
            title="Kế hoạch công tác cải cách hành chính năm 2023 của Sở Tư pháp",
            unit=units[SO],
        )
        report.add("kế hoạch")
    for number, issued, title in (
        ("20/KH-STP", date(2023, 2, 2), "Khắc phục các tồn tại, hạn chế trong công tác CCHC, các tiêu chí bị trừ điểm năm 2022"),
        ("11/KH-STP", date(2023, 1, 16), "Tuyên truyền CCHC, PCI, DDCI năm 2023"),
    ):  # fmt: skip
        if not Plan.objects.filter(number=number, year=2023).exists():
            services.plan_create(None, number=number, issued_on=issued, title=title, unit=units[SO])
            report.add("kế hoạch")
    return plan


def _owners(units) -> dict[int, object]:
    """A person for the tasks of each unit when the demo staff are loaded: its specialist, else its
    head. Used only when a task is first created, so a later run changes nothing."""
    from motcua.accounts.models import User
    from motcua.accounts.roles import Role

    owners: dict[int, object] = {}
    people = User.objects.filter(
        unit__in=units.values(), role__in=[Role.SPECIALIST, Role.DIVISION_HEAD], is_active=True
    ).order_by("-role", "pk")  # "specialist" sorts after "division_head": specialists first
    for person in people:
        owners.setdefault(person.unit_id, person)
    return owners


def _ensure_task(report, owners, *, status, started_on, completed_on, **fields) -> Task:
    task = Task.objects.filter(
        source=fields["source"],
        title=fields["title"],
        unit=fields["unit"],
        deadline=fields["deadline"],
    ).first()
    if task is not None:
        return task
    fields.setdefault("owner", owners.get(fields["unit"].pk))
    task = services.task_create(None, **fields)
    services.task_import_status(
        task, status=status, started_on=started_on, completed_on=completed_on
    )
    report.add("nhiệm vụ")
    return task


def _load_plan_tasks(plan, units, owners, report) -> None:
    for index, (area, unit, title) in enumerate(PLAN_TASKS):
        if index in PLAN_DONE:
            completed = date(2023, 2, 1) + timedelta(days=11 * index % 130)
            status, started, deadline = (
                TaskStatus.DONE,
                PLAN_DATE + timedelta(days=7),
                completed + timedelta(days=14),
            )
        elif index in PLAN_NOT_STARTED:
            status, started, completed = TaskStatus.NOT_STARTED, None, None
            deadline = date(2023, 9 + index % 4, 15 if index % 2 else 30)
        else:
            status, started, completed = (
                TaskStatus.IN_PROGRESS,
                date(2023, 2, 1) + timedelta(days=index),
                None,
            )
            deadline = date(2023, 12, 15) if index % 3 else date(2023, 11, 30)
        _ensure_task(
            report,
            owners,
            status=status,
            started_on=started,
            completed_on=completed,
            source=TaskSource.PLAN,
            plan=plan,
            title=title,
            area=area,
            unit=units[unit],
            assigned_on=PLAN_DATE,
            deadline=deadline,
        )


def _load_province_tasks(units, owners, report) -> None:
    items = []
    for round_index, period in enumerate(QUARTERS[: 35 // len(PROVINCE_TASKS) + 1]):
        for (title, document), unit in zip(PROVINCE_TASKS, PROVINCE_UNITS, strict=True):
            items.append((title.format(q=period), document, unit, round_index))
    items = items[:35]
    for title, document, unit, round_index in items:
        assigned = date(2023, 1, 5) + timedelta(days=30 * round_index)
        completed = assigned + timedelta(days=10)
        _province_task(
            report,
            units,
            owners,
            title,
            document,
            unit,
            assigned,
            completed,
            completed + timedelta(days=5),
        )
    for offset, (title, document, unit) in enumerate(PROVINCE_SINGLE):
        assigned = date(2023, 1, 9) + timedelta(days=12 * offset)
        completed = assigned + timedelta(days=12)
        _province_task(
            report,
            units,
            owners,
            title,
            document,
            unit,
            assigned,
            completed,
            completed + timedelta(days=3),
        )
    for offset, (title, document, unit, deadline) in enumerate(PROVINCE_OPEN):
        assigned = date(2023, 5, 15) + timedelta(days=7 * offset)
        _province_task(report, units, owners, title, document, unit, assigned, None, deadline)


def _province_task(report, units, owners, title, document, unit, assigned, completed, deadline):
    _ensure_task(
        report,
        owners,
        status=TaskStatus.DONE if completed else TaskStatus.IN_PROGRESS,
        started_on=assigned + timedelta(days=1),
        completed_on=completed,
        source=TaskSource.PROVINCE,
        source_document=f"{document} của UBND tỉnh" if "UBND tỉnh" not in document else document,
        title=title,
        area=Area.INSTITUTIONS if unit == XD else Area.DIRECTION,
        unit=units[unit],
        assigned_on=assigned,
        deadline=deadline,
    )


def _load_inspection(plan, units, report) -> None:
    title = "Tự kiểm tra công tác CCHC năm 2023 tại các Phòng, Trung tâm thuộc Sở"
    inspection = Inspection.objects.filter(title=title).first()
    if inspection is None:
        inspection = services.inspection_create(
            None,
            title=title,
            reference="Kế hoạch số 164/KH-STP ngày 02/6/2023",
            plan=plan,
            started_on=date(2023, 6, 12),
            ended_on=date(2023, 6, 30),
        )
        report.add("đợt kiểm tra")
    findings = {
        VP: "Thực hiện đầy đủ nhiệm vụ CCHC được giao; hồ sơ lưu trữ chưa đầy đủ minh chứng.",
        XD: "Thẩm định, góp ý văn bản đúng thời hạn.",
        PB: "Tuyên truyền CCHC chưa thường xuyên trên Cổng Thông tin điện tử.",
        HC: "Số hóa hồ sơ TTHC đạt trên 90%; còn hồ sơ cập nhật chậm trên phần mềm.",
        TGPL: "Niêm yết TTHC đầy đủ tại trụ sở.",
        CC1: "Thực hiện tốt kỷ luật, kỷ cương hành chính.",
        CC2: "Quy chế chi tiêu nội bộ chưa cập nhật theo Nghị định số 60/2021/NĐ-CP.",
    }
    for code, text in findings.items():
        if not inspection.findings.filter(unit=units[code]).exists():
            follow = (
                "Khắc phục, báo cáo kết quả trước ngày 31/7/2023."
                if "chưa" in text or "còn" in text
                else ""
            )
            services.inspection_finding_add(
                None, inspection.pk, unit=units[code], findings=text, follow_up=follow
            )
            report.add("kết quả kiểm tra")


# --- legal documents -----------------------------------------------------------------------------
def _document(report, issuer, doc_type, number, issued_on, title) -> LegalDocument:
    document = LegalDocument.objects.filter(issuer=issuer, number=number).first()
    if document is None:
        document = services.legal_document_register(
            None,
            issuer=issuer,
            doc_type=doc_type,
            number=number,
            issued_on=issued_on,
            title=title,
            effective_from=issued_on + timedelta(days=10),
        )
        report.add("văn bản QPPL")
    return document


def _activity(report, **fields) -> None:
    exists = LegalActivity.objects.filter(
        kind=fields["kind"],
        draft=fields.get("draft"),
        document=fields.get("document"),
        done_on=fields["done_on"],
    ).exists()
    if not exists:
        services.legal_activity_record(None, **fields)
        report.add("hoạt động văn bản")


def _h1_day(n: int) -> date:
    """The n-th of a spread of working days over H1/2023 (Mondays to Fridays)."""
    day = date(2023, 1, 3) + timedelta(days=(n * 11) % 175)
    return day - timedelta(days=max(0, day.weekday() - 4))


# The 130 reviews' outcomes, in the report's proportions.
REVIEW_OUTCOMES = (
    [ReviewOutcome.EXPIRED_FULLY] * 53
    + [ReviewOutcome.EXPIRED_PARTLY] * 17
    + [ReviewOutcome.AMEND] * 7
    + [ReviewOutcome.REPLACE] * 10
    + [ReviewOutcome.REPEAL] * 7
    + [ReviewOutcome.KEEP] * 36
)


def _load_legal(units, report) -> None:
    xd = units[XD]
    for index, outcome in enumerate(REVIEW_OUTCOMES):
        # The first amended one is a Nghị quyết of HĐND tỉnh ("01 Nghị quyết, 06 Quyết định").
        council = index % 9 == 4 or index == 70
        year = 2008 + index % 13
        issuer = Issuer.PROVINCIAL_COUNCIL if council else Issuer.PROVINCIAL_COMMITTEE
        doc_type = DocType.RESOLUTION if council else DocType.DECISION
        sign = "NQ-HĐND" if council else "QĐ-UBND"
        number, title = (
            f"{index + 3}/{year}/{sign}",
            f"Quy định {DOC_SUBJECTS[index % len(DOC_SUBJECTS)]} trên địa bàn tỉnh Hà Tĩnh",
        )
        if index == 77:  # the report's own example, handled on the Ministry of Justice's opinion
            number, year = "02/2009/QĐ-UBND", 2009
            title = "Quy định mức tiết kiệm đối với gói thầu áp dụng hình thức chỉ định thầu, đấu thầu hạn chế"
        issued = date(year, 1 + index % 12, 5 + index % 20)
        if index == 77:
            issued = date(2009, 1, 21)
        document = _document(report, issuer, doc_type, number, issued, title)
        expired_on = date(2022, 1 + index % 12, 1 + index % 28) if outcome in (
            ReviewOutcome.EXPIRED_FULLY, ReviewOutcome.EXPIRED_PARTLY
        ) else None  # fmt: skip
        _activity(
            report,
            kind=ActivityKind.REVIEW,
            done_on=_h1_day(index),
            unit=xd,
            document=document,
            outcome=outcome,
            expired_on=expired_on,
            result="Rà soát theo quy định tại Nghị định số 34/2016/NĐ-CP.",
        )
    for index in range(34):
        issued = date(2023, 1, 3) + timedelta(days=4 * index)
        document = _document(
            report,
            Issuer.PROVINCIAL_COMMITTEE,
            DocType.DECISION,
            f"{index + 1}/2023/QĐ-UBND",
            issued,
            f"Quy định {DOC_SUBJECTS[(index + 5) % len(DOC_SUBJECTS)]} (năm 2023)",
        )
        _activity(
            report,
            kind=ActivityKind.SELF_CHECK,
            done_on=min(issued + timedelta(days=20), date(2023, 6, 29)),
            unit=xd,
            document=document,
            findings="Văn bản bảo đảm nội dung, thể thức, kỹ thuật trình bày.",
        )
    _load_drafts(units, report)
    if not SystematisationPeriod.objects.filter(start_year=2019, end_year=2023).exists():
        services.period_create(
            None, start_year=2019, end_year=2023, cutoff_on=date(2023, 12, 31),
            note="Hướng dẫn các đơn vị, địa phương hệ thống hóa văn bản QPPL kỳ 2019–2023.",
        )  # fmt: skip
        report.add("kỳ hệ thống hóa")


CENTRAL_DRAFTS = (
    (Issuer.NATIONAL_ASSEMBLY, DocType.LAW, "Quốc hội", "Dự thảo Luật {s}"),
    (Issuer.GOVERNMENT, DocType.DECREE, "Bộ Tư pháp", "Dự thảo Nghị định quy định {s}"),
    (Issuer.MINISTER, DocType.CIRCULAR, "Bộ Tư pháp", "Dự thảo Thông tư hướng dẫn {s}"),
    (
        Issuer.PRIME_MINISTER,
        DocType.DECISION,
        "Văn phòng Chính phủ",
        "Dự thảo Quyết định của Thủ tướng Chính phủ về {s}",
    ),
)
CENTRAL_SUBJECTS = (
    "Đất đai (sửa đổi)", "Căn cước", "Giá (sửa đổi)", "Đấu giá tài sản (sửa đổi)",
    "hộ tịch điện tử", "chứng thực bản sao điện tử", "công chứng", "trợ giúp pháp lý",
    "xử lý vi phạm hành chính", "thi hành án dân sự",
)  # fmt: skip


def _load_drafts(units, report) -> None:
    xd = units[XD]
    drafts = []
    for index in range(28):  # provincial drafts appraised
        drafts.append((ActivityKind.APPRAISAL, Issuer.PROVINCIAL_COMMITTEE, DocType.DECISION,
                       f"Sở {('Tài chính', 'Tài nguyên và Môi trường', 'Nông nghiệp và PTNT', 'Xây dựng')[index % 4]}",
                       f"Dự thảo Quyết định của UBND tỉnh quy định {DOC_SUBJECTS[index % len(DOC_SUBJECTS)]} (số {index + 1})", index))  # fmt: skip
    for index in range(40):  # central drafts commented on
        issuer, doc_type, agency, pattern = CENTRAL_DRAFTS[index % 4]
        subject = CENTRAL_SUBJECTS[index % len(CENTRAL_SUBJECTS)]
        drafts.append((ActivityKind.COMMENT, issuer, doc_type, agency, f"{pattern.format(s=subject)} (lần {index // 4 + 1})", index))  # fmt: skip
    for index in range(28):  # provincial drafts commented on
        council = index % 2 == 0
        drafts.append((ActivityKind.COMMENT,
                       Issuer.PROVINCIAL_COUNCIL if council else Issuer.PROVINCIAL_COMMITTEE,
                       DocType.RESOLUTION if council else DocType.DECISION,
                       "Sở Nội vụ" if council else "Sở Kế hoạch và Đầu tư",
                       f"Dự thảo {'Nghị quyết của HĐND' if council else 'Quyết định của UBND'} tỉnh về {DOC_SUBJECTS[(index + 3) % len(DOC_SUBJECTS)]} (góp ý {index + 1})", index))  # fmt: skip
    for kind, issuer, doc_type, agency, title, index in drafts:
        received = _h1_day(index + (0 if kind == ActivityKind.APPRAISAL else 3))
        draft = Draft.objects.filter(
            title=title, drafting_agency=agency, received_on=received
        ).first()
        if draft is None:
            draft = services.draft_register(
                None, title=title, issuer=issuer, doc_type=doc_type,
                drafting_agency=agency, received_on=received,
            )  # fmt: skip
            report.add("dự thảo")
        done = min(received + timedelta(days=7), date(2023, 6, 30))
        reference = (
            f"Báo cáo thẩm định số {index + 10}/BC-STP"
            if kind == ActivityKind.APPRAISAL
            else f"Công văn góp ý số {index + 100}/STP-XDKTVB"
        )
        _activity(report, kind=kind, done_on=done, unit=xd, draft=draft, reference=reference,
                  result="Dự thảo cơ bản bảo đảm tính hợp hiến, hợp pháp, thống nhất.")  # fmt: skip


# --- ISO and PAR index ---------------------------------------------------------------------------
# The 14 internal processes the seed counts (II.6.2: "14 quy trình nội bộ") are not named in it.
# (code, name, unit, source): the sourced names are the kinds every ISO 9001 system of a Vietnamese
# agency has; the others are clearly illustrative, marked ISO_ILLUSTRATIVE.
ISO_ILLUSTRATIVE = "tên minh hoạ, không có trong báo cáo"
ISO_KNA = "https://isokna.com.vn/quy-trinh-bat-buoc-cua-iso (6 quy trình bắt buộc của ISO 9001)"
ISO_INTERNAL = (
    ("QT-NB-01", "Quy trình kiểm soát tài liệu", VP, ISO_KNA),
    ("QT-NB-02", "Quy trình kiểm soát hồ sơ", VP, ISO_KNA),
    ("QT-NB-03", "Quy trình đánh giá nội bộ", VP, "TCVN ISO 9001:2015 điều 9.2 (Đánh giá nội bộ)"),
    ("QT-NB-04", "Quy trình kiểm soát sự không phù hợp", VP, "TCVN ISO 9001:2015 điều 8.7 và 10.2"),
    ("QT-NB-05", "Quy trình hành động khắc phục", VP, "TCVN ISO 9001:2015 điều 10.2"),
    ("QT-NB-06", "Quy trình xem xét của lãnh đạo", VP, "TCVN ISO 9001:2015 điều 9.3 (Xem xét của lãnh đạo)"),
    ("QT-NB-07", "Quy trình thẩm định dự thảo văn bản quy phạm pháp luật", XD, ISO_ILLUSTRATIVE),
    ("QT-NB-08", "Quy trình góp ý dự thảo văn bản quy phạm pháp luật", XD, ISO_ILLUSTRATIVE),
    ("QT-NB-09", "Quy trình kiểm tra văn bản quy phạm pháp luật", XD, ISO_ILLUSTRATIVE),
    ("QT-NB-10", "Quy trình rà soát, hệ thống hóa văn bản quy phạm pháp luật", XD, ISO_ILLUSTRATIVE),
    ("QT-NB-11", "Quy trình quản lý văn bản đến, văn bản đi", VP, ISO_ILLUSTRATIVE),
    ("QT-NB-12", "Quy trình tiếp công dân, xử lý đơn thư", TTR, ISO_ILLUSTRATIVE),
    ("QT-NB-13", "Quy trình giải quyết khiếu nại, tố cáo", TTR, ISO_ILLUSTRATIVE),
    ("QT-NB-14", "Quy trình phổ biến, giáo dục pháp luật", PB, ISO_ILLUSTRATIVE),
)  # fmt: skip
# The earlier demo's hand-entered processes, taken out of the system where still present.
ISO_RETIRED = ("QT-VP-01", "QT-VP-02", "QT-XD-01")
ISO_START = date(2023, 1, 1)  # the register is synced with the catalogue from this day
ISO_DEMO_DATES = (
    "ngày ban hành, người phê duyệt của tài liệu quy trình: minh hoạ, không có trong báo cáo"
)
ISO_APPROVER = "Giám đốc Sở Tư pháp"
# The register's own documents, from the seed's footnotes 21 and 22.
ISO_REGISTER_DOCUMENTS = (
    ("QĐ-18-2023", "Mục tiêu chất lượng năm 2023", "policy", "18/QĐ-STP", date(2023, 3, 30),
     "Báo cáo CCHC 6 tháng đầu năm 2023, chú thích 21: Quyết định số 18/QĐ-STP ngày 30/3/2023 "
     "của Sở Tư pháp về việc ban hành “Mục tiêu chất lượng năm 2023”"),
    ("KH-09-2023", "Kế hoạch xây dựng và áp dụng Hệ thống quản lý chất lượng theo TCVN ISO "
     "9001:2015 năm 2023", "plan", "09/KH-STP", date(2023, 1, 16),
     "Báo cáo CCHC 6 tháng đầu năm 2023, chú thích 22: Kế hoạch số 09/KH-STP ngày 16/01/2023 "
     "của Sở Tư pháp"),
)  # fmt: skip
ISO_UNITS_SOURCE = (
    "Báo cáo CCHC 6 tháng đầu năm 2023, mục II.6.2: “04/04 đơn vị sự nghiệp thuộc Sở đã xây "
    "dựng, áp dụng…”; báo cáo không nêu ngày, quyết định: ghi nhận theo ngày 30/6/2023"
)


def _load_iso(units, report) -> None:
    from motcua.catalog.models import ProcedureVersion
    from motcua.core.clock import now

    for code in ISO_RETIRED:
        old = IsoProcess.objects.filter(code=code, in_scope_until__isnull=True).first()
        if old is not None:
            services.iso_process_withdraw(None, old.pk, on=ISO_START)
    for code, name, unit, source in ISO_INTERNAL:
        if IsoProcess.objects.filter(code=code).exists():
            continue
        process = services.iso_process_create(
            None, code=code, name=name, kind=IsoProcessKind.INTERNAL, unit=units[unit],
            in_scope_from=date(2022, 3, 1), source=source,
        )  # fmt: skip
        report.add("quy trình ISO")
        services.iso_version_add(
            None, process.pk, version="01", issued_on=date(2022, 3, 1),
            next_review_on=date(2023, 3, 1), approver=ISO_APPROVER,
        )  # fmt: skip
        # QT-NB-14's second issue is left unreviewed: the register shows one overdue review.
        if code != "QT-NB-14":
            services.iso_version_add(
                None, process.pk, version="02", issued_on=date(2023, 3, 30),
                next_review_on=date(2024, 3, 30), approver=ISO_APPROVER,
            )  # fmt: skip
        form = services.iso_document_create(
            None, code=f"{code}-BM01", title=f"Sổ theo dõi — {name}", kind="form",
            process=process.pk, source=ISO_DEMO_DATES,
        )  # fmt: skip
        services.iso_document_version_add(
            None, form.pk, version="01", issued_on=date(2022, 3, 1), approver=ISO_APPROVER,
            next_review_on=date(2023, 3, 1) if code == "QT-NB-14" else date(2024, 3, 1),
        )  # fmt: skip
    # Procedures: the register follows the catalogue (every day it changed since ISO_START).
    days = sorted(
        {ISO_START, now().date()}
        | set(
            ProcedureVersion.objects.filter(
                effective_from__gt=ISO_START, effective_from__lte=now().date()
            ).values_list("effective_from", flat=True)
        )
    )
    for day in days:
        result = services.iso_register_sync(None, at=day)
        for _ in result.added:
            report.add("quy trình ISO")
    for code, title, kind, number, issued_on, source in ISO_REGISTER_DOCUMENTS:
        if IsoDocument.objects.filter(code=code).exists():
            continue
        document = services.iso_document_create(
            None, code=code, title=title, kind=kind, source=source
        )
        services.iso_document_version_add(
            None, document.pk, version="01", issued_on=issued_on, approver="Sở Tư pháp",
            decision=number,
        )  # fmt: skip
        report.add("tài liệu ISO")
    for code in (SO, TGPL, DG, CC1, CC2):
        if IsoUnit.objects.filter(unit=units[code]).exists():
            continue
        services.iso_unit_applies(
            None, unit=units[code], applies_from=date(2023, 6, 30), source=ISO_UNITS_SOURCE
        )
        report.add("đơn vị áp dụng ISO")
    _load_iso_audit(units, report)


ISO_AUDIT_TITLE = "Đánh giá nội bộ Hệ thống quản lý chất lượng năm 2023 (minh hoạ)"


def _load_iso_audit(units, report) -> None:
    """One internal audit with a few findings and actions — illustrative, not in the report."""
    if IsoAudit.objects.filter(title=ISO_AUDIT_TITLE).exists():
        return
    processes = IsoProcess.objects.filter(code__in=("QT-NB-01", "QT-NB-02", "QT-NB-14"))
    audit = services.iso_audit_create(
        None, year=2023, title=ISO_AUDIT_TITLE, plan_reference="Kế hoạch số 09/KH-STP ngày 16/01/2023",
        held_from=date(2023, 5, 15), held_to=date(2023, 5, 19), lead_auditor="Chánh Văn phòng Sở",
        auditors="Thư ký ISO; chuyên viên các phòng (minh hoạ)",
        processes=[p.pk for p in processes], units=[units[VP].pk, units[PB].pk],
    )  # fmt: skip
    report.add("đánh giá nội bộ ISO")
    by_code = {p.code: p for p in processes}
    nc = services.iso_finding_add(
        None, audit.pk, kind="nonconformity", clause="7.5.3", found_on=date(2023, 5, 16),
        description="Hồ sơ công việc chưa được lập, lưu trữ theo đúng quy trình (minh hoạ; báo cáo "
        "mục III.7 nêu hạn chế trong công tác hệ thống, lưu trữ văn bản).",
        process=by_code["QT-NB-02"].pk, unit=units[VP].pk,
    )  # fmt: skip
    action = services.iso_action_add(
        None, nc.pk, description="Rà soát, lập lại danh mục hồ sơ công việc năm 2023",
        owner="Chánh Văn phòng Sở", due_on=date(2023, 6, 15), unit=units[VP].pk,
    )  # fmt: skip
    services.iso_action_done(None, action.pk, on=date(2023, 6, 12), result="Đã lập danh mục.")
    services.iso_action_verified(None, action.pk, on=date(2023, 6, 20), by="Thư ký ISO")
    obs = services.iso_finding_add(
        None, audit.pk, kind="observation", clause="7.5.2", found_on=date(2023, 5, 17),
        description="Tài liệu quy trình QT-NB-14 quá hạn rà soát (minh hoạ).",
        process=by_code["QT-NB-14"].pk, unit=units[PB].pk,
    )  # fmt: skip
    services.iso_action_add(
        None, obs.pk, description="Rà soát, ban hành lại quy trình QT-NB-14",
        owner="Trưởng phòng Phổ biến, giáo dục pháp luật", due_on=date(2023, 9, 30),
        unit=units[PB].pk,
    )  # fmt: skip
    services.iso_finding_add(
        None, audit.pk, kind="opportunity", clause="9.1.2", found_on=date(2023, 5, 18),
        description="Dùng số liệu khảo sát sự hài lòng hằng quý làm đầu vào xem xét của lãnh đạo "
        "(minh hoạ).",
    )  # fmt: skip
    services.iso_management_review_create(
        None, held_on=date(2023, 6, 26), chair="Giám đốc Sở Tư pháp", audit=audit.pk,
        inputs="Kết quả đánh giá nội bộ năm 2023; việc thực hiện Mục tiêu chất lượng năm 2023 "
        "(Quyết định số 18/QĐ-STP); kết quả khảo sát sự hài lòng (minh hoạ).",
        decisions="Hoàn thành hành động khắc phục trước 30/9/2023; rà soát tài liệu quá hạn "
        "(minh hoạ).",
    )  # fmt: skip
    report.add("xem xét của lãnh đạo ISO")


def _load_par(units, report) -> None:
    """The 2023 criteria tree of the province's departments from its data file (what the source
    gives, the rest marked "chưa có dữ liệu chính thức"); the sub-criteria our data answers show
    the figures of the demo's H1/2023 data on the page. Nothing is self-scored: the officer does
    that, with evidence."""
    if ParAssessment.objects.filter(year=2023, unit=units[SO]).exists():
        return
    content = par_data_file(2023).read_bytes()
    # The demo's data is H1/2023: the figures are those of the mid-year self-check.
    services.par_tree_load(
        None, content, unit=units[SO], year=2023, period=(date(2023, 1, 1), date(2023, 6, 30))
    )
    report.add("bộ chỉ số CCHC")
