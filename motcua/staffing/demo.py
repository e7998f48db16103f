"""The demo organisation of Sở Tư pháp Hà Tĩnh at 30/06/2023 (seed report, sections II.3–II.4),
loaded through the services, idempotently (a second run changes nothing).

Figures it must give for 30/06/2023: 9 units (Phòng, Trung tâm), 29 civil-servant posts of which 3
are vacant (one each in Văn phòng, Phòng PBGDPL and Phòng XD-KT&TDTHPL, which the seed says are
short), 66 staff (26 công chức, 36 viên chức, 4 người lao động) with, as highest qualification,
11 Thạc sĩ Luật, 1 Thạc sĩ khác, 45 Cử nhân Luật, 6 Cử nhân khác, 1 Trung cấp khác and 2 drivers.
The split of the 29 posts over the units is a plausible reading of the seed (its per-unit numbers
include leaders counted elsewhere); names and birth dates are invented.
"""

from datetime import date

from motcua.accounts.roles import Role
from motcua.org.models import Unit

from . import services
from .models import (
    Appointment,
    AppointmentKind,
    Category,
    Course,
    DegreeLevel,
    Post,
    SalaryRaise,
    SalaryRaiseStatus,
    StaffMember,
)

AS_OF = date(2023, 6, 30)
POSTS_FROM = date(2022, 8, 1)  # QĐ 85/QĐ-STP of 01/8/2022 on the units' functions
SO = "000.00.12.H27"
VP, TTR, XD, PB, HC = (f"000.0{n}.12.H27" for n in (1, 2, 3, 4, 5))
TGPL, DGTS, PCC1, PCC2 = (f"000.0{n}.12.H27" for n in (6, 7, 8, 9))
CS, PE, WK = Category.CIVIL_SERVANT, Category.PUBLIC_EMPLOYEE, Category.WORKER

# (unit, title, category, quota, filled on 30/06/2023). The divisions follow the seed's II.3: the
# Phòng XD-KT&TDTHPL 08 civil servants with 02 deputies; Văn phòng, PBGDPL and HC&BTTP 05 each
# with 01 deputy; Thanh tra 04 — 27 of the 29 posts ("biên chế công chức được giao 29 người"), so
# the board holds two (the seed does not name them: a director and one deputy here). 03 of the 29
# are not filled ("chưa có mặt 03/29 biên chế").
POSTS = [
    (SO, "Giám đốc Sở", CS, 1, 1),
    (SO, "Phó Giám đốc Sở", CS, 1, 1),
    (VP, "Chánh Văn phòng", CS, 1, 1),
    (VP, "Phó Chánh Văn phòng", CS, 1, 1),
    (VP, "Chuyên viên Văn phòng", CS, 3, 2),
    (TTR, "Chánh Thanh tra", CS, 1, 1),
    (TTR, "Thanh tra viên", CS, 3, 3),
    (XD, "Trưởng phòng XD-KT&TDTHPL", CS, 1, 1),
    (XD, "Phó Trưởng phòng XD-KT&TDTHPL", CS, 2, 2),
    (XD, "Chuyên viên XD-KT&TDTHPL", CS, 5, 4),
    (PB, "Trưởng phòng PBGDPL", CS, 1, 1),
    (PB, "Phó Trưởng phòng PBGDPL", CS, 1, 1),
    (PB, "Chuyên viên PBGDPL", CS, 3, 2),
    (HC, "Trưởng phòng HC&BTTP", CS, 1, 1),
    (HC, "Phó Trưởng phòng HC&BTTP", CS, 1, 1),
    (HC, "Chuyên viên HC&BTTP", CS, 3, 3),
    (VP, "Lái xe", WK, 2, 2),
    (VP, "Nhân viên văn thư", WK, 1, 1),
    (TGPL, "Nhân viên hành chính", WK, 1, 1),
    (TGPL, "Giám đốc Trung tâm TGPL", PE, 1, 1),
    (TGPL, "Trợ giúp viên pháp lý", PE, 11, 11),
    (DGTS, "Giám đốc Trung tâm DVĐGTS", PE, 1, 1),
    (DGTS, "Đấu giá viên", PE, 5, 5),
    (PCC1, "Trưởng Phòng Công chứng số 1", PE, 1, 1),
    (PCC1, "Công chứng viên, chuyên viên PCC số 1", PE, 8, 8),
    (PCC2, "Trưởng Phòng Công chứng số 2", PE, 1, 1),
    (PCC2, "Công chứng viên, chuyên viên PCC số 2", PE, 8, 8),
]

# Highest qualification per category: (level, field, count). Masters also hold a law degree row.
QUALIFICATIONS = {
    CS: [
        (DegreeLevel.MASTER, "Luật", 8),
        (DegreeLevel.MASTER, "Quản lý công", 1),
        (DegreeLevel.BACHELOR, "Luật", 15),
        (DegreeLevel.BACHELOR, "Kinh tế", 1),
        (DegreeLevel.BACHELOR, "Công nghệ thông tin", 1),
    ],
    PE: [
        (DegreeLevel.MASTER, "Luật", 3),
        (DegreeLevel.BACHELOR, "Luật", 30),
        (DegreeLevel.BACHELOR, "Kế toán", 3),
    ],
    WK: [
        (DegreeLevel.VOCATIONAL, "Lái xe", 2),
        (DegreeLevel.INTERMEDIATE, "Văn thư lưu trữ", 1),
        (DegreeLevel.BACHELOR, "Quản trị văn phòng", 1),
    ],
}

FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Phan", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ"]
MIDDLE = {"male": ["Văn", "Đức", "Hữu", "Quang", "Minh"], "female": ["Thị", "Thu", "Ngọc", "Thanh"]}
GIVEN = {
    "male": ["Hùng", "Dũng", "Tuấn", "Hải", "Long", "Nam", "Sơn", "Thắng", "Trung", "Vinh", "Hiếu"],
    "female": ["Hoa", "Lan", "Hương", "Mai", "Hà", "Linh", "Trang", "Nga", "Thủy", "Yến", "Hiền"],
}


class DemoActor:
    """The loader acts as an administrator; it is not a sign-in account."""

    role = Role.ADMINISTRATOR
    is_active = True
    is_authenticated = True
    pk = None


def _person(n: int) -> tuple[str, str, date]:
    gender = "female" if n % 2 else "male"
    name = (
        f"{FAMILY[n % len(FAMILY)]} {MIDDLE[gender][n % len(MIDDLE[gender])]} "
        f"{GIVEN[gender][(n // 2) % len(GIVEN[gender])]}"
    )
    birth = date(1966 + (n * 7) % 30, 1 + n % 12, 1 + (n * 3) % 28)
    return name, gender, birth


def _qualification_queue() -> dict[str, list[tuple[str, str]]]:
    return {
        category: [(level, field) for level, field, count in rows for _ in range(count)]
        for category, rows in QUALIFICATIONS.items()
    }


def load_demo(stdout=None) -> dict:
    """Posts, 66 staff with their records and the H1/2023 events; returns what it created."""
    actor = DemoActor()
    units = {
        u.code: u for u in Unit.objects.filter(code__startswith="000.0", code__endswith=".12.H27")
    }
    units.update({u.code: u for u in Unit.objects.filter(code=SO)})
    missing = {row[0] for row in POSTS} - set(units)
    if missing:
        raise RuntimeError(
            f"Thiếu đơn vị mẫu {sorted(missing)}: hãy nạp đơn vị (motcua demo) trước."
        )
    created = {"posts": 0, "staff": 0}
    queue = _qualification_queue()
    n = 0
    for unit_code, title, category, quota, filled in POSTS:
        post = Post.objects.filter(unit=units[unit_code], title=title, category=category).first()
        if post is None:
            post = services.post_create(
                actor,
                unit_id=units[unit_code].pk,
                title=title,
                category=category,
                quota=quota,
                valid_from=POSTS_FROM,
            )
            created["posts"] += 1
        for _ in range(filled):
            n += 1
            level, field = queue[category].pop(0)
            created["staff"] += _staff_upsert(actor, n, post, level, field)
    _events(actor)
    if stdout is not None:
        stdout.write(
            f"Nhân sự mẫu: {created['posts']} vị trí, {created['staff']} hồ sơ cán bộ mới.\n"
        )
    return created


def _staff_upsert(actor, n: int, post: Post, level: str, field: str) -> int:
    name, gender, birth = _person(n)
    if StaffMember.objects.filter(full_name=name, birth_date=birth).exists():
        return 0
    leader = not post.title.startswith(("Chuyên viên", "Thanh tra viên", "Lái xe", "Nhân viên"))
    theory = "advanced" if post.unit.code == SO else ("intermediate" if leader else "")
    if not theory and n % 3 == 0:
        theory = "elementary"
    staff = services.staff_create(
        actor,
        services.StaffData(
            full_name=name,
            birth_date=birth,
            gender=gender,
            category=post.category,
            start_date=date(max(birth.year + 23, 2000), 9, 1),
            post_id=post.pk,
            position=post.title,
            rank="Chuyên viên chính" if leader and post.category == CS else "",
            political_theory=theory,
            state_management="principal" if leader else "",
            placed_on=POSTS_FROM,
        ),
    )
    if level == DegreeLevel.MASTER:
        services.qualification_add(actor, staff.pk, level=DegreeLevel.BACHELOR, field="Luật")
    services.qualification_add(actor, staff.pk, level=level, field=field)
    return 1


def _events(actor) -> None:
    """H1/2023 (seed II.4): re-appointment of 1 civil servant and 1 public employee; early raises
    for 2 civil servants and 3 public employees, 1 more proposed; courses: 1 trung cấp LLCT,
    1 chuyên viên chính, 3 lãnh đạo cấp phòng."""
    if Appointment.objects.exists() or SalaryRaise.objects.exists() or Course.objects.exists():
        return
    civil = list(StaffMember.objects.filter(category=CS).order_by("pk"))
    public = list(StaffMember.objects.filter(category=PE).order_by("pk"))
    # The seed names neither position: a deputy of the office and a centre's director here, each
    # the holder of that post (a specialist given a deputy's title would count as one more deputy).
    deputy = StaffMember.objects.filter(placements__post__title="Phó Chánh Văn phòng").distinct()
    reappoint = [
        (deputy.get(), "Phó Chánh Văn phòng"),
        (public[0], "Giám đốc Trung tâm TGPL"),
    ]
    for staff, position in reappoint:
        services.appointment_add(
            actor,
            staff.pk,
            kind=AppointmentKind.REAPPOINTMENT,
            position=position,
            decided_on=date(2023, 5, 15),
            decision_number="45/QĐ-STP",
        )
    for staff in civil[10:12] + public[3:6]:
        services.salary_raise_add(
            actor,
            staff.pk,
            status=SalaryRaiseStatus.GRANTED,
            decided_on=date(2023, 4, 3),
            decision_number="30/QĐ-STP",
        )
    services.salary_raise_add(
        actor,
        civil[12].pk,
        status=SalaryRaiseStatus.PROPOSED,
        decided_on=date(2023, 6, 12),
        decision_number="620/STP-VP",
    )
    courses = [
        (civil[13], "Trung cấp Lý luận chính trị"),
        (civil[14], "Bồi dưỡng ngạch Chuyên viên chính"),
        (civil[15], "Bồi dưỡng lãnh đạo, quản lý cấp phòng"),
        (civil[16], "Bồi dưỡng lãnh đạo, quản lý cấp phòng"),
        (public[6], "Bồi dưỡng lãnh đạo, quản lý cấp phòng"),
    ]
    for staff, name in courses:
        services.course_add(actor, staff.pk, name=name, starts_on=date(2023, 3, 6))
