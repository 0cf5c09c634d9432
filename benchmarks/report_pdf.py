"""A due-diligence report on the largest vendor of the large atlas, as PDF.

    python benchmarks/report_pdf.py [--deployments 100000] [--merges 10000] [--repeat 3]
                                    [--workdir DIR]

Uses the atlas atlas_load.py generates (the same file, once per work folder). Finds the
vendor with the most deployments, then --repeat times: gathers its report (the data),
lays it out as HTML, and as PDF through WeasyPrint, all from one snapshot; reports the
medians, the PDF's pages and size, and whether the PDF took under 30 s (the goal). The
HTML time, measured in the same run, is the baseline: the PDF's cost beyond it is
WeasyPrint's layout.
"""

from __future__ import annotations

import io
import json
import statistics
import sys
import time
from pathlib import Path

from pypdf import PdfReader
from sqlalchemy import func, select

sys.path.insert(0, str(Path(__file__).resolve().parent))

from atlas_data import atlas_arguments, atlas_file

from custodiet.analyze.dossier import dossier
from custodiet.render.report import html, pdf
from custodiet.store import SqlStore, tables

GOAL_SECONDS = 30


def largest_vendor(store: SqlStore) -> tuple[str, int]:
    rv = tables.record_values
    n = func.count().label("n")
    query = (
        select(rv.c.value, n)
        .where(rv.c.schema == "Deployment", rv.c.prop == "vendor")
        .group_by(rv.c.value)
        .order_by(n.desc(), rv.c.value)
        .limit(1)
    )
    with store.engine.connect() as conn:
        vendor, count = conn.execute(query).one()
    return str(vendor), int(count)


def main() -> None:
    ap = atlas_arguments(__doc__.split("\n\n")[0], repeat=3)
    args = ap.parse_args()
    path = atlas_file(args.workdir, args.deployments, args.merges, "custodiet-report-")
    work = path.parent
    store = SqlStore(f"sqlite:///{path}")
    vendor, count = largest_vendor(store)
    timings: dict[str, list[float]] = {"data_s": [], "html_s": [], "pdf_s": []}
    document = b""
    for i in range(args.repeat):
        print(f"round {i + 1}/{args.repeat}: {vendor} ({count} deployments) …", file=sys.stderr)
        with store.view() as view:
            began = time.perf_counter()
            report = dossier(view, "vendor", vendor)
            timings["data_s"].append(time.perf_counter() - began)
            began = time.perf_counter()
            html(view, report)
            timings["html_s"].append(time.perf_counter() - began)
            began = time.perf_counter()
            document = pdf(view, report)
            timings["pdf_s"].append(time.perf_counter() - began)
    out = work / "largest-vendor.pdf"
    out.write_bytes(document)
    medians = {k: round(statistics.median(v), 2) for k, v in timings.items()}
    print(
        json.dumps(
            {
                "vendor": vendor,
                "deployments": count,
                "notes": len(report.notes),
                "pdf_bytes": len(document),
                "pdf_pages": len(PdfReader(io.BytesIO(document)).pages),
                "rounds": args.repeat,
            }
            | medians
            | {
                "pdf_over_html": round(medians["pdf_s"] / max(medians["html_s"], 1e-9), 1),
                "goal_s": GOAL_SECONDS,
                "met": medians["data_s"] + medians["pdf_s"] < GOAL_SECONDS,
                "written": str(out),
            }
        )
    )


if __name__ == "__main__":
    main()
