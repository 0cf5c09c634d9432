"""Build the starter regime table from the Our World in Data / V-Dem CSV.

Usage: python scripts/make_regimes.py regimes-of-the-world-owid-2000-2022.csv OUT.csv

Keeps each country's latest year. Source: Our World in Data based on V-Dem
(Regimes of the World, Lührmann et al. 2018), CC BY 4.0.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

import pycountry

# OWID's own codes for places without an ISO alpha-3 code.
OWID_CODES = {"OWID_KOS": "XK"}


def main(src: str, out: str) -> None:
    latest: dict[str, dict[str, str]] = {}
    with Path(src).open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            code = OWID_CODES.get(row["iso3"])
            if code is None:
                country = pycountry.countries.get(alpha_3=row["iso3"])
                if country is None:
                    print(f"skipped {row['country']} ({row['iso3']})", file=sys.stderr)
                    continue
                code = country.alpha_2
            if code not in latest or int(row["year"]) > int(latest[code]["year"]):
                latest[code] = {
                    "code": code,
                    "name": row["country"],
                    "year": row["year"],
                    "regime": row["regime_row_owid"],
                }
    with Path(out).open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=["code", "name", "year", "regime"])
        writer.writeheader()
        writer.writerows(sorted(latest.values(), key=lambda r: r["code"]))


if __name__ == "__main__":
    main(*sys.argv[1:3])
