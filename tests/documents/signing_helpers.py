"""Reading signed PDFs as outside tools do: poppler's pdfsig with an NSS database that trusts our
test root (as a reader's machine trusts the national root), and one byte changed in the signed
range."""

import io
import subprocess
from pathlib import Path

from pyhanko.pdf_utils.reader import PdfFileReader


def nss_trusting(folder: Path, ca_pem: Path) -> str:
    """An NSS certificate database trusting `ca_pem`, as pdfsig's -nssdir argument."""
    folder.mkdir(parents=True, exist_ok=True)
    database = f"sql:{folder}"
    subprocess.run(["certutil", "-N", "--empty-password", "-d", database], check=True)
    subprocess.run(
        [
            "certutil",
            "-A",
            "-n",
            "motcua-test-ca",
            "-t",
            "CT,C,C",
            "-i",
            str(ca_pem),
            "-d",
            database,
        ],
        check=True,
    )
    return database


def pdfsig(path: Path, nss: str) -> str:
    return subprocess.run(
        ["pdfsig", "-nssdir", nss, str(path)], capture_output=True, text=True, timeout=60
    ).stdout


def pdfsig_accepts(path: Path, nss: str) -> bool:
    out = pdfsig(path, nss)
    return "Signature is Valid." in out and "Certificate is Trusted." in out


def one_byte_changed(data: bytes) -> bytes:
    """Change one byte inside the signed range (the page content, far from the signature value)."""
    reader = PdfFileReader(io.BytesIO(data))
    start, length, *_ = reader.embedded_signatures[0].byte_range
    position = start + length // 2
    tampered = bytearray(data)
    tampered[position] = (tampered[position] + 1) % 256
    return bytes(tampered)
