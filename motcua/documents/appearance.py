"""What a signature looks like on the page (Decree 30/2020, Appendix I) and where it goes.

The visible signature is one image: the organisation's seal in red over the left third of the
signer's signature in blue, then "Ký bởi", "Chức vụ", "Cơ quan" and the signing time with its
offset. The seal is the organisation's own image (a PNG with transparency, uploaded in the back
office) or, when none was given, a drawn stand-in naming the organisation.

Where it goes: in a result rendered from a template, at the empty block #chu-ky-so between the
signer's title and name, found in WeasyPrint's layout (so a long body moves it, and it moves with
it). In an uploaded draft or a report, at the bottom right of the last page.
"""

import io
import math
from datetime import datetime

from django.conf import settings

MM = 72 / 25.4  # PDF points per millimetre
PX = 0.75  # PDF points per CSS pixel
STAMP_PIXELS = (945, 413)  # 80 × 35 mm at 300 dpi
FONT = "/usr/share/fonts/truetype/croscore/Tinos-Regular.ttf"
FONT_BOLD = "/usr/share/fonts/truetype/croscore/Tinos-Bold.ttf"
SIGNATURE_BLOCK_ID = "chu-ky-so"
# An uploaded draft or a report: 80 × 35 mm at the bottom right of the last page, 25 mm up.
LAST_PAGE_BOX_MM = (80, 35, 20, 25)  # width, height, right margin, bottom margin


def _star(cx: float, cy: float, outer: float, inner: float) -> list[tuple[float, float]]:
    """The five-pointed star of a state seal, as polygon points."""
    points = []
    for i in range(10):
        radius = outer if i % 2 == 0 else inner
        angle = math.pi / 2 + i * math.pi / 5
        points.append((cx + radius * math.cos(angle), cy - radius * math.sin(angle)))
    return points


def _drawn_seal(organisation: str):
    """A round red seal naming the organisation: a stand-in until its real image is uploaded."""
    from PIL import Image, ImageDraw, ImageFont

    seal = Image.new("RGBA", (260, 260), (255, 255, 255, 0))
    draw = ImageDraw.Draw(seal)
    red = (200, 16, 46, 235)
    draw.ellipse((10, 10, 250, 250), outline=red, width=9)
    draw.ellipse((38, 38, 222, 222), outline=red, width=3)
    draw.polygon(_star(130, 130, 42, 17), fill=red)
    name, _, place = organisation.upper().partition(" TỈNH ")
    small = ImageFont.truetype(FONT_BOLD, 20 if len(name) < 18 else 15)
    draw.text((130, 76), name[:28], font=small, fill=red, anchor="mm")
    draw.text(
        (130, 188), (place or settings.MOTCUA_PROVINCE_NAME.upper())[:20], font=small, fill=red,
        anchor="mm",
    )  # fmt: skip
    return seal


def signature_image(
    *,
    signer: str,
    title: str,
    organisation: str,
    at: datetime,
    seal_png: bytes | None = None,
) -> bytes:
    """The visible signature as a transparent PNG of STAMP_PIXELS."""
    from PIL import Image, ImageDraw, ImageFont

    width, height = STAMP_PIXELS
    image = Image.new("RGBA", (width, height), (255, 255, 255, 0))
    draw = ImageDraw.Draw(image)
    blue = (20, 50, 160, 255)
    # The signature first, so the seal lies over its left third (Decree 30: "trùm lên 1/3").
    strokes = [(170, 150), (230, 70), (260, 170), (320, 60), (350, 165), (420, 90), (520, 130)]
    draw.line(strokes + [(640, 100)], fill=blue, width=7, joint="curve")
    seal = (
        Image.open(io.BytesIO(seal_png)).convert("RGBA") if seal_png else _drawn_seal(organisation)
    )
    seal.thumbnail((230, 230))
    image.alpha_composite(seal, (20, 10))
    font = ImageFont.truetype(FONT, 33)
    lines = [
        f"Ký bởi: {signer}",
        f"Chức vụ: {title}" if title else "",
        f"Cơ quan: {organisation}",
        f"Thời gian ký: {at:%H:%M:%S %d/%m/%Y} (GMT+7)",
    ]
    y = 245
    for line in [line for line in lines if line]:
        draw.text((20, y), line[:60], font=font, fill=blue)
        y += 41
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def render_with_signature_block(html: str) -> tuple[bytes, tuple[float, float, float, float], int]:
    """The HTML rendered to PDF, and the box (PDF points) and page of its #chu-ky-so block."""
    from weasyprint import HTML

    document = HTML(string=html, base_url=str(settings.BASE_DIR)).render()
    for index, page in enumerate(document.pages):
        box = _find_block(page._page_box)
        if box is not None:
            x, y = box.border_box_x(), box.border_box_y()
            w, h = box.border_width(), box.border_height()
            page_height = page.height
            pdf_box = (x * PX, (page_height - y - h) * PX, (x + w) * PX, (page_height - y) * PX)
            return document.write_pdf(), pdf_box, index
    raise ValueError("the template has no #chu-ky-so block")


def _find_block(box):
    element = getattr(box, "element", None)
    if element is not None and element.get("id") == SIGNATURE_BLOCK_ID:
        return box
    for child in getattr(box, "children", ()):
        found = _find_block(child)
        if found is not None:
            return found
    return None


def last_page_box(data: bytes) -> tuple[tuple[float, float, float, float], int]:
    """The signature's place on a PDF we did not lay out: bottom right of the last page."""
    import pikepdf

    width, height, right, bottom = LAST_PAGE_BOX_MM
    with pikepdf.open(io.BytesIO(data)) as pdf:
        index = len(pdf.pages) - 1
        left_x, low_y, right_x, _top = (float(v) for v in pdf.pages[index].mediabox)
    x1 = right_x - right * MM
    y0 = low_y + bottom * MM
    return (x1 - width * MM, y0, x1, y0 + height * MM), index


def verification_overlay(data: bytes, *, qr_data_uri: str, caption: str) -> bytes:
    """An uploaded draft with the verification QR and caption drawn at the bottom left of its last
    page (before review, so the reviewed and the signed bytes carry it)."""
    import pikepdf
    from weasyprint import HTML

    stamp_html = (
        "<html><head><style>@page{size:A4;margin:0}"
        " div{position:absolute;left:12mm;bottom:6mm;width:120mm;font:7pt Tinos,serif}"
        " img{width:18mm;height:18mm;vertical-align:middle}</style></head><body>"
        f"<div><img src='{qr_data_uri}'> {caption}</div></body></html>"
    )
    stamp = HTML(string=stamp_html).write_pdf()
    out = io.BytesIO()
    with pikepdf.open(io.BytesIO(data)) as pdf, pikepdf.open(io.BytesIO(stamp)) as overlay:
        last = pdf.pages[-1]
        last.add_overlay(overlay.pages[0], pikepdf.Rectangle(*(float(v) for v in last.mediabox)))
        pdf.save(out, deterministic_id=True)
    return out.getvalue()
