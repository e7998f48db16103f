"""Official forms (mẫu) as versioned template sets, keyed by their legal basis: the paper a desk
prints and signs (Mẫu 01 here, the notices in `notices`, the tracking book in `tracking_book`). Not
Django forms: the form a desk fills to receive a dossier is `dossiers.intake_forms`.

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
        templates={
            "01": "forms/tt01_2018/mau01_giay_tiep_nhan.html",
            "02": "forms/tt01_2018/mau02_yeu_cau_bo_sung.html",
            "03": "forms/tt01_2018/mau03_tu_choi.html",
            "04": "forms/tt01_2018/mau04_xin_loi_hen_lai.html",
            "05": "forms/tt01_2018/mau05_phieu_kiem_soat.html",
            "06": "forms/tt01_2018/mau06_so_theo_doi.html",  # A4, a date range rather than a dossier
        },
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


def time_text(value) -> str:
    """'16 giờ 00 phút, ngày 26/04/2024': an instant as the forms write it ('' when none)."""
    from django.utils import timezone

    if value is None:
        return ""
    local = timezone.localtime(value)
    return f"{local:%H} giờ {local:%M} phút, ngày {local:%d/%m/%Y}"


def form_header(unit, day: date) -> dict:
    """The Decree 30/2020 header block of every printed form: the issuing unit under its parent,
    the place (the installation's province) and the date in words."""
    from django.conf import settings

    from motcua.core.text import format_date_long

    return {
        "agency_parent_name": unit.parent.name if unit.parent_id else "",
        "agency_name": unit.name,
        "place": settings.MOTCUA_PROVINCE_NAME,
        "date_long": format_date_long(day),
    }


def fee_lines(version) -> list[str]:
    """'Lệ phí: 200.000 đồng' for each fee of the procedure version that costs something."""
    from motcua.core.text import format_money

    return [f"{fee.name}: {format_money(fee.amount)}" for fee in version.fees.all() if fee.amount]


def applicant_full_address(dossier) -> str:
    """The address as declared, then the commune and province from the official list."""
    from motcua.core.places import place_name
    from motcua.core.text import address_join

    applicant = dossier.applicant
    return address_join(
        dossier.applicant_address, place_name(applicant.province_code, applicant.ward_code)
    )


def receipt_context(dossier) -> dict:
    """Mẫu 01 filled from the dossier as received (Circular 01/2018 annex)."""
    from django.utils import timezone

    from motcua.core.symbols import code128_svg_data_uri, qr_svg_data_uri

    from ..models import ChannelKind
    from ..online import tracking_url

    version = dossier.procedure_version
    unit = dossier.receiving_unit
    received = timezone.localtime(dossier.received_at)
    unit_word = (
        "giờ làm việc" if version.processing_time_unit == "working_hours" else "ngày làm việc"
    )
    value = f"{version.processing_time_value.normalize():f}".replace(".", ",")
    return {
        **form_header(unit, received.date()),
        "code": dossier.code,
        # Scanning the receipt opens the public tracking page; the code stays readable in the URL.
        "qr": qr_svg_data_uri(tracking_url(dossier)),
        "barcode": code128_svg_data_uri(dossier.code),
        "copy_label": "Giao người nộp hồ sơ",
        "receiving_unit_name": f"Bộ phận tiếp nhận và trả kết quả: {unit.name}",
        "applicant_name": dossier.applicant_name,
        "applicant_address": applicant_full_address(dossier),
        "applicant_phone": dossier.contact_phone,
        "applicant_email": dossier.contact_email,
        "procedure_name": version.name,
        "components": [
            {"name": c.name, "form": c.get_form_display(), "count": c.count}
            for c in dossier.components.all()
        ],
        "dossier_sets": dossier.dossier_sets,
        "processing_time": f"{value} ({unit_word})",
        "received_at_text": time_text(dossier.received_at),
        "due_at_text": time_text(dossier.due_at_original),
        "return_channel": ChannelKind(dossier.return_channel).label
        if dossier.return_channel
        else "",
        "fees": "; ".join(fee_lines(version)),
        "book_number": f"{received:%Y}",
        "book_sequence": dossier.code.rsplit("-", 1)[-1].lstrip("0"),
        "officer_name": str(dossier.received_by or ""),
        "payment": _payment_block(dossier, "intake"),
    }


def _payment_block(dossier, moment: str):
    """The fee's VietQR when the procedure's fees are due at this moment (motcua.payments)."""
    from motcua.payments.selectors import payment_block_for_form

    return payment_block_for_form(dossier, moment)
