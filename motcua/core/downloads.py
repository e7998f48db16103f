"""The one place a file response gets its Content-Disposition header.

A Vietnamese file name ("Kết quả hồ sơ.pdf") cannot go into a header as it is: HTTP headers are
Latin-1, and Django would refuse or the browser would show mojibake. RFC 6266 (with RFC 5987's
encoding) says how: an ASCII `filename` for old clients and a UTF-8, percent-encoded `filename*`
that every current browser prefers. Every download in the project goes through
`attachment_response`, and a test checks no other module writes the header by hand."""

import re
import unicodedata
from urllib.parse import quote

from django.http import HttpResponse

_UNSAFE_ASCII = re.compile(r"[^A-Za-z0-9._\- ]+")


def ascii_file_name(filename: str) -> str:
    """'Kết quả đợt 1.pdf' → 'Ket qua dot 1.pdf': diacritics stripped, đ/Đ → d/D, anything else
    that is not a plain letter, digit, dot, dash, underscore or space → '-'."""
    plain = filename.replace("đ", "d").replace("Đ", "D")
    plain = unicodedata.normalize("NFKD", plain).encode("ascii", "ignore").decode("ascii")
    plain = _UNSAFE_ASCII.sub("-", plain).strip(" .") or "tai-lieu"
    return plain


_UNSAFE_ANYWHERE = re.compile(r'[\x00-\x1f\x7f/\\"]+')


def content_disposition(filename: str, inline: bool = False) -> str:
    """The header's value per RFC 6266: `attachment; filename="ascii"; filename*=UTF-8''%..`.
    Path separators, quotes and control characters in the name (an official number such as
    "12/QĐ-UBND") become '-' first: they would end the name or make it a path."""
    kind = "inline" if inline else "attachment"
    filename = _UNSAFE_ANYWHERE.sub("-", filename).strip() or "tai-lieu"
    fallback = ascii_file_name(filename)
    value = f'{kind}; filename="{fallback}"'
    if fallback != filename:
        value += f"; filename*=UTF-8''{quote(filename, safe='')}"
    return value


def attachment_response(
    content: bytes | str, filename: str, content_type: str, inline: bool = False
) -> HttpResponse:
    """A response carrying a file: `inline` opens it in the browser (a PDF to print), otherwise the
    browser saves it under `filename`."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition(filename, inline=inline)
    return response


def set_disposition(response, filename: str, inline: bool = False):
    """For a response built elsewhere (a streamed export): the same header, the same rules."""
    response["Content-Disposition"] = content_disposition(filename, inline=inline)
    return response
