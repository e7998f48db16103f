"""The periodic report as DOCX in the layout of Decree 30/2020/NĐ-CP (Phụ lục I; vn-regulations §6),
and as PDF (LibreOffice converts the DOCX; WeasyPrint renders the same content when LibreOffice
is not installed).

Layout: A4 portrait, margins 20/20/30/15 mm; Times New Roman 14 pt; a borderless two-column header
(cơ quan chủ quản / cơ quan ban hành with Số: NN/BC-STP on the left, Quốc hiệu and Tiêu ngữ with
place and date on the right); BÁO CÁO and its trích yếu centred; sections I–V; citations as real
Word footnotes (python-docx has no footnote API, so the footnotes part is written here); Nơi nhận
and the signature block side by side; page numbers at the top centre from page 2.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import tempfile
from pathlib import Path
from xml.sax.saxutils import escape

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt

from motcua.core.clock import now

from .narrative import (
    STRUCTURE,
    default_paragraphs,
    figures_for_text,
    footnote_split,
    paragraph_render,
    paragraphs_complete,
)

FONT = "Times New Roman"
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
FALLBACK_PROFILE = {
    "parent_agency": "ỦY BAN NHÂN DÂN TỈNH",
    "agency": "SỞ TƯ PHÁP",
    "symbol": "BC-STP",
    "place": "",
    "addressee": "",
    "signer_authority": "",
    "signer_title": "GIÁM ĐỐC",
    "signer_name": "",
    "recipients": "Lưu: VT, VP.",
}


def profile_values(profile) -> dict:
    if profile is None:
        return dict(FALLBACK_PROFILE)
    return {key: getattr(profile, key) for key in FALLBACK_PROFILE}


def date_line(place: str, issued_on=None) -> str:
    """'Hà Tĩnh, ngày 05 tháng 02 năm 2026' (day < 10 and months 1–2 padded, Phụ lục I); before
    issue the day is left blank for the signer, as the seed draft shows."""
    place = f"{place}, " if place else ""
    if issued_on is None:
        today = now().date()
        return f"{place}ngày      tháng {_month(today.month)} năm {today.year}"
    return f"{place}ngày {issued_on.day:02d} tháng {_month(issued_on.month)} năm {issued_on.year}"


def _month(month: int) -> str:
    return f"{month:02d}" if month < 3 else str(month)


def number_line(issue, symbol: str) -> str:
    if issue is None:
        return f"Số:        /{symbol}"
    return f"Số: {issue.number:02d}/{issue.symbol}"


def report_content(scope, data: dict, *, paragraphs=None, issue=None, profile=None) -> dict:
    """What both renderers print: header values, title, blocks [(kind, pieces)], recipients."""
    from .services import profile_for

    if profile is None:
        profile = profile_for(scope)
    values = profile_values(profile)
    title = issue.draft.title if issue is not None else None
    if title is None:
        from .services import default_title

        title = default_title(scope)
    # An issued report prints the paragraphs it was issued with; a draft older than a paragraph of
    # the template gets that paragraph's default text.
    texts = (
        (paragraphs or default_paragraphs())
        if issue is not None
        else paragraphs_complete(paragraphs)
    )
    figures = figures_for_text(data)
    blocks = []
    for kind, key in STRUCTURE:
        if kind == "p":
            if key not in texts:
                continue
            blocks.append(("p", footnote_split(paragraph_render(texts[key], figures))))
        else:
            blocks.append((kind, [(key, None)]))
    return {
        **values,
        "number": number_line(issue, values["symbol"]),
        "date": date_line(values["place"], issue.issued_on if issue else None),
        "title": title,
        "blocks": blocks,
        "recipient_lines": [
            line.strip().rstrip(";.") for line in values["recipients"].splitlines() if line.strip()
        ],
    }


# --- DOCX -----------------------------------------------------------------------------------------


def report_docx(scope, data: dict, *, paragraphs=None, issue=None, profile=None) -> bytes:
    content = report_content(scope, data, paragraphs=paragraphs, issue=issue, profile=profile)
    document = Document()
    _page_setup(document)
    notes = _Footnotes(document)
    _header_block(document, content)
    _title(document, content["title"])
    if content["addressee"]:
        _paragraph(document, f"Kính gửi: {content['addressee']}.", align="center")
    for kind, pieces in content["blocks"]:
        if kind == "p":
            paragraph = _paragraph(document, "", indent=True)
            for text, note in pieces:
                _run(paragraph, text)
                if note:
                    notes.reference(paragraph, note)
        else:
            _paragraph(document, pieces[0][0], bold=True, italic=(kind == "h3"), indent=True)
    _closing_block(document, content)
    notes.write()
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _page_setup(document) -> None:
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    style = document.styles["Normal"]
    style.font.name = FONT
    style.font.size = Pt(14)
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    for attribute in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attribute), FONT)
    style.paragraph_format.space_after = Pt(6)
    style.paragraph_format.line_spacing = 1.15
    # Page numbers at the top centre, not on the first page (Phụ lục I).
    section.different_first_page_header_footer = True
    header = section.header.paragraphs[0]
    header.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _field(header, "PAGE")


def _field(paragraph, instruction: str) -> None:
    run = paragraph.add_run()
    for tag, text in (("w:fldChar", "begin"), ("w:instrText", instruction), ("w:fldChar", "end")):
        element = OxmlElement(tag)
        if tag == "w:fldChar":
            element.set(qn("w:fldCharType"), text)
        else:
            element.set(qn("xml:space"), "preserve")
            element.text = instruction
        run._r.append(element)


def _run(paragraph, text: str, *, bold=False, italic=False, size=None):
    run = paragraph.add_run(text)
    run.bold, run.italic = bold or None, italic or None
    if size:
        run.font.size = Pt(size)
    return run


def _paragraph(container, text, *, bold=False, italic=False, size=None, align="justify", indent=False,
               after=6):  # fmt: skip
    paragraph = container.add_paragraph()
    paragraph.alignment = {
        "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
        "center": WD_ALIGN_PARAGRAPH.CENTER,
        "left": WD_ALIGN_PARAGRAPH.LEFT,
    }[align]
    paragraph.paragraph_format.space_after = Pt(after)
    if indent:
        paragraph.paragraph_format.first_line_indent = Cm(1.27)
    if text:
        _run(paragraph, text, bold=bold, italic=italic, size=size)
    return paragraph


def _underline(paragraph, indent_cm: float) -> None:
    """A short solid line under a header line: the paragraph's bottom border, narrowed."""
    properties = paragraph._p.get_or_add_pPr()
    border = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "000000")):
        bottom.set(qn(key), value)
    border.append(bottom)
    properties.append(border)
    paragraph.paragraph_format.left_indent = Cm(indent_cm)
    paragraph.paragraph_format.right_indent = Cm(indent_cm)


def _borderless(table) -> None:
    properties = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    properties.append(borders)


def _cell(cell, lines, widths_cm):
    cell.width = Cm(widths_cm)
    first = True
    for text, options in lines:
        paragraph = cell.paragraphs[0] if first else cell.add_paragraph()
        first = False
        paragraph.alignment = options.get("align", WD_ALIGN_PARAGRAPH.CENTER)
        paragraph.paragraph_format.space_after = Pt(0)
        paragraph.paragraph_format.first_line_indent = None
        if text:
            _run(paragraph, text, bold=options.get("bold"), italic=options.get("italic"),
                 size=options.get("size", 13))  # fmt: skip
        if options.get("line"):
            rule = cell.add_paragraph()
            rule.paragraph_format.space_after = Pt(0)
            _run(rule, "", size=4)
            _underline(rule, options["line"])


def _widths(table, widths_cm) -> None:
    """Column widths LibreOffice honours: the grid and every cell."""
    for column, width in zip(table.columns, widths_cm, strict=True):
        column.width = Cm(width)
        for cell in column.cells:
            cell.width = Cm(width)


def _header_block(document, content) -> None:
    table = document.add_table(rows=1, cols=2)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    _borderless(table)
    left, right = table.rows[0].cells
    _cell(left, [
        (content["parent_agency"].upper(), {"size": 12}),
        (content["agency"].upper(), {"size": 13, "bold": True, "line": 1.8}),
        ("", {}),
        (content["number"], {"size": 13}),
    ], 6.8)  # fmt: skip
    _cell(right, [
        ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", {"size": 12, "bold": True}),
        ("Độc lập - Tự do - Hạnh phúc", {"size": 13, "bold": True, "line": 2.2}),
        ("", {}),
        (content["date"], {"size": 14, "italic": True}),
    ], 9.7)  # fmt: skip
    _widths(table, (6.8, 9.7))


def _title(document, title: str) -> None:
    _paragraph(document, "", after=0)
    _paragraph(document, "BÁO CÁO", bold=True, align="center", after=0)
    _paragraph(document, title, bold=True, align="center", after=0)
    rule = _paragraph(document, "", align="center", after=12, size=4)
    _underline(rule, 6.0)


def _closing_block(document, content) -> None:
    table = document.add_table(rows=1, cols=2)
    table.autofit = False
    _borderless(table)
    left, right = table.rows[0].cells
    lines = [("Nơi nhận:", {"size": 12, "bold": True, "italic": True,
                            "align": WD_ALIGN_PARAGRAPH.LEFT})]  # fmt: skip
    items = content["recipient_lines"]
    for index, item in enumerate(items):
        ending = "." if index == len(items) - 1 else ";"
        lines.append((f"- {item}{ending}", {"size": 11, "align": WD_ALIGN_PARAGRAPH.LEFT}))
    _cell(left, lines, 7.5)
    signature = []
    if content["signer_authority"]:
        signature.append((content["signer_authority"].upper(), {"size": 14, "bold": True}))
    signature += [(content["signer_title"].upper(), {"size": 14, "bold": True})]
    signature += [("", {})] * 4
    signature.append((content["signer_name"], {"size": 14, "bold": True}))
    _cell(right, signature, 8.5)
    _widths(table, (7.5, 8.5))


class _Footnotes:
    """Real Word footnotes: references in the text, the footnotes part written at the end."""

    def __init__(self, document):
        self.document = document
        self.notes: list[str] = []

    def reference(self, paragraph, text: str) -> None:
        self.notes.append(text)
        run = paragraph.add_run()
        properties = run._r.get_or_add_rPr()
        align = OxmlElement("w:vertAlign")
        align.set(qn("w:val"), "superscript")
        properties.append(align)
        reference = OxmlElement("w:footnoteReference")
        reference.set(qn("w:id"), str(len(self.notes)))
        run._r.append(reference)

    def write(self) -> None:
        if not self.notes:
            return
        font = (
            f'<w:rFonts w:ascii="{FONT}" w:hAnsi="{FONT}" w:cs="{FONT}" w:eastAsia="{FONT}"/>'
            '<w:sz w:val="24"/>'
        )
        parts = [
            f'<w:footnotes xmlns:w="{W_NS}">',
            '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p>'
            "</w:footnote>",
            '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r>'
            "<w:continuationSeparator/></w:r></w:p></w:footnote>",
        ]
        for number, text in enumerate(self.notes, start=1):
            parts.append(
                f'<w:footnote w:id="{number}"><w:p><w:pPr><w:jc w:val="both"/></w:pPr>'
                f'<w:r><w:rPr>{font}<w:vertAlign w:val="superscript"/></w:rPr><w:footnoteRef/></w:r>'
                f'<w:r><w:rPr>{font}</w:rPr><w:t xml:space="preserve"> {escape(text)}</w:t></w:r>'
                "</w:p></w:footnote>"
            )
        parts.append("</w:footnotes>")
        part = Part(
            PackURI("/word/footnotes.xml"),
            CT.WML_FOOTNOTES,
            "".join(parts).encode("utf-8"),
            self.document.part.package,
        )
        self.document.part.relate_to(part, RT.FOOTNOTES)


# --- PDF ------------------------------------------------------------------------------------------

CONVERT_TIMEOUT = 120


def docx_to_pdf(document: bytes, data: dict, *, scope=None, **kwargs) -> bytes:
    """LibreOffice (headless, a private profile so concurrent conversions do not collide) converts
    the DOCX; without LibreOffice, WeasyPrint renders the same content from HTML."""
    office = shutil.which("soffice") or shutil.which("libreoffice")
    if office is None:
        return html_pdf(scope, data, **kwargs)
    with tempfile.TemporaryDirectory(prefix="motcua-report-") as folder:
        source = Path(folder) / "bao-cao.docx"
        source.write_bytes(document)
        profile = Path(folder) / "profile"
        subprocess.run(
            [office, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to",
             "pdf", "--outdir", folder, str(source)],
            check=True, capture_output=True, timeout=CONVERT_TIMEOUT,
        )  # fmt: skip
        return (Path(folder) / "bao-cao.pdf").read_bytes()


def html_pdf(scope, data: dict, **kwargs) -> bytes:
    from motcua.core.pdf import render_pdf

    content = report_content(scope, data, **kwargs)
    notes: list[str] = []
    blocks = []
    for kind, pieces in content["blocks"]:
        rendered = []
        for text, note in pieces:
            rendered.append((text, None))
            if note:
                notes.append(note)
                rendered.append(("", len(notes)))
        blocks.append((kind, rendered))
    return render_pdf("indicators/report_pdf.html", {**content, "blocks": blocks, "notes": notes})
