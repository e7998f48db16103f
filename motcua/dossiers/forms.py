"""Official forms (mẫu) as versioned template sets, keyed by their legal basis.

Circular 01/2018/TT-VPCP (Mẫu 01–06) is in force for the demo period; Circular 03/2025/TT-VPCP
(7 forms) follows as another set with its own effective date. A form printed for a dossier uses the
set in force on the dossier's reception day, so a reprint never changes its layout.
"""

from dataclasses import dataclass
from datetime import date

from motcua.core.pdf import render_pdf


@dataclass(frozen=True)
class FormSet:
    key: str
    legal_basis: str
    effective_from: date
    templates: dict[str, str]  # form number -> template


FORM_SETS: tuple[FormSet, ...] = (
    FormSet(
        key="tt01_2018",
        legal_basis="Thông tư 01/2018/TT-VPCP",
        effective_from=date(2019, 1, 6),
        templates={"01": "forms/tt01_2018/mau01_giay_tiep_nhan.html"},
    ),
)


class UnknownForm(LookupError):
    pass


def form_set_in_force(on: date) -> FormSet:
    candidates = [s for s in FORM_SETS if s.effective_from <= on]
    if not candidates:
        raise UnknownForm(f"Không có bộ biểu mẫu nào có hiệu lực ngày {on:%d/%m/%Y}.")
    return max(candidates, key=lambda s: s.effective_from)


def form_pdf(number: str, on: date, context: dict) -> bytes:
    form_set = form_set_in_force(on)
    try:
        template = form_set.templates[number]
    except KeyError:
        raise UnknownForm(f"Bộ biểu mẫu {form_set.legal_basis} không có Mẫu {number}.") from None
    return render_pdf(template, {"form": context, "form_set": form_set})
