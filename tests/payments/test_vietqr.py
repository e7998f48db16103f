"""VietQR payloads: the builder reproduces published examples byte for byte, the parser reads them
back, and any single changed character is refused (CRC-16/CCITT-FALSE catches every burst ≤ 16 bits)."""

import subprocess
import sys
from io import StringIO

import pytest
from django.core.management import call_command

from motcua.payments.vietqr import VietQRError, build, crc16, parse, qr_png, qr_svg

# (source, build arguments, published payload)
PUBLISHED = [
    (
        "NAPAS VietQR spec v1.0 §6.1.3 (dynamic, bill number, purpose)",
        dict(bin="970403", account="0011012345678", amount=180000, bill_number="NPS6869",
             purpose="thanh toan don hang"),
        "00020101021238570010A00000072701270006970403011300110123456780208QRIBFTTA5303704540618"
        "00005802VN62340107NPS68690819thanh toan don hang63042E2E",
    ),
    (
        "xuannghia/vietnam-qr-pay README, VietQR tĩnh (ACB)",
        dict(bin="970416", account="257678859", dynamic=False),
        "00020101021138530010A0000007270123000697041601092576788590208QRIBFTTA53037045802VN6304AE9F",
    ),
    (
        "xuannghia/vietnam-qr-pay README, VietQR động (ACB, 10.000 đ)",
        dict(bin="970416", account="257678859", amount=10000, purpose="Chuyen tien"),
        "00020101021238530010A0000007270123000697041601092576788590208QRIBFTTA5303704540510000"
        "5802VN62150811Chuyen tien630453E6",
    ),
    (
        "xuannghia/vietnam-qr-pay README, decode example (1.000 đ)",
        dict(bin="970416", account="257678859", amount=1000, purpose="Chuyen tien"),
        "00020101021238530010A0000007270123000697041601092576788590208QRIBFTTA5303704540410005802VN"
        "62150811Chuyen tien6304BBB8",
    ),
    (
        "subiz/vietqr README (VietinBank, diacritics folded)",
        dict(bin="970415", account="0011001932418", amount=120000, purpose="ủng hộ lũ lụt"),
        "00020101021238570010A00000072701270006970415011300110019324180208QRIBFTTA5303704540612"
        "00005802VN62170813ung ho lu lut6304C15C",
    ),
]  # fmt: skip


@pytest.mark.parametrize("source,args,payload", PUBLISHED, ids=[p[0] for p in PUBLISHED])
def test_build_reproduces_published_examples(source, args, payload):
    assert build(**args) == payload


@pytest.mark.parametrize("source,args,payload", PUBLISHED, ids=[p[0] for p in PUBLISHED])
def test_parse_reads_published_examples_back(source, args, payload):
    fields = parse(payload)
    assert (fields.bin, fields.account) == (args["bin"], args["account"])
    assert fields.amount == args.get("amount")
    assert fields.dynamic == args.get("dynamic", True)
    assert fields.service == "QRIBFTTA"


def test_crc_check_value_and_lower_case_crc_accepted():
    assert crc16("123456789") == "29B1"
    payload = PUBLISHED[0][2]
    assert parse(payload[:-4] + payload[-4:].lower()).amount == 180000


def test_napas_errata_wrong_sub_length_is_refused_even_with_its_own_crc():
    # NAPAS v1.0 §6.1.1 prints sub-tag 01 with length 12 for a 13-digit account, with a CRC that
    # is right for that malformed string: the TLV structure must be refused, not only the CRC.
    good = build("970403", "0011012345678", dynamic=False)
    body = good[:-4].replace("01130011012345678", "01120011012345678")
    with pytest.raises(VietQRError):
        parse(body + crc16(body))


@pytest.mark.parametrize("payload", [p[2] for p in PUBLISHED])
def test_parse_rejects_any_single_changed_character(payload):
    for index, original in enumerate(payload):
        replacement = "7" if original.upper() != "7" else "8"
        changed = payload[:index] + replacement + payload[index + 1 :]
        with pytest.raises(VietQRError):
            parse(changed)


@pytest.mark.parametrize(
    "payload,message",
    [
        ("", "000201"),
        ("hello world 123", "000201"),
        (PUBLISHED[1][2][:-8], "CRC"),
        # a length running past the end, with a valid CRC over it
        ("000201010211389900" + "6304", "CRC"),
    ],
)
def test_parse_errors_are_clear(payload, message):
    with pytest.raises(VietQRError) as error:
        parse(payload)
    assert message in str(error.value)


def test_parse_rejects_a_bad_length_even_with_a_correct_crc():
    body = "000201010212385700"  # 38 claims 57 characters, none follow
    with pytest.raises(VietQRError, match="độ dài"):
        parse(body + "6304" + crc16(body + "6304"))


def test_build_validates_its_input():
    with pytest.raises(VietQRError, match="BIN"):
        build("97043", "123")
    with pytest.raises(VietQRError, match="tài khoản"):
        build("970436", "0011-0012")
    with pytest.raises(VietQRError, match="500.000.000"):
        build("970436", "0011001234567", amount=500_000_000)
    with pytest.raises(VietQRError, match="25"):
        build("970436", "0011001234567", purpose="x" * 26)
    with pytest.raises(VietQRError, match="ASCII"):
        build("970436", "0011001234567", purpose="phí 💸")


def test_qr_images_decode_to_the_payload(tmp_path):
    payload = PUBLISHED[2][2]
    png = tmp_path / "qr.png"
    png.write_bytes(qr_png(payload))
    decoded = subprocess.run(
        ["zbarimg", "--quiet", "--raw", str(png)], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert decoded == payload
    assert qr_svg(payload).startswith("<svg")


def test_cli_build_and_parse():
    out = StringIO()
    call_command(
        "vietqr", "build", "--bin", "970416", "--account", "257678859", "--static", stdout=out
    )
    assert out.getvalue().strip() == PUBLISHED[1][2]
    out = StringIO()
    call_command(
        "vietqr", "build", "--bin", "970416", "--account", "257678859", "--amount", "10000",
        "--purpose", "Chuyen tien", stdout=out,
    )  # fmt: skip
    assert out.getvalue().strip() == PUBLISHED[2][2]
    out = StringIO()
    call_command("vietqr", "parse", PUBLISHED[0][2], stdout=out)
    assert '"bill_number": "NPS6869"' in out.getvalue() and '"amount": 180000' in out.getvalue()


def test_cli_parse_of_a_changed_payload_exits_1_with_a_clear_error():
    payload = PUBLISHED[1][2]
    changed = payload.replace("257678859", "257678858")
    done = subprocess.run(
        [sys.executable, "manage.py", "vietqr", "parse", changed], capture_output=True, text=True
    )
    assert done.returncode == 1
    assert "Sai mã kiểm tra CRC" in done.stderr and done.stdout == ""
    done = subprocess.run(
        [sys.executable, "manage.py", "vietqr", "build", "--bin", "97043", "--account", "1"],
        capture_output=True, text=True,
    )  # fmt: skip
    assert done.returncode == 1 and "BIN" in done.stderr
