"""Blank official forms (tờ khai, đơn) a citizen downloads from the procedure page, as PDF and DOCX.

One description per form (`FORMS`) drives both renderers, so the PDF (our HTML through WeasyPrint)
and the DOCX (python-docx) always ask for the same things in the same order. A component of the
catalogue names its form by code in `template` ("Mẫu số 03/2013/TT-LLTP; Mẫu số 04/2013/TT-LLTP");
`forms_for(template)` finds the described ones. Every form says where its fields were read and
whether its layout was checked against the official text (`layout_checked`): none of these was
compared with the circular's own page, and the form prints that (ADR 0033).
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field

from django.template.loader import render_to_string


@dataclass(frozen=True)
class Line:
    label: str
    lines: int = 1

    @property
    def line_range(self) -> range:
        return range(self.lines)


@dataclass(frozen=True)
class Choice:
    label: str
    options: tuple[str, ...]


@dataclass(frozen=True)
class Table:
    label: str
    columns: tuple[str, ...]
    rows: int = 4

    @property
    def row_range(self) -> range:
        return range(self.rows)


@dataclass(frozen=True)
class Section:
    title: str
    items: tuple[Line | Choice | Table, ...]


@dataclass(frozen=True)
class BlankForm:
    slug: str
    code: str  # as the catalogue's components name it
    title: str
    subtitle: str
    basis: str  # the text that issues the form
    read_from: str  # where the fields were read
    addressee: str
    sections: tuple[Section, ...]
    pledge: str
    signer: str
    layout_checked: bool = False
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def layout_note(self) -> str:
        if self.layout_checked:
            return f"Bố cục theo {self.basis}."
        return (
            f"Bố cục do Một Cửa dựng lại từ các trường của mẫu ({self.read_from}); chưa đối chiếu "
            f"với bản gốc ban hành kèm {self.basis}."
        )


_PERSON = (
    Line("Họ và tên (chữ in hoa, có dấu)"),
    Line("Tên gọi khác (nếu có)"),
    Choice("Giới tính", ("Nam", "Nữ")),
    Line("Ngày, tháng, năm sinh"),
    Line("Nơi sinh"),
    Line("Quốc tịch"),
    Line("Nơi thường trú"),
    Line("Nơi tạm trú"),
    Line("Giấy CMND/CCCD/Hộ chiếu: số, ngày cấp, nơi cấp"),
)
_FAMILY = Section(
    "Thông tin về cha, mẹ, vợ hoặc chồng",
    (
        Line("Họ và tên cha; ngày, tháng, năm sinh"),
        Line("Họ và tên mẹ; ngày, tháng, năm sinh"),
        Line("Họ và tên vợ/chồng; ngày, tháng, năm sinh"),
    ),
)
_RESIDENCE = Section(
    "Quá trình cư trú, nghề nghiệp, nơi làm việc (tính từ khi đủ 14 tuổi)",
    (
        Table(
            "",
            (
                "Từ ngày, tháng, năm",
                "Đến ngày, tháng, năm",
                "Nơi thường trú/tạm trú",
                "Nghề nghiệp, nơi làm việc",
            ),
            rows=6,
        ),
    ),
)
_LLTP_REQUEST = Section(
    "Yêu cầu cấp Phiếu lý lịch tư pháp",
    (
        Line("Thông tin về án tích (nếu có)", lines=2),
        Choice(
            "Loại Phiếu yêu cầu cấp", ("Phiếu lý lịch tư pháp số 1", "Phiếu lý lịch tư pháp số 2")
        ),
        Line("Mục đích sử dụng Phiếu"),
        Line("Số lượng Phiếu yêu cầu cấp"),
        Choice(
            "Yêu cầu xác nhận về việc cá nhân không bị cấm đảm nhiệm chức vụ, thành lập, quản lý doanh "
            "nghiệp, hợp tác xã",
            ("Có", "Không"),
        ),
    ),
)
_LLTP_READ = "các trường mô tả tại luat247.vn/mau-to-khai-yeu-cau-cap-phieu-ly-lich-tu-phap và tờ khai trực tuyến lltptructuyen.moj.gov.vn"

FORMS: tuple[BlankForm, ...] = (
    BlankForm(
        slug="lltp-03-2013",
        code="Mẫu số 03/2013/TT-LLTP",
        title="TỜ KHAI YÊU CẦU CẤP PHIẾU LÝ LỊCH TƯ PHÁP",
        subtitle="(Dùng cho cá nhân có yêu cầu cấp Phiếu lý lịch tư pháp)",
        basis="Thông tư số 16/2013/TT-BTP của Bộ trưởng Bộ Tư pháp",
        read_from=_LLTP_READ,
        addressee="Sở Tư pháp tỉnh Hà Tĩnh",
        sections=(
            Section("Thông tin về người yêu cầu cấp Phiếu", _PERSON),
            _FAMILY,
            _RESIDENCE,
            _LLTP_REQUEST,
        ),
        pledge="Tôi xin cam đoan những lời khai trên là đúng sự thật và chịu trách nhiệm về lời khai của mình.",
        signer="Người khai (ký, ghi rõ họ tên)",
    ),
    BlankForm(
        slug="lltp-04-2013",
        code="Mẫu số 04/2013/TT-LLTP",
        title="TỜ KHAI YÊU CẦU CẤP PHIẾU LÝ LỊCH TƯ PHÁP",
        subtitle=(
            "(Dùng cho cá nhân trong trường hợp ủy quyền yêu cầu cấp Phiếu lý lịch tư pháp số 1 và "
            "cha, mẹ của người chưa thành niên yêu cầu cấp Phiếu lý lịch tư pháp)"
        ),
        basis="Thông tư số 16/2013/TT-BTP của Bộ trưởng Bộ Tư pháp",
        read_from=_LLTP_READ,
        addressee="Sở Tư pháp tỉnh Hà Tĩnh",
        sections=(
            Section(
                "Thông tin về người được ủy quyền (hoặc cha, mẹ của người chưa thành niên)",
                (
                    Line("Họ và tên"),
                    Line("Giấy CMND/CCCD/Hộ chiếu: số, ngày cấp, nơi cấp"),
                    Line("Nơi cư trú"),
                    Line("Quan hệ với người ủy quyền"),
                ),
            ),
            Section("Thông tin về người được cấp Phiếu", _PERSON),
            _FAMILY,
            _RESIDENCE,
            _LLTP_REQUEST,
        ),
        pledge="Tôi xin cam đoan những lời khai trên là đúng sự thật và chịu trách nhiệm về lời khai của mình.",
        signer="Người khai (ký, ghi rõ họ tên)",
    ),
    BlankForm(
        slug="ht-ban-sao-trich-luc",
        code="Tờ khai cấp bản sao trích lục hộ tịch (TT 04/2020/TT-BTP)",
        title="TỜ KHAI CẤP BẢN SAO TRÍCH LỤC HỘ TỊCH",
        subtitle="",
        basis="Thông tư số 04/2020/TT-BTP của Bộ trưởng Bộ Tư pháp",
        read_from="thành phần hồ sơ của thủ tục 2.000635 trên CSDL quốc gia về TTHC và Luật Hộ tịch 2014, Điều 64",
        addressee="Sở Tư pháp tỉnh Hà Tĩnh",
        sections=(
            Section(
                "Người yêu cầu",
                (
                    Line("Họ, chữ đệm, tên"),
                    Line("Nơi cư trú"),
                    Line("Giấy tờ tùy thân: loại, số, ngày cấp, nơi cấp"),
                    Line("Quan hệ với người được cấp bản sao trích lục"),
                ),
            ),
            Section(
                "Đề nghị cấp bản sao trích lục hộ tịch",
                (
                    Line("Loại việc hộ tịch (khai sinh, kết hôn, khai tử…)"),
                    Line("Họ, chữ đệm, tên người được cấp bản sao trích lục"),
                    Line("Ngày, tháng, năm sinh"),
                    Line("Nơi đăng ký; số, quyển số, ngày đăng ký (nếu biết)"),
                    Line("Số lượng bản sao đề nghị cấp"),
                ),
            ),
        ),
        pledge="Tôi cam đoan nội dung đề nghị trên đây là đúng sự thật và chịu trách nhiệm trước pháp luật về cam đoan của mình.",
        signer="Người yêu cầu (ký, ghi rõ họ, chữ đệm, tên)",
    ),
    BlankForm(
        slug="ht-xac-nhan-thong-tin",
        code="Tờ khai đề nghị xác nhận thông tin hộ tịch (TT 01/2022/TT-BTP)",
        title="TỜ KHAI ĐỀ NGHỊ XÁC NHẬN THÔNG TIN HỘ TỊCH",
        subtitle="",
        basis="Thông tư số 01/2022/TT-BTP của Bộ trưởng Bộ Tư pháp",
        read_from="thành phần hồ sơ của thủ tục 2.002516 trên CSDL quốc gia về TTHC và Nghị định số 87/2020/NĐ-CP, Điều 13",
        addressee="Sở Tư pháp tỉnh Hà Tĩnh",
        sections=(
            Section(
                "Người yêu cầu",
                (
                    Line("Họ, chữ đệm, tên"),
                    Line("Nơi cư trú"),
                    Line("Giấy tờ tùy thân: loại, số, ngày cấp, nơi cấp"),
                    Line("Quan hệ với người được xác nhận thông tin hộ tịch"),
                ),
            ),
            Section(
                "Đề nghị xác nhận thông tin hộ tịch",
                (
                    Line("Họ, chữ đệm, tên người được xác nhận"),
                    Line("Ngày, tháng, năm sinh; số định danh cá nhân"),
                    Line("Nội dung thông tin hộ tịch đề nghị xác nhận", lines=3),
                    Line("Mục đích sử dụng"),
                ),
            ),
        ),
        pledge="Tôi cam đoan nội dung đề nghị trên đây là đúng sự thật và chịu trách nhiệm trước pháp luật về cam đoan của mình.",
        signer="Người yêu cầu (ký, ghi rõ họ, chữ đệm, tên)",
    ),
    BlankForm(
        slug="tgpl-don-yeu-cau",
        code="Đơn yêu cầu trợ giúp pháp lý (TT 12/2018/TT-BTP)",
        title="ĐƠN YÊU CẦU TRỢ GIÚP PHÁP LÝ",
        subtitle="",
        basis="Thông tư số 12/2018/TT-BTP của Bộ trưởng Bộ Tư pháp",
        read_from="thành phần hồ sơ của thủ tục 2.000829 trên CSDL quốc gia về TTHC và Luật Trợ giúp pháp lý 2017, Điều 29",
        addressee="Trung tâm Trợ giúp pháp lý nhà nước tỉnh Hà Tĩnh",
        sections=(
            Section(
                "Người yêu cầu trợ giúp pháp lý",
                (
                    Line("Họ và tên"),
                    Choice("Giới tính", ("Nam", "Nữ")),
                    Line("Ngày, tháng, năm sinh"),
                    Line("Nơi cư trú; số điện thoại"),
                    Line("Giấy tờ tùy thân: loại, số, ngày cấp, nơi cấp"),
                ),
            ),
            Section(
                "Người được trợ giúp pháp lý (nếu khác người yêu cầu)",
                (Line("Họ và tên; quan hệ với người yêu cầu"), Line("Nơi cư trú")),
            ),
            Section(
                "Nội dung yêu cầu",
                (
                    Line("Thuộc diện người được trợ giúp pháp lý (Điều 7 Luật Trợ giúp pháp lý)"),
                    Line("Tóm tắt vụ việc", lines=4),
                    Line("Nội dung yêu cầu trợ giúp pháp lý", lines=2),
                    Line("Giấy tờ, tài liệu gửi kèm", lines=2),
                ),
            ),
        ),
        pledge="Tôi cam đoan những thông tin trên là đúng sự thật.",
        signer="Người yêu cầu (ký, ghi rõ họ tên)",
    ),
)
_NATIONALITY_PERSON = (
    Line("Họ, chữ đệm, tên"),
    Choice("Giới tính", ("Nam", "Nữ")),
    Line("Ngày, tháng, năm sinh"),
    Line("Nơi sinh"),
    Line("Nơi đăng ký khai sinh"),
    Line("Quốc tịch hiện nay"),
    Line("Giấy tờ tùy thân (hộ chiếu hoặc giấy tờ thay thế): loại, số, ngày cấp, cơ quan cấp"),
    Line("Nơi cư trú hiện nay"),
    Line("Nghề nghiệp, nơi làm việc"),
)
_MINOR_CHILDREN = Section(
    "Con chưa thành niên cùng xin theo cha, mẹ (nếu có)",
    (Table("", ("Họ, chữ đệm, tên", "Ngày, tháng, năm sinh", "Nơi sinh", "Quốc tịch"), rows=3),),
)
_QT_BASIS = "Thông tư số 02/2020/TT-BTP của Bộ trưởng Bộ Tư pháp"
_QT_PLEDGE = (
    "Tôi xin cam đoan những lời khai trên đây là đúng sự thật và xin chịu trách nhiệm trước pháp "
    "luật về lời khai của mình."
)
_PRESIDENT = "Chủ tịch nước Cộng hòa xã hội chủ nghĩa Việt Nam"
_QT_CODES = (
    "ký hiệu mẫu theo danh mục tại legallink.vn/kien-thuc-phap-luat/19-mau-so-quoc-tich-va-mau-giay-"
    "to-ve-quoc-tich-ap-dung-tu-24-5-2020.html"
)

NEW_FORMS: tuple[BlankForm, ...] = (
    BlankForm(
        slug="lltp-05a-2013",
        code="Mẫu số 05a/2013/TT-LLTP",
        title="VĂN BẢN YÊU CẦU CẤP PHIẾU LÝ LỊCH TƯ PHÁP SỐ 1",
        subtitle="(Dùng cho cơ quan nhà nước, tổ chức chính trị, tổ chức chính trị - xã hội)",
        basis="Thông tư số 16/2013/TT-BTP của Bộ trưởng Bộ Tư pháp",
        read_from=(
            "số hiệu mẫu tại trang thủ tục dulieuphaply.vn/?p=69736; nội dung phải ghi theo Luật Lý "
            "lịch tư pháp 2009, Điều 44 và Điều 45 khoản 1"
        ),
        addressee="Sở Tư pháp tỉnh Hà Tĩnh",
        sections=(
            Section(
                "Cơ quan, tổ chức yêu cầu",
                (
                    Line("Tên cơ quan, tổ chức"),
                    Line("Địa chỉ"),
                    Line("Mục đích sử dụng Phiếu lý lịch tư pháp", lines=2),
                ),
            ),
            Section("Thông tin về người được cấp Phiếu lý lịch tư pháp", _PERSON),
            _FAMILY,
            _RESIDENCE,
        ),
        pledge="",
        signer="Thủ trưởng cơ quan, tổ chức (ký, ghi rõ họ tên, đóng dấu)",
    ),
    BlankForm(
        slug="qt-2020-dxnqt-1",
        code="Mẫu TP/QT-2020-ĐXNQT.1",
        title="ĐƠN XIN NHẬP QUỐC TỊCH VIỆT NAM",
        subtitle="",
        basis=_QT_BASIS,
        read_from=(
            "các dòng đầu của mẫu đăng tại huelaw.com.vn (24/4/2020: ảnh 4x6, kính gửi Chủ tịch "
            "nước, họ chữ đệm tên, giới tính, ngày sinh, nơi sinh, nơi đăng ký khai sinh), các mục "
            f"còn lại theo Luật Quốc tịch Việt Nam 2008, Điều 19–20; {_QT_CODES}"
        ),
        addressee=_PRESIDENT,
        sections=(
            Section(
                "Người xin nhập quốc tịch Việt Nam (dán ảnh 4x6 chụp không quá 6 tháng)",
                _NATIONALITY_PERSON,
            ),
            Section(
                "Nội dung xin nhập quốc tịch Việt Nam",
                (
                    Line("Lý do xin nhập quốc tịch Việt Nam", lines=3),
                    Line("Tên gọi Việt Nam xin lấy"),
                    Choice("Xin giữ quốc tịch nước ngoài", ("Có", "Không")),
                    Line(
                        "Thuộc trường hợp được miễn điều kiện (Điều 19 khoản 2 Luật Quốc tịch, nếu có)"
                    ),
                ),
            ),
            _MINOR_CHILDREN,
        ),
        pledge=_QT_PLEDGE,
        signer="Người làm đơn (ký, ghi rõ họ tên)",
    ),
    BlankForm(
        slug="qt-2020-dxtlqt-1",
        code="Mẫu TP/QT-2020-ĐXTLQT.1",
        title="ĐƠN XIN TRỞ LẠI QUỐC TỊCH VIỆT NAM",
        subtitle="",
        basis=_QT_BASIS,
        read_from=f"các mục theo Luật Quốc tịch Việt Nam 2008, Điều 23–24; {_QT_CODES}",
        addressee=_PRESIDENT,
        sections=(
            Section(
                "Người xin trở lại quốc tịch Việt Nam (dán ảnh 4x6 chụp không quá 6 tháng)",
                _NATIONALITY_PERSON,
            ),
            Section(
                "Nội dung xin trở lại quốc tịch Việt Nam",
                (
                    Line("Tên gọi Việt Nam trước đây (Điều 23 khoản 4 Luật Quốc tịch)"),
                    Line("Thời điểm và lý do mất quốc tịch Việt Nam", lines=2),
                    Line("Trường hợp xin trở lại (Điều 23 khoản 1 Luật Quốc tịch)", lines=2),
                    Choice("Xin giữ quốc tịch nước ngoài", ("Có", "Không")),
                ),
            ),
            _MINOR_CHILDREN,
        ),
        pledge=_QT_PLEDGE,
        signer="Người làm đơn (ký, ghi rõ họ tên)",
    ),
    BlankForm(
        slug="qt-2020-dxtqt-1",
        code="Mẫu TP/QT-2020-ĐXTQT.1",
        title="ĐƠN XIN THÔI QUỐC TỊCH VIỆT NAM",
        subtitle="",
        basis=_QT_BASIS,
        read_from=f"các mục theo Luật Quốc tịch Việt Nam 2008, Điều 27–28; {_QT_CODES}",
        addressee=_PRESIDENT,
        sections=(
            Section(
                "Người xin thôi quốc tịch Việt Nam (dán ảnh 4x6 chụp không quá 6 tháng)",
                _NATIONALITY_PERSON,
            ),
            Section(
                "Nội dung xin thôi quốc tịch Việt Nam",
                (
                    Line("Quốc tịch nước ngoài đang xin nhập hoặc đang có"),
                    Line("Lý do xin thôi quốc tịch Việt Nam", lines=3),
                ),
            ),
            _MINOR_CHILDREN,
        ),
        pledge=_QT_PLEDGE,
        signer="Người làm đơn (ký, ghi rõ họ tên)",
    ),
    BlankForm(
        slug="qt-2020-bkll",
        code="Bản khai lý lịch (TT 02/2020/TT-BTP)",
        title="BẢN KHAI LÝ LỊCH",
        subtitle="(Dùng trong hồ sơ xin nhập, trở lại, thôi quốc tịch Việt Nam)",
        basis=_QT_BASIS,
        read_from=(
            "tên mẫu trong danh mục của Thông tư (hoatieu.vn/bieu-mau/tron-bo-bieu-mau-giay-to-ve-quoc-"
            "tich-198559); các mục dựng lại theo Luật Quốc tịch Việt Nam 2008, Điều 20, 24, 28; ký "
            "hiệu mẫu chưa xác minh"
        ),
        addressee="Sở Tư pháp tỉnh Hà Tĩnh",
        sections=(
            Section("Bản thân", _NATIONALITY_PERSON),
            Section(
                "Quan hệ gia đình",
                (
                    Table(
                        "",
                        (
                            "Quan hệ",
                            "Họ, chữ đệm, tên",
                            "Ngày, tháng, năm sinh",
                            "Quốc tịch",
                            "Nơi cư trú",
                        ),
                        rows=6,
                    ),
                ),
            ),
            Section(
                "Quá trình sinh sống, học tập, làm việc",
                (
                    Table(
                        "",
                        (
                            "Từ tháng, năm",
                            "Đến tháng, năm",
                            "Nơi cư trú",
                            "Nghề nghiệp, nơi làm việc",
                        ),
                        rows=8,
                    ),
                ),
            ),
        ),
        pledge=_QT_PLEDGE,
        signer="Người khai (ký, ghi rõ họ tên)",
    ),
    BlankForm(
        slug="qt-2020-tkcgxnqtvn",
        code="Mẫu TP/QT-2020-TKCGXNQTVN",
        title="TỜ KHAI ĐỀ NGHỊ CẤP GIẤY XÁC NHẬN CÓ QUỐC TỊCH VIỆT NAM",
        subtitle="",
        basis=_QT_BASIS,
        read_from=(
            "số hiệu mẫu tại trang thủ tục 1.005136 của tỉnh Lâm Đồng (dichvucong.lamdong.gov.vn, "
            "tệp Mẫu TP.QT.2020.TKCGXNQTVN.docx); các mục theo Nghị định số 16/2020/NĐ-CP, Điều 31"
        ),
        addressee="Sở Tư pháp tỉnh Hà Tĩnh",
        sections=(
            Section("Người đề nghị (dán ảnh 4x6 chụp không quá 6 tháng)", _NATIONALITY_PERSON),
            Section(
                "Nội dung đề nghị",
                (
                    Line(
                        "Giấy tờ chứng minh quốc tịch Việt Nam hoặc làm cơ sở xác định quốc tịch",
                        lines=2,
                    ),
                    Line("Mục đích sử dụng Giấy xác nhận"),
                ),
            ),
        ),
        pledge=_QT_PLEDGE,
        signer="Người đề nghị (ký, ghi rõ họ tên)",
    ),
    BlankForm(
        slug="qt-2020-tk-nguoi-goc-vn",
        code="Tờ khai đề nghị xác nhận là người gốc Việt Nam (TT 02/2020/TT-BTP)",
        title="TỜ KHAI ĐỀ NGHỊ XÁC NHẬN LÀ NGƯỜI GỐC VIỆT NAM",
        subtitle="",
        basis=_QT_BASIS,
        read_from=(
            "các trường mô tả tại luatsutonghop.com/quy-trinh-xin-giay-xac-nhan-la-nguoi-goc-viet-nam/ "
            "và Nghị định số 16/2020/NĐ-CP, Điều 33; ký hiệu mẫu chưa xác minh"
        ),
        addressee="Sở Tư pháp tỉnh Hà Tĩnh",
        sections=(
            Section(
                "Người đề nghị (dán ảnh 4x6 chụp không quá 6 tháng)",
                (
                    Line("Họ, chữ đệm, tên"),
                    Line("Ngày, tháng, năm sinh"),
                    Line("Nơi sinh"),
                    Line("Nơi cư trú hiện nay"),
                    Line("Giấy tờ tùy thân: loại, số, ngày cấp, nơi cấp"),
                    Line("Nơi thường trú tại Việt Nam trước khi xuất cảnh (nếu có)"),
                    Line("Quốc tịch nước ngoài (nếu có)"),
                ),
            ),
            Section(
                "Giấy tờ chứng minh là người gốc Việt Nam",
                (Line("Giấy tờ kèm theo", lines=3),),
            ),
        ),
        pledge=_QT_PLEDGE,
        signer="Người đề nghị (ký, ghi rõ họ tên)",
    ),
)
_TGPL_BASIS = "Thông tư số 08/2017/TT-BTP của Bộ trưởng Bộ Tư pháp"
_TGPL_ORG = Section(
    "Tổ chức đề nghị",
    (
        Line("Tên tổ chức hành nghề luật sư, tổ chức tư vấn pháp luật"),
        Line("Địa chỉ trụ sở; số điện thoại; thư điện tử"),
        Line("Giấy đăng ký hoạt động: số, ngày cấp, cơ quan cấp"),
        Line("Người đại diện theo pháp luật"),
    ),
)
_TGPL_SIGNER = "Người đại diện theo pháp luật của tổ chức (ký, ghi rõ họ tên, đóng dấu)"


def _tgpl_read(code: str, procedure: str) -> str:
    return (
        f"tên và số hiệu mẫu tại trang thủ tục {procedure} trên CSDL quốc gia về TTHC (bản thu thập "
        f"06/2026); các mục dựng lại theo nội dung thủ tục, chưa đọc được mẫu {code} gốc"
    )


TGPL_FORMS: tuple[BlankForm, ...] = (
    BlankForm(
        slug="tgpl-tp-01",
        code="Mẫu TP-TGPL-01",
        title="ĐƠN ĐỀ NGHỊ THAM GIA TRỢ GIÚP PHÁP LÝ",
        subtitle="",
        basis=_TGPL_BASIS,
        read_from=_tgpl_read("TP-TGPL-01", "2.000596"),
        addressee="Sở Tư pháp tỉnh Hà Tĩnh",
        sections=(
            _TGPL_ORG,
            Section(
                "Nội dung đề nghị",
                (
                    Line("Lĩnh vực, hình thức trợ giúp pháp lý đăng ký tham gia", lines=2),
                    Line("Phạm vi thực hiện trợ giúp pháp lý"),
                    Line(
                        "Số luật sư, tư vấn viên pháp luật thực hiện trợ giúp pháp lý (kèm danh sách)"
                    ),
                ),
            ),
        ),
        pledge="Tổ chức cam kết thực hiện trợ giúp pháp lý theo đúng quy định của Luật Trợ giúp pháp lý.",
        signer=_TGPL_SIGNER,
    ),
    BlankForm(
        slug="tgpl-tp-02",
        code="Mẫu TP-TGPL-02",
        title="DANH SÁCH LUẬT SƯ, TƯ VẤN VIÊN PHÁP LUẬT ĐỦ ĐIỀU KIỆN THỰC HIỆN TRỢ GIÚP PHÁP LÝ",
        subtitle="",
        basis=_TGPL_BASIS,
        read_from=_tgpl_read("TP-TGPL-02", "2.000596"),
        addressee="Sở Tư pháp tỉnh Hà Tĩnh",
        sections=(
            Section("Tổ chức lập danh sách", (Line("Tên tổ chức"), Line("Địa chỉ trụ sở"))),
            Section(
                "Danh sách",
                (
                    Table(
                        "",
                        (
                            "STT",
                            "Họ và tên",
                            "Năm sinh",
                            "Số thẻ luật sư / thẻ tư vấn viên",
                            "Lĩnh vực",
                        ),
                        rows=8,
                    ),
                ),
            ),
        ),
        pledge="",
        signer=_TGPL_SIGNER,
    ),
    BlankForm(
        slug="tgpl-tp-04",
        code="Mẫu TP-TGPL-04",
        title="ĐƠN ĐỀ NGHỊ THAY ĐỔI NỘI DUNG GIẤY ĐĂNG KÝ THAM GIA TRỢ GIÚP PHÁP LÝ",
        subtitle="",
        basis=_TGPL_BASIS,
        read_from=_tgpl_read("TP-TGPL-04", "1.001233"),
        addressee="Sở Tư pháp tỉnh Hà Tĩnh",
        sections=(
            _TGPL_ORG,
            Section(
                "Nội dung đề nghị thay đổi",
                (
                    Line("Giấy đăng ký tham gia trợ giúp pháp lý: số, ngày cấp"),
                    Line("Nội dung đã đăng ký", lines=2),
                    Line("Nội dung đề nghị thay đổi", lines=2),
                    Line("Lý do thay đổi", lines=2),
                ),
            ),
        ),
        pledge="",
        signer=_TGPL_SIGNER,
    ),
    BlankForm(
        slug="tgpl-tp-05",
        code="Mẫu TP-TGPL-05",
        title="ĐƠN ĐỀ NGHỊ CẤP LẠI GIẤY ĐĂNG KÝ THAM GIA TRỢ GIÚP PHÁP LÝ",
        subtitle="",
        basis=_TGPL_BASIS,
        read_from=_tgpl_read("TP-TGPL-05", "2.000954"),
        addressee="Sở Tư pháp tỉnh Hà Tĩnh",
        sections=(
            _TGPL_ORG,
            Section(
                "Nội dung đề nghị cấp lại",
                (
                    Line("Giấy đăng ký tham gia trợ giúp pháp lý: số, ngày cấp"),
                    Choice("Lý do đề nghị cấp lại", ("Bị mất", "Bị hư hỏng không sử dụng được")),
                ),
            ),
        ),
        pledge="",
        signer=_TGPL_SIGNER,
    ),
)
FORMS += NEW_FORMS + TGPL_FORMS
BY_SLUG = {form.slug: form for form in FORMS}
BY_CODE = {form.code: form for form in FORMS}


def template_codes(template: str) -> list[str]:
    """A component's `template` may name several forms, separated by "; "."""
    return [part.strip() for part in template.split(";") if part.strip()]


def forms_for(template: str) -> list[BlankForm]:
    return [BY_CODE[code] for code in template_codes(template) if code in BY_CODE]


# --- renderers ------------------------------------------------------------------------------------


def blank_form_html(form: BlankForm) -> str:
    return render_to_string("catalog/blank_form.html", {"form": form})


def blank_form_pdf(form: BlankForm) -> bytes:
    from weasyprint import HTML

    return HTML(string=blank_form_html(form)).write_pdf()


def blank_form_docx(form: BlankForm) -> bytes:
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm, Pt

    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)  # python-docx defaults to Letter
    section.left_margin, section.right_margin = Mm(30), Mm(20)
    section.top_margin = section.bottom_margin = Mm(20)
    style = document.styles["Normal"]
    style.font.name, style.font.size = "Times New Roman", Pt(13)

    def centred(text: str, *, bold=False, italic=False):
        paragraph = document.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = paragraph.add_run(text)
        run.bold, run.italic = bold, italic
        return paragraph

    right = document.add_paragraph(form.code)
    right.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    centred("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", bold=True)
    centred("Độc lập - Tự do - Hạnh phúc", bold=True)
    centred(form.title, bold=True)
    if form.subtitle:
        centred(form.subtitle, italic=True)
    centred(f"Kính gửi: {form.addressee}")
    for part in form.sections:
        document.add_paragraph().add_run(part.title).bold = True
        for item in part.items:
            _docx_item(document, item)
    if form.pledge:
        document.add_paragraph(form.pledge)
    signature = document.add_paragraph(f"…………, ngày …… tháng …… năm ……\n{form.signer}")
    signature.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    note = document.add_paragraph()
    note.add_run(form.layout_note).italic = True
    document.core_properties.title = f"{form.code} — {form.title}"
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _docx_item(document, item) -> None:
    if isinstance(item, Line):
        document.add_paragraph(f"{item.label}: " + "." * 60)
        for _ in range(item.lines - 1):
            document.add_paragraph("." * 90)
    elif isinstance(item, Choice):
        document.add_paragraph(f"{item.label}: " + "   ".join(f"☐ {o}" for o in item.options))
    else:
        if item.label:
            document.add_paragraph(item.label)
        table = document.add_table(rows=item.rows + 1, cols=len(item.columns))
        table.style = "Table Grid"
        for cell, title in zip(table.rows[0].cells, item.columns, strict=True):
            cell.text = title
