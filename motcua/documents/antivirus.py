"""The antivirus hook: clamd's INSTREAM protocol, over a Unix socket or TCP, when one is configured.

Protocol (clamd(8)): send `zINSTREAM\\0`, then chunks each prefixed by its length as a 4-byte
big-endian integer, then a zero-length chunk; clamd answers `stream: OK\\0` or
`stream: <name> FOUND\\0`. With no clamd configured, files are not scanned (the demo, a laptop).
A configured clamd that cannot be reached refuses the file: an unscanned file must not slip in.
"""

import socket
import struct

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


def clamd_instream(data: bytes) -> str:
    """clamd's answer for `data`, without the trailing NUL (e.g. 'stream: OK')."""
    with _connect() as sock:
        sock.sendall(b"zINSTREAM\0")
        for start in range(0, len(data), CHUNK):
            chunk = data[start : start + CHUNK]
            sock.sendall(struct.pack("!L", len(chunk)) + chunk)
        sock.sendall(struct.pack("!L", 0))
        answer = b""
        while not answer.endswith(b"\0"):
            part = sock.recv(4096)
            if not part:
                break
            answer += part
    return answer.rstrip(b"\0").decode("utf-8", "replace").strip()


def antivirus_check(data: bytes) -> None:
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
