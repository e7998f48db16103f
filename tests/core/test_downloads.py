"""Every download names its file per RFC 6266, through one helper."""

import re
from pathlib import Path
from urllib.parse import unquote

from motcua.core.downloads import ascii_file_name, attachment_response, content_disposition

MOTCUA = Path(__file__).resolve().parents[2] / "motcua"
HELPER = MOTCUA / "core" / "downloads.py"


def test_vietnamese_name_has_an_ascii_fallback_and_a_utf8_name():
    value = content_disposition("Kết quả Đợt 1.pdf")
    assert value == (
        'attachment; filename="Ket qua Dot 1.pdf"; '
        "filename*=UTF-8''K%E1%BA%BFt%20qu%E1%BA%A3%20%C4%90%E1%BB%A3t%201.pdf"
    )
    encoded = value.split("filename*=UTF-8''")[1]
    assert unquote(encoded) == "Kết quả Đợt 1.pdf"
    value.encode("latin-1")  # a header must be Latin-1 (here: plain ASCII)


def test_ascii_name_stays_as_it_was():
    assert content_disposition("mau-01-H01.pdf", inline=True) == 'inline; filename="mau-01-H01.pdf"'


def test_slashes_quotes_and_control_characters_never_reach_the_header():
    value = content_disposition('Kết quả 12/QĐ-UBND "x"\r\n.pdf')
    assert "/" not in value.split(";")[1]
    assert "\r" not in value and "\n" not in value
    assert value.count('"') == 2
    assert "%2F" not in value
    assert ascii_file_name("Đơn.pdf") == "Don.pdf"


def test_response_carries_content_and_header():
    response = attachment_response(b"%PDF", "Biên lai.pdf", "application/pdf")
    assert response.content == b"%PDF"
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith('attachment; filename="Bien lai.pdf"; ')


def test_no_module_writes_content_disposition_by_hand():
    """A file name written into the header by hand breaks on the first Vietnamese letter."""
    pattern = re.compile(r"content.disposition|as_attachment", re.IGNORECASE)
    offenders = [
        str(path.relative_to(MOTCUA))
        for path in MOTCUA.rglob("*.py")
        if path != HELPER and pattern.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []
