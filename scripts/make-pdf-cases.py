#!/usr/bin/python3
"""Makes the office-made PDF test cases of tests/data/reports/ from the seed
renderings, the way an agency makes its PDF: the report text and tables laid
out by LibreOffice Writer and exported as PDF.

Dev-time only (CI reads the committed PDFs). Needs Debian's
libreoffice-writer-nogui, python3-uno and fonts-noto-cjk / fonts-wqy-zenhei:

    apt-get install --no-install-recommends libreoffice-writer-nogui python3-uno \
        fonts-noto-cjk fonts-wqy-zenhei
    /usr/bin/python3 scripts/make-pdf-cases.py

For each variant below: the report body (the page's content <div>) and its
title are cut out of the HTML case, every inline style is dropped so the
variant's font applies, the result is opened in Writer (HTML (StarWriter)
filter), the page size, margins, fonts, header-row repetition and vertical
cell alignment are set, and the document is exported as PDF. The expected
record is the HTML case's, with source "pdf" and no published date (a PDF
prints none); the title is the one the PDF's document properties carry. See tests/data/PROVENANCE.md.
"""
import html.parser
import json
import os
import re
import subprocess
import sys
import tempfile
import time

import uno
from com.sun.star.beans import PropertyValue

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
REPORTS = os.path.join(ROOT, "tests", "data", "reports")

# name, source case, page (w, h mm), margins mm, font, pt, repeat header rows, cell alignment
VARIANTS = [
    ("000-lo-a4", "000-chongqing", (210, 297), 25, "Noto Serif CJK SC", 12, True, "center"),
    ("001-lo-16k", "001-kaipu", (185, 260), 15, "Noto Sans CJK SC", 10.5, False, "center"),
    ("002-lo-16k", "002-hebei", (185, 260), 10, "WenQuanYi Zen Hei", 11, True, "center"),
    ("002-lo-b5-top", "002-hebei", (176, 250), 18, "Noto Serif CJK SC", 14, False, "top"),
    ("003-lo-letter", "003-kaipu", (216, 279), 20, "Noto Sans CJK SC", 12, True, "top"),
    ("003-lo-16k", "003-kaipu", (185, 260), 12, "Noto Serif CJK SC", 12, True, "center"),
    ("004-lo-a4", "004-wanzai", (210, 297), 25, "WenQuanYi Zen Hei", 12, False, "center"),
    ("004-lo-16k", "004-wanzai", (185, 260), 12, "Noto Sans CJK SC", 10.5, True, "top"),
]

CONTENT_IDS = ("zoomcon", "zoom", "fontzoom")


class Cut(html.parser.HTMLParser):
    """Collects the title (the first <h1> that names a 报告) and the content <div>'s
    inner HTML, with style/class/width/font attributes dropped."""

    VOID = {"br", "img", "hr", "meta", "link", "input", "col"}

    def __init__(self):
        super().__init__(convert_charrefs=False)
        self.title, self.in_title = "", False
        self.depth = 0  # >0 inside the content div
        self.body = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "h1" and "报告" not in self.title:
            self.title, self.in_title = "", True
        if self.depth == 0 and tag == "div" and a.get("id") in CONTENT_IDS:
            self.depth = 1
            return
        if self.depth > 0:
            if tag not in self.VOID:
                self.depth += 1
            if tag in ("span", "font", "ucapcontent", "o:p", "b", "strong"):
                return
            keep = [(k, v) for k, v in attrs if k in ("rowspan", "colspan")]
            if tag == "table":  # ruled, as every office-made report table is
                keep += [("border", "1"), ("cellspacing", "0"), ("cellpadding", "3"), ("width", "100%")]
            self.body.append("<%s%s>" % (tag, "".join(' %s="%s"' % (k, v) for k, v in keep)))

    def handle_endtag(self, tag):
        if tag == "h1":
            self.in_title = False
        if self.depth > 0:
            if tag not in self.VOID:
                self.depth -= 1
            if self.depth == 0:
                return
            if tag in ("span", "font", "ucapcontent", "o:p", "b", "strong"):
                return
            if tag not in self.VOID:
                self.body.append("</%s>" % tag)

    def handle_data(self, data):
        if self.in_title:
            self.title += data
        if self.depth > 0:
            self.body.append(data)

    def handle_entityref(self, name):
        if self.depth > 0:
            self.body.append("&%s;" % name)

    def handle_charref(self, name):
        if self.depth > 0:
            self.body.append("&#%s;" % name)


def prop(name, value):
    p = PropertyValue()
    p.Name, p.Value = name, value
    return p


def connect():
    pipe = "nianbao_pdf_%d" % os.getpid()
    profile = tempfile.mkdtemp(prefix="lo-profile-")
    office = subprocess.Popen(
        ["soffice", "--headless", "--invisible", "--nologo", "--norestore",
         "-env:UserInstallation=file://" + profile, "--accept=pipe,name=%s;urp;" % pipe],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
    for _ in range(100):
        try:
            ctx = resolver.resolve("uno:pipe,name=%s;urp;StarOffice.ComponentContext" % pipe)
            desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
            return office, desktop
        except Exception:
            time.sleep(0.2)
    office.kill()
    sys.exit("soffice did not answer on its pipe")


def make(desktop, name, source, page, margin, font, pt, repeat, align):
    cut = Cut()
    with open(os.path.join(REPORTS, source + ".html"), encoding="utf-8") as f:
        cut.feed(f.read())
    title = re.sub(r"\s+", " ", cut.title).strip()
    body = "".join(cut.body)
    assert title and "<table" in body, source
    doc_html = ("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>%s</title></head>"
                "<body><h1>%s</h1>%s</body></html>") % (title, title, body)
    with tempfile.NamedTemporaryFile("w", suffix=".html", delete=False, encoding="utf-8") as tmp:
        tmp.write(doc_html)
    doc = desktop.loadComponentFromURL(uno.systemPathToFileUrl(tmp.name), "_blank", 0,
                                       (prop("Hidden", True), prop("FilterName", "HTML (StarWriter)")))
    try:
        styles = doc.StyleFamilies
        pages = styles.getByName("PageStyles")
        for i in range(pages.Count):
            s = pages.getByIndex(i)
            s.Width, s.Height = page[0] * 100, page[1] * 100
            s.LeftMargin = s.RightMargin = s.TopMargin = s.BottomMargin = margin * 100
        paras = styles.getByName("ParagraphStyles")
        for i in range(paras.Count):
            s = paras.getByIndex(i)
            for key in ("CharFontName", "CharFontNameAsian"):
                s.setPropertyValue(key, font)
            scale = 1.4 if s.Name.startswith("Heading") else 1.0
            for key in ("CharHeight", "CharHeightAsian"):
                s.setPropertyValue(key, pt * scale)
        from com.sun.star.text.VertOrientation import TOP, CENTER
        tables = doc.TextTables
        for i in range(tables.Count):
            t = tables.getByIndex(i)
            t.RepeatHeadline = repeat
            t.HeaderRowCount = 3 if repeat else 0
            for cell_name in t.CellNames:
                t.getCellByName(cell_name).VertOrient = TOP if align == "top" else CENTER
        # The HTML title goes into the PDF's document title, as Word and WPS do.
        doc.DocumentProperties.Title = title
        out = os.path.join(REPORTS, name + ".pdf")
        doc.storeToURL(uno.systemPathToFileUrl(out), (prop("FilterName", "writer_pdf_Export"),))
    finally:
        doc.close(True)
        os.unlink(tmp.name)
    with open(os.path.join(REPORTS, source + ".expected.json"), encoding="utf-8") as f:
        expected = json.load(f)
    expected["source"] = "pdf"
    expected["published"] = None
    expected["title"] = title
    with open(os.path.join(REPORTS, name + ".expected.json"), "w", encoding="utf-8") as f:
        json.dump(expected, f, ensure_ascii=False, indent=1)
        f.write("\n")
    return os.path.getsize(out)


def main():
    office, desktop = connect()
    try:
        wanted = set(sys.argv[1:])
        for v in VARIANTS:
            if wanted and v[0] not in wanted:
                continue
            size = make(desktop, *v)
            print("%s.pdf  %d bytes  (from %s.html; %dx%d mm, %s %gpt, header rows %s, cells %s)"
                  % (v[0], size, v[1], v[2][0], v[2][1], v[4], v[5], "repeated" if v[6] else "once", v[7]))
    finally:
        try:
            desktop.terminate()
        except Exception:
            pass
        office.wait(timeout=30)


if __name__ == "__main__":
    main()
