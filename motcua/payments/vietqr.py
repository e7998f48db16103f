"""VietQR (NAPAS247 over EMVCo merchant-presented QR): build, parse and validate payloads.

Pure Python, no Django. The builder emits the canonical field order that published VietQR examples
use (NAPAS v1.0 §6.1, and the libraries that follow it):

    00 01 | 01 11/12 | 38 [00 A000000727, 01 [00 BIN, 01 ACCOUNT], 02 QRIBFTTA] | 53 704
    | (54 AMOUNT) | 58 VN | (62 [(01 BILL), 08 PURPOSE]) | 63 04 CRC

The CRC is CRC-16/CCITT-FALSE (poly 0x1021, init 0xFFFF) over everything up to and including the
literal "6304" (EMVCo MPM v1.1 §4.7.3), emitted as four upper-case hex digits; parsing accepts lower
case, because some bank apps emit it.
"""

from __future__ import annotations

import binascii
import re
import unicodedata
from dataclasses import asdict, dataclass

NAPAS_GUID = "A000000727"
SERVICE_TO_ACCOUNT = "QRIBFTTA"
SERVICE_TO_CARD = "QRIBFTTC"
CURRENCY_VND = "704"
COUNTRY_VN = "VN"
STATIC, DYNAMIC = "11", "12"
MAX_AMOUNT = 500_000_000  # NAPAS v1.0 §8.1.1: a NAPAS247 transfer is below 500 million đồng
MAX_SUB_FIELD = 25  # every sub-field of template 62 (ans, ≤ 25)

BIN_RE = re.compile(r"^\d{6}$")
ACCOUNT_RE = re.compile(r"^[0-9A-Za-z]{1,19}$")
PRINTABLE_ASCII = re.compile(r"^[\x20-\x7e]*$")


class VietQRError(ValueError):
    """A payload (or the data for one) breaks the VietQR / EMVCo rules; the message says which."""


@dataclass(frozen=True)
class VietQR:
    """The fields of a VietQR transfer payload that matter to a payer and to reconciliation."""

    bin: str
    account: str
    amount: int | None = None
    purpose: str = ""
    bill_number: str = ""
    dynamic: bool = True
    service: str = SERVICE_TO_ACCOUNT
    merchant_name: str = ""
    crc: str = ""

    def as_dict(self) -> dict:
        return asdict(self)


def crc16(text: str) -> str:
    """CRC-16/CCITT-FALSE as four upper-case hex digits: crc16("123456789") == "29B1"."""
    return format(binascii.crc_hqx(text.encode("utf-8"), 0xFFFF), "04X")


def ascii_fold(text: str) -> str:
    """Vietnamese text made safe for an `ans` field: diacritics dropped (đ → d), case kept,
    whitespace collapsed. Anything still outside printable ASCII is an error for the caller."""
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return " ".join(stripped.split())


def _tlv(tag: str, value: str) -> str:
    if not 1 <= len(value) <= 99:
        raise VietQRError(f"Trường {tag}: độ dài {len(value)} ngoài khoảng 1–99 ký tự.")
    return f"{tag}{len(value):02d}{value}"


def build(
    bin: str,
    account: str,
    *,
    amount: int | None = None,
    purpose: str = "",
    bill_number: str = "",
    dynamic: bool = True,
    service: str = SERVICE_TO_ACCOUNT,
) -> str:
    """The payload for a transfer to `account` at the bank `bin`, validated field by field."""
    bin = (bin or "").strip()
    account = (account or "").strip()
    if not BIN_RE.match(bin):
        raise VietQRError("Mã BIN ngân hàng phải gồm đúng 6 chữ số.")
    if not ACCOUNT_RE.match(account):
        raise VietQRError("Số tài khoản chỉ gồm chữ và số, tối đa 19 ký tự.")
    if service not in (SERVICE_TO_ACCOUNT, SERVICE_TO_CARD):
        raise VietQRError("Mã dịch vụ phải là QRIBFTTA (tài khoản) hoặc QRIBFTTC (thẻ).")
    if amount is not None:
        if isinstance(amount, bool) or not isinstance(amount, int):
            raise VietQRError("Số tiền phải là số nguyên đồng.")
        if not 1 <= amount < MAX_AMOUNT:
            raise VietQRError("Số tiền phải từ 1 đồng đến dưới 500.000.000 đồng.")
    additional = ""
    for tag, label, value in (("01", "Số hóa đơn", bill_number), ("08", "Nội dung", purpose)):
        value = ascii_fold(value or "")
        if not value:
            continue
        if len(value) > MAX_SUB_FIELD or not PRINTABLE_ASCII.match(value):
            raise VietQRError(
                f"{label} chỉ gồm chữ không dấu, số và dấu câu ASCII, tối đa {MAX_SUB_FIELD} ký tự."
            )
        additional += _tlv(tag, value)
    beneficiary = _tlv("00", bin) + _tlv("01", account)
    merchant = _tlv("00", NAPAS_GUID) + _tlv("01", beneficiary) + _tlv("02", service)
    body = (
        _tlv("00", "01")
        + _tlv("01", DYNAMIC if dynamic else STATIC)
        + _tlv("38", merchant)
        + _tlv("53", CURRENCY_VND)
        + (_tlv("54", str(amount)) if amount is not None else "")
        + _tlv("58", COUNTRY_VN)
        + (_tlv("62", additional) if additional else "")
        + "6304"
    )
    return body + crc16(body)


def _split(text: str, where: str) -> dict[str, str]:
    """TLV objects of `text` by tag; a length running past the end or a repeated tag is an error."""
    fields: dict[str, str] = {}
    i = 0
    while i < len(text):
        head = text[i : i + 4]
        if len(head) < 4 or not head.isdigit():
            raise VietQRError(f"{where}: thẻ/độ dài không hợp lệ tại vị trí {i}.")
        tag, length = head[:2], int(head[2:])
        value = text[i + 4 : i + 4 + length]
        if length == 0 or len(value) != length:
            raise VietQRError(f"{where}: trường {tag} khai độ dài {length} nhưng thiếu dữ liệu.")
        if tag in fields:
            raise VietQRError(f"{where}: trường {tag} xuất hiện hai lần.")
        fields[tag] = value
        i += 4 + length
    return fields


def parse(payload: str) -> VietQR:
    """The fields of a VietQR payload, or VietQRError saying what is wrong (CRC, a length, a tag)."""
    payload = (payload or "").strip()
    if len(payload) < 12 or not payload.startswith("000201"):
        raise VietQRError("Không phải mã VietQR: phải bắt đầu bằng 000201.")
    if payload[-8:-4] != "6304":
        raise VietQRError("Thiếu trường CRC (63) ở cuối mã.")
    expected = crc16(payload[:-4])
    if payload[-4:].upper() != expected:
        raise VietQRError(f"Sai mã kiểm tra CRC: mã ghi {payload[-4:]}, tính được {expected}.")
    root = _split(payload[:-8], "Mã QR")
    for tag in ("01", "38", "53", "58"):
        if tag not in root:
            raise VietQRError(f"Thiếu trường bắt buộc {tag}.")
    if root["01"] not in (STATIC, DYNAMIC):
        raise VietQRError("Trường 01 phải là 11 (QR tĩnh) hoặc 12 (QR động).")
    if root["53"] != CURRENCY_VND:
        raise VietQRError("Đơn vị tiền tệ (53) phải là 704 (đồng Việt Nam).")
    if root["58"] != COUNTRY_VN:
        raise VietQRError("Mã quốc gia (58) phải là VN.")
    merchant = _split(root["38"], "Trường 38")
    if merchant.get("00") != NAPAS_GUID:
        raise VietQRError("Trường 38 không phải của NAPAS (A000000727).")
    beneficiary = _split(merchant.get("01", ""), "Trường 38/01")
    bin, account = beneficiary.get("00", ""), beneficiary.get("01", "")
    if not BIN_RE.match(bin):
        raise VietQRError("Mã BIN (38/01/00) phải gồm 6 chữ số.")
    if not ACCOUNT_RE.match(account):
        raise VietQRError("Số tài khoản (38/01/01) không hợp lệ.")
    amount = None
    if "54" in root:
        if not root["54"].isdigit() or int(root["54"]) < 1:
            raise VietQRError("Số tiền (54) phải là số nguyên dương (đồng).")
        amount = int(root["54"])
    additional = _split(root["62"], "Trường 62") if "62" in root else {}
    return VietQR(
        bin=bin,
        account=account,
        amount=amount,
        purpose=additional.get("08", ""),
        bill_number=additional.get("01", ""),
        dynamic=root["01"] == DYNAMIC,
        service=merchant.get("02", ""),
        merchant_name=root.get("59", ""),
        crc=payload[-4:],
    )


def qr_svg(payload: str, *, scale: int = 4) -> str:
    """The payload as an inline SVG QR code (level M, quiet zone 4, no Micro QR)."""
    import io

    import segno

    out = io.BytesIO()
    segno.make(payload, error="m", micro=False, boost_error=False).save(
        out, kind="svg", scale=scale, border=4, xmldecl=False, svgns=True
    )
    return out.getvalue().decode()


def qr_png(payload: str, *, scale: int = 5) -> bytes:
    import io

    import segno

    out = io.BytesIO()
    segno.make(payload, error="m", micro=False, boost_error=False).save(
        out, kind="png", scale=scale, border=4
    )
    return out.getvalue()


def qr_png_size(payload: str, *, scale: int = 5) -> int:
    """The side in pixels of `qr_png(payload, scale=scale)` (for the <img> width and height)."""
    import segno

    return segno.make(payload, error="m", micro=False, boost_error=False).symbol_size(
        scale=scale, border=4
    )[0]
