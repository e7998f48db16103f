"""Machine-readable symbols printed on forms: a QR code and a Code 128 barcode of a dossier code.

Both are returned as `data:` URIs of SVG so that a PDF template embeds them with no file on disk.
"""

import base64
import io

from motcua.core.lazy import lazy_module

# Loaded on first use (core/lazy.py): a worker that never prints a receipt never holds them.
segno = lazy_module("segno")
barcode = lazy_module("barcode")


def _data_uri(svg: bytes) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg).decode()


def qr_svg_data_uri(text: str, *, scale: int = 4) -> str:
    """A QR code (error correction M, enough for a crumpled paper receipt)."""
    out = io.BytesIO()
    segno.make(text, error="m", micro=False).save(out, kind="svg", scale=scale, border=2)
    return _data_uri(out.getvalue())


def code128_svg_data_uri(text: str) -> str:
    """A Code 128 barcode for the desk's hand scanner (the human-readable code is printed beside it)."""
    out = io.BytesIO()
    from barcode.writer import SVGWriter

    barcode.get("code128", text, writer=SVGWriter()).write(
        out, options={"write_text": False, "module_height": 8.0, "quiet_zone": 2.0}
    )
    return _data_uri(out.getvalue())
