"""The clauses of TCVN ISO 9001:2015 (≡ ISO 9001:2015, Hệ thống quản lý chất lượng — Các yêu cầu)
that a finding of an internal audit is raised against: clauses 4 to 10 and their first-level
sub-clauses.

Source: the clause structure of ISO 9001:2015 (high-level structure, Annex SL: 4 Bối cảnh của tổ
chức, 5 Sự lãnh đạo, 6 Hoạch định, 7 Hỗ trợ, 8 Thực hiện, 9 Đánh giá kết quả thực hiện, 10 Cải tiến).
The Vietnamese titles below are the project's rendering of those clause titles; check them against the
official TCVN text before printing them in an official document (not verified against it here).
A finding may name a deeper sub-clause (7.5.3, 8.5.1): it is accepted when its first two levels are
listed here.
"""

CLAUSES: dict[str, str] = {
    "4": "Bối cảnh của tổ chức",
    "4.1": "Hiểu tổ chức và bối cảnh của tổ chức",
    "4.2": "Hiểu nhu cầu và mong đợi của các bên quan tâm",
    "4.3": "Xác định phạm vi của hệ thống quản lý chất lượng",
    "4.4": "Hệ thống quản lý chất lượng và các quá trình",
    "5": "Sự lãnh đạo",
    "5.1": "Sự lãnh đạo và cam kết",
    "5.2": "Chính sách",
    "5.3": "Vai trò, trách nhiệm và quyền hạn trong tổ chức",
    "6": "Hoạch định",
    "6.1": "Hành động giải quyết rủi ro và cơ hội",
    "6.2": "Mục tiêu chất lượng và hoạch định để đạt được mục tiêu",
    "6.3": "Hoạch định các thay đổi",
    "7": "Hỗ trợ",
    "7.1": "Nguồn lực",
    "7.2": "Năng lực",
    "7.3": "Nhận thức",
    "7.4": "Trao đổi thông tin",
    "7.5": "Thông tin dạng văn bản",
    "8": "Thực hiện",
    "8.1": "Hoạch định và kiểm soát việc thực hiện",
    "8.2": "Yêu cầu đối với sản phẩm và dịch vụ",
    "8.3": "Thiết kế và phát triển sản phẩm và dịch vụ",
    "8.4": "Kiểm soát quá trình, sản phẩm và dịch vụ do bên ngoài cung cấp",
    "8.5": "Sản xuất và cung cấp dịch vụ",
    "8.6": "Thông qua sản phẩm và dịch vụ",
    "8.7": "Kiểm soát đầu ra không phù hợp",
    "9": "Đánh giá kết quả thực hiện",
    "9.1": "Theo dõi, đo lường, phân tích và đánh giá",
    "9.2": "Đánh giá nội bộ",
    "9.3": "Xem xét của lãnh đạo",
    "10": "Cải tiến",
    "10.1": "Khái quát",
    "10.2": "Sự không phù hợp và hành động khắc phục",
    "10.3": "Cải tiến liên tục",
}


def clause_title(clause: str) -> str | None:
    """The title of the clause (or of its first two levels), None when it is not a clause."""
    parts = (clause or "").strip().split(".")
    return CLAUSES.get(".".join(parts[:2]))
