"""The cheap first pass: do a document's raw bytes name any vendor at all?

Most documents name none, so this pass sets the pace of a corpus scan. Hyperscan
(SIMD, case-insensitive literals) scans at over a gigabyte a second where it is
installed (x86-64); elsewhere a Rust Aho-Corasick DFA over the names in the cases
they are written in does several hundred megabytes a second. Both answer for
substrings: the full pass then checks word boundaries and case.
"""

from __future__ import annotations

import re
from typing import Any


class VendorGate:
    def __init__(self, names: list[str], spellings: list[str]) -> None:
        self._scan = _hyperscan(names) or _aho_corasick(names, spellings)

    def __call__(self, raw: bytes) -> bool:
        return bool(self._scan(raw))


def _hyperscan(names: list[str]) -> Any:
    try:
        import hyperscan
    except ImportError:
        return None
    db = hyperscan.Database(mode=hyperscan.HS_MODE_BLOCK)
    patterns = [re.escape(n).encode() for n in names]
    flag = hyperscan.HS_FLAG_CASELESS | hyperscan.HS_FLAG_SINGLEMATCH
    db.compile(
        expressions=patterns,
        ids=list(range(len(patterns))),
        elements=len(patterns),
        flags=[flag] * len(patterns),
    )

    def stop(*_args: object) -> bool:
        return True  # the first match answers the question

    def scan(raw: bytes) -> bool:
        try:
            db.scan(raw, match_event_handler=stop)
        except hyperscan.ScanTerminated:
            return True
        return False

    return scan


def _aho_corasick(names: list[str], spellings: list[str]) -> Any:
    import ahocorasick_rs

    # Without case folding: each name as written, and in lower, upper and title case.
    forms = set(spellings) | {
        v for n in [*names, *spellings] for v in (n, n.lower(), n.upper(), n.title())
    }
    automaton = ahocorasick_rs.BytesAhoCorasick(
        sorted(f.encode() for f in forms), implementation=ahocorasick_rs.Implementation.DFA
    )
    return lambda raw: bool(automaton.find_matches_as_indexes(raw))
