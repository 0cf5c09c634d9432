"""Charts drawn with matplotlib (its object API, no global state: safe in the web
server's threads) as SVG or PNG, and their data as CSV."""

from __future__ import annotations

import csv
import io
from typing import Literal

from custodiet.analyze.charts import Chart

Format = Literal["svg", "png", "csv"]
MEDIA = {"svg": "image/svg+xml", "png": "image/png", "csv": "text/csv"}
# Colour-blind-safe (Okabe and Ito), then greys for "others".
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442",
           "#000000", "#999999", "#666666", "#BBBBBB", "#444444", "#DDDDDD"]  # fmt: skip


def render(chart: Chart, fmt: Format) -> bytes:
    """The chart as an SVG or PNG image, or its data as CSV."""
    if fmt == "csv":
        return _csv(chart)
    return _draw(chart, fmt)


def _csv(chart: Chart) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(chart.columns())
    for label, values in chart.rows:
        writer.writerow([label, *(int(v) if float(v).is_integer() else v for v in values)])
    return buffer.getvalue().encode()


def _draw(chart: Chart, fmt: Literal["svg", "png"]) -> bytes:
    # Imported here: matplotlib costs a third of a second that only charts should pay.
    import matplotlib
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    matplotlib.rcParams["svg.hashsalt"] = "custodiet"  # the same data, the same file

    height = max(3.2, 0.35 * len(chart.rows) + 1.6) if chart.horizontal else 4.2
    figure = Figure(figsize=(8, height), dpi=100, layout="constrained")
    FigureCanvasAgg(figure)
    ax = figure.add_subplot()
    labels = [label for label, _v in chart.rows]
    base = [0.0] * len(chart.rows)
    bar = ax.barh if chart.horizontal else ax.bar
    for i, name in enumerate(chart.series):
        values = [row[i] for _label, row in chart.rows]
        colour = PALETTE[i % len(PALETTE)] if name != "others" else "#BBBBBB"
        if chart.horizontal:
            bar(labels, values, left=base, label=name, color=colour)
        else:
            bar(labels, values, bottom=base, label=name, color=colour)
        base = [b + v for b, v in zip(base, values, strict=True)] if chart.stacked else base
    ax.set_title(chart.title, fontsize=11, loc="left")
    (ax.set_xlabel if chart.horizontal else ax.set_ylabel)(chart.unit)
    if chart.unit == "deployments":  # counts: whole numbers on the axis
        (ax.xaxis if chart.horizontal else ax.yaxis).set_major_locator(MaxNLocator(integer=True))
    if chart.horizontal:
        ax.invert_yaxis()
    else:
        ax.tick_params(axis="x", labelrotation=45 if len(labels) > 12 else 0)
    if len(chart.series) > 1:
        ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False)
    ax.spines[["top", "right"]].set_visible(False)
    if not chart.rows:
        ax.text(
            0.5, 0.5, "no documented deployments", ha="center", va="center", transform=ax.transAxes
        )
    out = io.BytesIO()
    meta = {"Date": None} if fmt == "svg" else {}
    figure.savefig(out, format=fmt, metadata=meta)
    return out.getvalue()
