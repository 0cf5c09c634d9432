"""Write start/end offsets under every `quote:` line of a starter YAML file.

Usage: python scripts/locate_quotes.py SOURCE_TEXT STARTER_YAML

The offsets refer to the normalised text (custodiet.model.source.normalise_text).
A quote that is not in the text, or stands there more than once, is an error.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import yaml

from custodiet.model.source import normalise_text

QUOTE = re.compile(r'^(?P<indent>\s*)quote: (?P<raw>".*")\s*$')
OFFSET = re.compile(r"^\s*(start|end): \d+\s*$")


def main(text_path: str, yaml_path: str) -> None:
    text = normalise_text(Path(text_path).read_text("utf-8"))
    out: list[str] = []
    lines = Path(yaml_path).read_text("utf-8").splitlines()
    for number, line in enumerate(lines, start=1):
        if OFFSET.match(line):
            continue
        out.append(line)
        match = QUOTE.match(line)
        if not match:
            continue
        quote = yaml.safe_load(match["raw"])
        start = text.find(quote)
        if start < 0 or text.find(quote, start + 1) >= 0:
            sys.exit(f"{yaml_path}:{number}: quote not found exactly once")
        out.append(f"{match['indent']}start: {start}")
        out.append(f"{match['indent']}end: {start + len(quote)}")
    Path(yaml_path).write_text("\n".join(out) + "\n", "utf-8")


if __name__ == "__main__":
    main(*sys.argv[1:3])
