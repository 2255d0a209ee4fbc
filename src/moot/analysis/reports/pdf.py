"""The summary of responses as a PDF: the same text as its page, whoever wrote it.

The Markdown is rendered and sanitised exactly as for the page, then each block (headings,
paragraphs, lists, tables, quotes) becomes a reportlab flowable. Text uses Bitstream Vera,
which ships with reportlab, so curly quotes and dashes print on any server.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape as xml_escape

import lxml.html
import reportlab
from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import (
    HRFlowable,
    ListFlowable,
    ListItem,
    Paragraph,
    Preformatted,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from moot.core.markdown import render_markdown

FONT = "MootVera"
INK = colors.HexColor("#0b0c0c")
RULE = colors.HexColor("#b1b4b6")
ACCENT = colors.HexColor("#106165")


def _register_fonts() -> None:
    if FONT in pdfmetrics.getRegisteredFontNames():
        return
    folder = Path(reportlab.__file__).parent / "fonts"
    for name, filename in (
        (FONT, "Vera.ttf"),
        (f"{FONT}-Bold", "VeraBd.ttf"),
        (f"{FONT}-Italic", "VeraIt.ttf"),
        (f"{FONT}-BoldItalic", "VeraBI.ttf"),
    ):
        pdfmetrics.registerFont(TTFont(name, str(folder / filename)))
    pdfmetrics.registerFontFamily(
        FONT,
        normal=FONT,
        bold=f"{FONT}-Bold",
        italic=f"{FONT}-Italic",
        boldItalic=f"{FONT}-BoldItalic",
    )


def _styles() -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("body", fontName=FONT, fontSize=10, leading=14, textColor=INK)
    return {
        "body": base,
        "title": ParagraphStyle(
            "title", parent=base, fontName=f"{FONT}-Bold", fontSize=20, leading=25, spaceAfter=6
        ),
        "caption": ParagraphStyle(
            "caption", parent=base, textColor=colors.HexColor("#505a5f"), spaceAfter=12
        ),
        "h2": ParagraphStyle(
            "h2",
            parent=base,
            fontName=f"{FONT}-Bold",
            fontSize=15,
            leading=19,
            spaceBefore=14,
            spaceAfter=6,
        ),
        "h3": ParagraphStyle(
            "h3",
            parent=base,
            fontName=f"{FONT}-Bold",
            fontSize=12,
            leading=16,
            spaceBefore=10,
            spaceAfter=4,
        ),
        "h4": ParagraphStyle(
            "h4",
            parent=base,
            fontName=f"{FONT}-Bold",
            fontSize=10,
            leading=14,
            spaceBefore=8,
            spaceAfter=2,
        ),
        "p": ParagraphStyle("p", parent=base, spaceAfter=6, alignment=TA_LEFT),
        "cell": ParagraphStyle("cell", parent=base, fontSize=9, leading=12),
        "head": ParagraphStyle(
            "head", parent=base, fontName=f"{FONT}-Bold", fontSize=9, leading=12
        ),
        "quote": ParagraphStyle("quote", parent=base, leftIndent=12, spaceAfter=2, textColor=INK),
        "code": ParagraphStyle("code", parent=base, fontName="Courier", fontSize=8, leading=10),
    }


def _inline(element: Any) -> str:
    """An element's content as reportlab paragraph markup (bold, italic, code, links)."""
    parts = [xml_escape(element.text or "")]
    for child in element:
        inner = _inline(child)
        tag = child.tag
        if tag in ("strong", "b"):
            parts.append(f"<b>{inner}</b>")
        elif tag in ("em", "i"):
            parts.append(f"<i>{inner}</i>")
        elif tag == "code":
            parts.append(f'<font face="Courier">{inner}</font>')
        elif tag == "a" and child.get("href", "").startswith(("http://", "https://", "mailto:")):
            href = xml_escape(child.get("href"), {'"': "&quot;"})
            parts.append(f'<link href="{href}" color="#1d70b8"><u>{inner}</u></link>')
        elif tag == "br":
            parts.append("<br/>")
        else:
            parts.append(inner)
        parts.append(xml_escape(child.tail or ""))
    return "".join(parts)


class _Builder:
    def __init__(self, width: float) -> None:
        self.styles = _styles()
        self.width = width

    def blocks(self, parent: Any) -> list[Any]:
        flowables: list[Any] = []
        if (parent.text or "").strip():
            flowables.append(Paragraph(xml_escape(parent.text.strip()), self.styles["p"]))
        for element in parent:
            flowables.extend(self.block(element))
            if (element.tail or "").strip():
                flowables.append(Paragraph(xml_escape(element.tail.strip()), self.styles["p"]))
        return flowables

    def block(self, element: Any) -> list[Any]:
        tag = element.tag
        if tag in ("h2", "h3", "h4"):
            return [Paragraph(_inline(element), self.styles[tag])]
        if tag == "p":
            return [Paragraph(_inline(element), self.styles["p"])]
        if tag in ("ul", "ol"):
            items = [
                ListItem(self.blocks(li) or [Paragraph("", self.styles["p"])]) for li in element
            ]
            kind = "bullet" if tag == "ul" else "1"
            return [ListFlowable(items, bulletType=kind, leftIndent=14, bulletFontName=FONT)]
        if tag == "table":
            return [self.table(element), Spacer(1, 8)]
        if tag == "blockquote":
            inner = [Paragraph(_inline(p), self.styles["quote"]) for p in element if p.tag == "p"]
            box = Table([[inner]], colWidths=[self.width])
            box.setStyle(
                TableStyle(
                    [
                        ("LINEBEFORE", (0, 0), (0, 0), 3, RULE),
                        ("LEFTPADDING", (0, 0), (-1, -1), 8),
                        ("TOPPADDING", (0, 0), (-1, -1), 2),
                        ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
                    ]
                )
            )
            return [box, Spacer(1, 6)]
        if tag == "hr":
            return [HRFlowable(width="100%", color=RULE, spaceBefore=6, spaceAfter=6)]
        if tag == "pre":
            return [Preformatted(element.text_content(), self.styles["code"])]
        return self.blocks(element)

    def table(self, element: Any) -> Table:
        rows = []
        for row in element.iter("tr"):
            cells = []
            for cell in row:
                style = self.styles["head"] if cell.tag == "th" else self.styles["cell"]
                cells.append(Paragraph(_inline(cell), style))
            rows.append(cells)
        columns = max((len(r) for r in rows), default=1)
        rows = [r + [""] * (columns - len(r)) for r in rows]
        first = self.width * (0.4 if columns > 2 else 0.6)
        rest = (self.width - first) / max(columns - 1, 1)
        table = Table(rows, colWidths=[first] + [rest] * (columns - 1), repeatRows=1)
        table.setStyle(
            TableStyle(
                [
                    ("LINEBELOW", (0, 0), (-1, -1), 0.5, RULE),
                    ("LINEBELOW", (0, 0), (-1, 0), 1, INK),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LEFTPADDING", (0, 0), (-1, -1), 3),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 3),
                ]
            )
        )
        return table


def summary_pdf(*, title: str, consultation_title: str, byline: str, body: str) -> bytes:
    """The summary's Markdown ``body`` as a PDF, headed by its title and who published it."""
    _register_fonts()
    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=20 * mm,
        rightMargin=20 * mm,
        topMargin=18 * mm,
        bottomMargin=18 * mm,
        title=f"{title}: {consultation_title}",
        author=byline,
        subject=consultation_title,
        creator="moot",
    )
    builder = _Builder(document.width)
    html = render_markdown(body, govuk_classes=False)
    tree = lxml.html.fragment_fromstring(str(html) or "<p></p>", create_parent="div")
    story = [
        Paragraph(xml_escape(consultation_title), builder.styles["caption"]),
        Paragraph(xml_escape(title), builder.styles["title"]),
        Paragraph(xml_escape(byline), builder.styles["caption"]),
        HRFlowable(width="100%", color=ACCENT, thickness=2, spaceAfter=8),
        *builder.blocks(tree),
    ]

    def footer(canvas: Any, doc: Any) -> None:
        canvas.saveState()
        canvas.setFont(FONT, 8)
        canvas.setFillColor(INK)
        canvas.drawString(20 * mm, 10 * mm, f"{title}: {consultation_title}"[:110])
        canvas.drawRightString(A4[0] - 20 * mm, 10 * mm, f"Page {doc.page}")
        canvas.restoreState()

    document.build(story, onFirstPage=footer, onLaterPages=footer)
    return buffer.getvalue()
