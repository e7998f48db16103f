"""The antivirus hook: clamd's INSTREAM protocol, over a Unix socket or TCP, when one is configured.

Protocol (clamd(8)): send `zINSTREAM\\0`, then chunks each prefixed by its length as a 4-byte
big-endian integer, then a zero-length chunk; clamd answers `stream: OK\\0` or
`stream: <name> FOUND\\0`. With no clamd configured, files are not scanned (the demo, a laptop).
A configured clamd that cannot be reached refuses the file: an unscanned file must not slip in.
"""

import socket
import struct
from collections.abc import Iterator
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError

CHUNK = 64 * 1024
MSG_INFECTED = "Tệp có chứa mã độc ({name}) và đã bị từ chối."
MSG_UNAVAILABLE = (
    "Chưa kiểm tra được mã độc trong tệp (máy quét không phản hồi). Vui lòng thử lại sau."
)


def clamd_configured() -> bool:
    return bool(settings.MOTCUA_CLAMD_SOCKET or settings.MOTCUA_CLAMD_HOST)


def _connect() -> socket.socket:
    if settings.MOTCUA_CLAMD_SOCKET:
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.settimeout(30)
        sock.connect(settings.MOTCUA_CLAMD_SOCKET)
        return sock
    return socket.create_connection(
        (settings.MOTCUA_CLAMD_HOST, settings.MOTCUA_CLAMD_PORT), timeout=30
    )


def clamd_instream(data: bytes | Path) -> str:
    """clamd's answer for `data` (bytes, or a file sent a chunk at a time), without the trailing
    NUL (e.g. 'stream: OK')."""
    with _connect() as sock:
        sock.sendall(b"zINSTREAM\0")
        for chunk in _pieces(data):
            sock.sendall(struct.pack("!L", len(chunk)) + chunk)
        sock.sendall(struct.pack("!L", 0))
        answer = b""
        while not answer.endswith(b"\0"):
            part = sock.recv(4096)
            if not part:
                break
            answer += part
    return answer.rstrip(b"\0").decode("utf-8", "replace").strip()


def _pieces(data: bytes | Path) -> Iterator[bytes]:
    if isinstance(data, Path):
        with open(data, "rb") as handle:
            while chunk := handle.read(CHUNK):
                yield chunk
        return
    for start in range(0, len(data), CHUNK):
        yield data[start : start + CHUNK]


def antivirus_check(data: bytes | Path) -> None:
    """Raise ValidationError if clamd finds something or cannot be asked; no-op when not configured."""
    if not clamd_configured():
        return
    try:
        answer = clamd_instream(data)
    except OSError as error:
        raise ValidationError(MSG_UNAVAILABLE, code="antivirus_unavailable") from error
    if answer.endswith("FOUND"):
        name = answer.removeprefix("stream:").removesuffix("FOUND").strip()
        raise ValidationError(MSG_INFECTED.format(name=name), code="antivirus_infected")
    if not answer.endswith("OK"):
        raise ValidationError(MSG_UNAVAILABLE, code="antivirus_unavailable")
