"""The back office's main navigation as a table: one row per area, who sees it, and which URL names
mark it as the current page. Each app's area is one row here, so adding an area never means editing
the base template.

The links only show what a role may open; the views themselves check access (deny by default).
"""

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse

from motcua.accounts.roles import STAFF_ROLES, Role

ALL_STAFF = frozenset(STAFF_ROLES)
CASEWORK = frozenset(
    {Role.DESK_OFFICER, Role.SPECIALIST, Role.DIVISION_HEAD, Role.DEPARTMENT_LEADER}
)
LEADERS = frozenset({Role.DIVISION_HEAD, Role.DEPARTMENT_LEADER, Role.ADMINISTRATOR})
ADMINISTRATORS = frozenset({Role.ADMINISTRATOR})
DESK = frozenset({Role.DESK_OFFICER})
MONEY = frozenset({Role.DESK_OFFICER, Role.DIVISION_HEAD, Role.DEPARTMENT_LEADER})
HR = frozenset({Role.ADMINISTRATOR, Role.DEPARTMENT_LEADER})


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    roles: frozenset
    # The current page belongs to this item when its "namespace:name" starts with one of these.
    current_prefixes: tuple[str, ...]


NAV: tuple[NavItem, ...] = (
    NavItem("Trang chủ", "backoffice:home", ALL_STAFF, ("backoffice:home",)),
    NavItem(
        "Tiếp nhận",
        "backoffice:dossier_intake_search",
        frozenset({Role.DESK_OFFICER}),
        ("backoffice:dossier_intake",),
    ),
    NavItem("Nộp trực tuyến hộ công dân", "portal:home", DESK, ("portal:",)),
    NavItem("Tiếp nhận qua bưu chính", "postal:intake_search", DESK, ("postal:intake",)),
    NavItem("Hồ sơ", "backoffice:dossier_worklist", CASEWORK, ("backoffice:dossier_worklist",)),
    NavItem(
        "Bưu gửi", "postal:consignment_list", CASEWORK, ("postal:consignment", "postal:events")
    ),
    NavItem("Tìm theo nội dung giấy tờ", "documents:search", CASEWORK, ("documents:search",)),
    NavItem("Đối soát thu phí", "payments:review_list", MONEY, ("payments:review",)),
    NavItem("Nhập sao kê", "payments:statement_import", MONEY, ("payments:statement",)),
    NavItem("Báo cáo đối soát", "payments:report", MONEY, ("payments:report",)),
    NavItem(
        "Phản ánh, kiến nghị",
        "feedback:worklist",
        ALL_STAFF,
        ("feedback:worklist", "feedback:intake", "feedback:detail"),
    ),
    NavItem(
        "Khảo sát hài lòng",
        "feedback:campaigns",
        ALL_STAFF,
        ("feedback:campaign", "feedback:paper"),
    ),
    NavItem(
        "Văn bản đi, đến",
        "backoffice:exchange_outgoing",
        ALL_STAFF,
        ("backoffice:exchange_",),
    ),
    NavItem(
        "Hồ sơ công việc",
        "backoffice:archives_work_files",
        ALL_STAFF,
        ("backoffice:archives_",),
    ),
    NavItem("Cải cách hành chính", "reform:home", ALL_STAFF, ("reform:",)),
    NavItem("Nhân sự", "staffing:staff_list", HR, ("staffing:",)),
    NavItem("Chỉ số", "indicators:dashboard", LEADERS, ("indicators:dashboard",)),
    NavItem("Báo cáo định kỳ", "indicators:draft_list", LEADERS, ("indicators:draft",)),
    NavItem("Danh mục TTHC", "backoffice:catalog_list", ALL_STAFF, ("backoffice:catalog",)),
    NavItem("Đơn vị", "backoffice:org_units", ADMINISTRATORS, ("backoffice:org_unit",)),
    NavItem("Cán bộ", "backoffice:staff", ADMINISTRATORS, ("backoffice:staff",)),
    NavItem("Lịch làm việc", "backoffice:calendar_list", ADMINISTRATORS, ("backoffice:calendar",)),
    NavItem("Tài khoản thu phí", "payments:account_list", ADMINISTRATORS, ("payments:account",)),
    NavItem(
        "Nhật ký dữ liệu cá nhân",
        "backoffice:personal_data_reads",
        ADMINISTRATORS,
        ("backoffice:personal_data_reads",),
    ),
)


def nav_for(request) -> list[dict]:
    """The items the signed-in staff member sees, with their links and which one is current."""
    user = getattr(request, "user", None)
    role = getattr(user, "role", None)
    if role not in STAFF_ROLES:
        return []
    match = getattr(request, "resolver_match", None)
    here = match.view_name if match else ""
    items = []
    for item in NAV:
        if role not in item.roles:
            continue
        try:
            href = reverse(item.url_name)
        except NoReverseMatch:
            # An area whose app is not installed in this deployment; test_nav checks ours all exist.
            continue
        current = any(here.startswith(prefix) for prefix in item.current_prefixes)
        items.append({"label": item.label, "href": href, "current": current})
    return items


def backoffice_nav(request) -> dict:
    """Context processor: `nav_items` for the back office's base template."""
    return {"nav_items": nav_for(request)}
