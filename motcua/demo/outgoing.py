"""The department's outgoing documents of H1/2023 in the outgoing register, each a signed PDF.

The seed report (II.6.1) states "Từ đầu năm đến nay, 100% văn bản của Sở Tư pháp trên hệ thống gửi
nhận văn bản đều có chữ ký số"; the report computes that share from the outgoing register
(motcua.exchange.indicators). The seed gives no count of the documents the Sở issued, so the demo
registers only those the seed itself names as issued by the Sở Tư pháp in 01/01–30/06/2023 (its
footnotes 1–22), each with the number, date and subject the seed gives. Everything else is the
demo's (marked "dữ liệu mẫu"):

- the PDF: one page saying it stands in for that document — not its text, which is not at hand;
- who signed: the demo's leader account and its file key (motcua/documents/demo.py), not the
  document's real signer, whom the seed does not name;
- the recipients: the Sở's Phòng, Trung tâm (the seed does not list them; these are the Sở's
  internal plans, decisions and letters).

Registered through motcua.exchange.services.outgoing_register, which signs nothing itself: it marks
a file `signed` when pdf_signed finds a signature intact over the whole file. The register gives
numbers from a counter (one series per unit and year); the documents come in the order of their
numbers and the counter is set just below each one first, so each takes the seed's number and the
numbers the demo does not hold stay unused. Idempotent: a number already registered is skipped.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from datetime import date

from django.db import transaction

from .dossiers import FIRST_DAY

DEPARTMENT = "000.00.12.H27"
REGISTERING_USER = "lanhdao.so"
SIGNER_POSITION, SIGNER_COMPETENCE = "Phó Giám đốc", "KT. Giám đốc"
PLACE = "Hà Tĩnh"
EDXML_TYPE = "1"  # the register's default: the edXML code of each type is not in the sources
# The Sở's Phòng, Trung tâm (motcua/demo/data/org_units.json): the demo's recipients.
RECIPIENTS = (
    ("000.01.12.H27", "Văn phòng Sở"),
    ("000.02.12.H27", "Thanh tra Sở"),
    ("000.03.12.H27", "Phòng Xây dựng, kiểm tra và theo dõi thi hành pháp luật"),
    ("000.04.12.H27", "Phòng Phổ biến, giáo dục pháp luật"),
    ("000.05.12.H27", "Phòng Hành chính và Bổ trợ tư pháp"),
    ("000.06.12.H27", "Trung tâm Trợ giúp pháp lý nhà nước tỉnh Hà Tĩnh"),
    ("000.07.12.H27", "Trung tâm Dịch vụ đấu giá tài sản tỉnh Hà Tĩnh"),
)


@dataclass(frozen=True)
class SeedDocument:
    number: int
    symbol: str
    type_name: str
    issued_on: date
    subject: str
    seed_line: int  # where the seed (shared/seed/000_e999723e70b110aa.txt) names it


# Every document of the Sở Tư pháp issued in H1/2023 that the seed names (Kế hoạch số 447/KH-STP
# ngày 12/12/2022, also named, was issued in 2022). Subjects as the seed words them.
SEED_DOCUMENTS = (
    SeedDocument(3, "QĐ-STP", "Quyết định", date(2023, 2, 9), "Ban hành Quy chế chi tiêu nội bộ và quản lý, sử dụng tài sản công", 127),
    SeedDocument(8, "KH-STP", "Kế hoạch", date(2023, 1, 16), "Về công tác CCHC năm 2023", 19),
    SeedDocument(9, "KH-STP", "Kế hoạch", date(2023, 1, 16), "Về việc xây dựng và áp dụng Hệ thống quản lý chất lượng theo TCVN ISO 9001: 2015 năm 2023", 175),
    SeedDocument(10, "KH-STP", "Kế hoạch", date(2023, 1, 16), "Về việc rà soát, đơn giản hóa TTHC nội bộ giai đoạn 2023-2025", 85),
    SeedDocument(11, "KH-STP", "Kế hoạch", date(2023, 1, 16), "Tuyên truyền CCHC, Chỉ số năng lực cạnh tranh cấp tỉnh (PCI), Chỉ số đánh giá năng lực cạnh tranh các đơn vị, địa phương (DDCI) năm 2023", 27),
    SeedDocument(12, "KH-STP", "Kế hoạch", date(2023, 1, 16), "Về việc thực hiện kỷ luật, kỷ cương hành chính, văn minh, văn hóa công sở năm 2023", 125),
    SeedDocument(14, "KH-STP", "Kế hoạch", date(2023, 1, 18), "Về đào tạo, bồi dưỡng công chức, viên chức năm 2023", 121),
    SeedDocument(18, "QĐ-STP", "Quyết định", date(2023, 3, 30), "Về việc ban hành “Mục tiêu chất lượng năm 2023” thuộc Hệ thống quản lý chất lượng theo tiêu chuẩn TCVN ISO 9001: 2015", 173),
    SeedDocument(20, "KH-STP", "Kế hoạch", date(2023, 2, 2), "Về khắc phục các tồn tại, hạn chế trong công tác CCHC, các tiêu chí bị trừ điểm trong đợt thẩm định, đánh giá CCHC của tỉnh năm 2023", 21),
    SeedDocument(27, "KH-STP", "Kế hoạch", date(2023, 2, 10), "Về việc triển khai đo lường sự hài lòng của tổ chức, cá nhân", 103),
    SeedDocument(60, "KH-STP", "Kế hoạch", date(2023, 3, 10), "Về việc kiểm soát TTHC và thực hiện cơ chế một cửa, một cửa liên thông năm 2023", 71),
    SeedDocument(64, "KH-STP", "Kế hoạch", date(2023, 3, 13), "Về luân chuyển, chuyển đổi vị trí công tác đối với công chức, viên chức năm 2023", 123),
    SeedDocument(125, "KH-STP", "Kế hoạch", date(2023, 4, 26), "Về sinh hoạt Ngày pháp luật tháng 5 năm 2023", 37),
    SeedDocument(164, "KH-STP", "Kế hoạch", date(2023, 6, 2), "Về tự kiểm tra cải cách hành chính năm 2023 tại các Phòng, Trung tâm thuộc Sở", 53),
    SeedDocument(265, "STP-VP", "Công văn", date(2023, 3, 21), "V/v đôn đốc số hóa, thanh toán trực tuyến hồ sơ TTHC và đăng ký tài khoản trên Cổng Dịch vụ công quốc gia", 25),
    SeedDocument(589, "STP-VP", "Công văn", date(2023, 5, 31), "V/v triển khai Chỉ thị số 05/CT-UBND về đẩy mạnh thực hiện Chương trình tổng thể CCHC nhà nước giai đoạn 2021 - 2023 tỉnh Hà Tĩnh", 23),
)  # fmt: skip


def demo_outgoing_load() -> str:
    """Register the seed's documents not registered yet; returns a line for the command's output."""
    from motcua.accounts.models import User
    from motcua.documents.keys import SigningFailed, file_signer_load
    from motcua.exchange.models import OutgoingDocument
    from motcua.org.models import Unit

    unit = Unit.objects.get(code=DEPARTMENT)
    year = FIRST_DAY.year
    there = set(
        OutgoingDocument.objects.filter(unit=unit, year=year).values_list("number", flat=True)
    )
    missing = [d for d in sorted(SEED_DOCUMENTS, key=lambda d: d.number) if d.number not in there]
    if not missing:
        return f"Văn bản đi 6 tháng đầu năm 2023: đã có {len(SEED_DOCUMENTS)}."
    actor = User.objects.get(username=REGISTERING_USER)
    try:
        signer = file_signer_load()
        with transaction.atomic():  # all or none: a second load then registers them all
            for document in missing:
                _register(actor, unit, document, _signed_pdf(document, actor.full_name, signer))
    except SigningFailed as error:  # no demo key, file keys refused, not trusted: the rest loads
        return f"Văn bản đi 6 tháng đầu năm 2023: chưa ký được ({' '.join(error.messages)})"
    return f"Văn bản đi 6 tháng đầu năm 2023: {len(missing)} văn bản đã ký số, vào sổ."


def _register(actor, unit, document: SeedDocument, pdf: bytes) -> None:
    from motcua.exchange.services import FileIn, outgoing_register

    # Carried over with the seed's number (the documents come in the order of their numbers); a
    # register that has already passed it refuses it (ValidationError).
    outgoing_register(
        actor,
        symbol=document.symbol,
        document_type=EDXML_TYPE,
        type_name=document.type_name,
        subject=document.subject,
        place=PLACE,
        issued_on=document.issued_on,
        signer_name=actor.full_name,
        signer_position=SIGNER_POSITION,
        signer_competence=SIGNER_COMPETENCE,
        recipients=list(RECIPIENTS),
        content=_stand_in_note(document),
        files=[FileIn(f"{_reference(document)}.pdf".replace("/", "_"), "application/pdf", pdf)],
        number=document.number,
    )


def _reference(document: SeedDocument) -> str:
    return f"{document.number:02d}/{document.symbol}"


def _stand_in_note(document: SeedDocument) -> str:
    return (
        f"Dữ liệu mẫu: bản thay thế cho {document.type_name} số {_reference(document)} ngày "
        f"{document.issued_on:%d/%m/%Y} của Sở Tư pháp (số, ngày, trích yếu theo Báo cáo CCHC "
        "6 tháng đầu năm 2023 của Sở), không phải văn bản thật."
    )


def _signed_pdf(document: SeedDocument, signer_name: str, signer) -> bytes:
    from weasyprint import HTML

    from motcua.documents.signing import pdf_sign_prepared

    page = f"""<html lang="vi"><head><meta charset="utf-8"><style>
      @page {{ size: A4; margin: 2cm 2cm 2cm 3cm; }}
      body {{ font-family: 'Tinos', 'Times New Roman', serif; font-size: 13pt; }}
      .head {{ display: flex; justify-content: space-between; text-align: center; }}
      h1 {{ font-size: 14pt; text-align: center; margin-top: 1.5cm; }}
      .note {{ border: 1px solid #888; padding: .4cm; margin-top: 1cm; }}
    </style></head><body>
      <div class="head"><div>UBND TỈNH HÀ TĨNH<br><b>SỞ TƯ PHÁP</b><br>
        Số: {html.escape(_reference(document))}</div>
        <div><b>CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM</b><br><b>Độc lập - Tự do - Hạnh phúc</b><br>
        <i>{PLACE}, ngày {document.issued_on:%d} tháng {document.issued_on:%m} năm
        {document.issued_on:%Y}</i></div></div>
      <h1>{html.escape(document.type_name.upper())}<br>{html.escape(document.subject)}</h1>
      <p class="note">{html.escape(_stand_in_note(document))}</p>
      <p style="text-align:right; margin-top: 1.5cm"><b>{SIGNER_COMPETENCE.upper()}<br>
        {SIGNER_POSITION.upper()}</b><br><br>{html.escape(signer_name)}</p>
    </body></html>"""
    return pdf_sign_prepared(HTML(string=page).write_pdf(), signer)
