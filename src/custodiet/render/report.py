"""Due-diligence reports laid out as one self-contained HTML document (styles inline,
charts as inline SVG images) or, through WeasyPrint, as PDF. The fonts named cover the
registry's native-script names: Chinese (WenQuanYi Zen Hei, Noto Sans CJK), Cyrillic
and Arabic (DejaVu Sans); fontconfig falls back to any installed font that has a glyph."""

from __future__ import annotations

import base64
from datetime import UTC, datetime
from importlib import resources
from typing import Literal

from jinja2 import Environment, FileSystemLoader, select_autoescape

from custodiet import __version__
from custodiet.analyze import charts
from custodiet.analyze.dossier import Dossier
from custodiet.analyze.wording import money, technology
from custodiet.render.charts import render as draw
from custodiet.store.view import View

Format = Literal["html", "pdf"]
HERE = resources.files(__package__)
STYLE = HERE.joinpath("templates", "report.css")


def environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(HERE.joinpath("templates"))),
        autoescape=select_autoescape(["html"]),
    )
    env.filters["money"] = money
    env.filters["technology"] = technology
    return env


def chart_images(view: View, report: Dossier) -> dict[str, str]:
    """Each chart of the report as an SVG data address, for an <img> (no script, no
    inline style: the web's Content-Security-Policy allows it, and WeasyPrint reads it)."""
    out = {}
    for name, chosen in report.charts.items():
        svg = draw(charts.CHARTS[name](view, chosen), "svg")
        out[name] = "data:image/svg+xml;base64," + base64.b64encode(svg).decode()
    return out


def html(
    view: View,
    report: Dossier,
    *,
    stylesheet: str | None = None,
    site: str = "",
    stamp: str = "%Y-%m-%d %H:%M UTC",
) -> str:
    """The report as HTML: its styles inline, or linked from `stylesheet` (the web serves
    it so, under a policy that refuses inline styles). `site` prefixes its links; `stamp`
    is how the time it was made is written (a published copy gives the day only, so that
    a report rewritten later the same day is the same file)."""
    template = environment().get_template("report.html")
    return template.render(
        r=report,
        charts=chart_images(view, report),
        css=None if stylesheet else STYLE.read_text(encoding="utf-8"),
        stylesheet=stylesheet,
        site=site,
        version=__version__,
        generated=datetime.now(UTC).strftime(stamp),
    )


def pdf(view: View, report: Dossier, site: str = "") -> bytes:
    """The report as PDF, laid out by WeasyPrint from the self-contained HTML."""
    from weasyprint import HTML  # imported here: it costs a second that only PDFs pay

    document = HTML(string=html(view, report, site=site), base_url=None)
    return bytes(document.write_pdf())


def render(view: View, report: Dossier, fmt: Format, *, site: str = "") -> bytes:
    if fmt == "pdf":
        return pdf(view, report, site)
    return html(view, report, site=site).encode()
