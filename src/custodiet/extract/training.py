"""Training the scorer on labelled passages: the rules propose, the labels decide.

A labelled file holds one passage per line, `{"id", "text", "records": [{"vendor",
"buyer_country"}, ...]}` (the format of the field's evaluation sets). Every pair the
rules propose (`pipeline.proposals`) becomes one example: its features, and whether
the passage's records hold that vendor and buyer country. scikit-learn fits a logistic
regression; the threshold is the one that maximises F1 over pairs on probabilities
predicted out of fold (passages grouped), so that it is not chosen on what the model
has already seen.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from custodiet.extract.candidate import NEW_ORGANISATION
from custodiet.extract.features import NAMES
from custodiet.extract.pipeline import Proposal, proposals
from custodiet.extract.registry import Registry, registry
from custodiet.extract.scorer import KEEP_ALL, Scorer
from custodiet.model.errors import DataError

# Words that differ between two spellings of one company's name.
SUFFIXES = frozenset(
    [
        "co",
        "ltd",
        "limited",
        "inc",
        "corp",
        "corporation",
        "company",
        "technologies",
        "technology",
        "group",
        "sa",
        "plc",
        "llc",
        "gmbh",
        "ag",
        "holdings",
        "holding",
        "the",
        "systems",
        "international",
    ]
)


@dataclass(frozen=True)
class Passage:
    id: str
    text: str
    pairs: frozenset[tuple[str, str]]  # (vendor key, buyer country)


@dataclass
class Examples:
    x: list[tuple[float, ...]]
    y: list[int]
    keys: list[tuple[str, str, str]]  # (passage, vendor key, country): the pair scored
    positives: int  # pairs in the labels, found or not


def read(path: Path, reg: Registry) -> list[Passage]:
    """The passages of a labelled file; a bad line is named with its number."""
    out = []
    with path.open(encoding="utf-8") as lines:
        for n, line in enumerate(lines, 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
                pairs = frozenset(
                    (vendor_key(r["vendor"], reg), str(r.get("buyer_country") or "").upper())
                    for r in row.get("records", [])
                )
                out.append(Passage(str(row["id"]), str(row["text"]), pairs))
            except (json.JSONDecodeError, KeyError, TypeError, AttributeError) as exc:
                raise DataError(f"not a labelled passage ({exc})", file=str(path), line=n) from None
    return out


def vendor_key(name: str, reg: Registry) -> str:
    """One key per company: the registry's id when it knows the name, else the name
    without case, accents, punctuation and corporate suffixes."""
    if ids := reg.named(name):
        return ids[0]
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    words = [w for w in re.sub(r"[^a-z0-9]+", " ", plain).split() if w not in SUFFIXES]
    return " ".join(words) or plain


def examples(passages: Iterable[Passage], reg: Registry) -> Examples:
    found = Examples([], [], [], 0)
    for p in passages:
        found.positives += len(p.pairs)
        label(p, proposals(p.text, doc_id=p.id, reg=reg), reg, found)
    return found


def label(p: Passage, pairs: Iterable[Proposal], reg: Registry, into: Examples) -> None:
    """Each pair the rules found in the passage, right (1) or wrong (0) by its labels."""
    for candidate, x in pairs:
        vendor = candidate.vendor_id
        if vendor.startswith(NEW_ORGANISATION):
            vendor = vendor_key(candidate.vendor, reg)
        key = (vendor, candidate.buyer_country)
        into.x.append(x)
        into.y.append(int(key in p.pairs))
        into.keys.append((p.id, *key))


def fit(data: Examples) -> Scorer:
    """A logistic regression on the examples, its threshold chosen out of fold."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import GroupKFold, cross_val_predict

    if not any(data.y):
        raise DataError("training needs some right pairs: none of the rules' pairs is labelled")
    if all(data.y):
        return KEEP_ALL  # every pair right: nothing to learn, nothing to drop
    model = LogisticRegression(C=1.0, max_iter=1000)
    groups = [k[0] for k in data.keys]
    folds = min(5, len(set(groups)))
    try:
        out_of_fold = cross_val_predict(
            model, data.x, data.y, groups=groups, cv=GroupKFold(folds), method="predict_proba"
        )[:, 1]
    except ValueError:
        out_of_fold = None  # a fold with one class only: too few passages to hold any out
    model.fit(data.x, data.y)
    if out_of_fold is None:
        out_of_fold = model.predict_proba(data.x)[:, 1]
    threshold = best_threshold([float(p) for p in out_of_fold], data)
    return Scorer(
        weights=tuple(round(float(w), 4) for w in model.coef_[0]),
        intercept=round(float(model.intercept_[0]), 4),
        threshold=threshold,
    )


def best_threshold(probabilities: list[float], data: Examples) -> float:
    """The threshold with the best pair-level F1 (a pair scores its best candidate)."""
    best: dict[tuple[str, str, str], tuple[float, int]] = {}
    for p, y, key in zip(probabilities, data.y, data.keys, strict=True):
        if key not in best or p > best[key][0]:
            best[key] = (p, y)
    ranked = sorted(best.values(), reverse=True)
    top, chosen, tp = 0.0, 0.0, 0
    for i, (p, y) in enumerate(ranked, 1):
        tp += y
        f1 = 2 * tp / (i + data.positives) if data.positives else 0.0
        if f1 > top:
            top, chosen = f1, p
    return round(float(chosen) - 1e-6, 4)


def train(paths: list[Path], reg: Registry | None = None) -> Scorer:
    reg = reg or registry()
    passages = [p for path in paths for p in read(path, reg)]
    scorer = fit(examples(passages, reg))
    return Scorer(scorer.weights, scorer.intercept, scorer.threshold, tuple(p.name for p in paths))


def report(scorer: Scorer) -> Iterator[str]:
    """The weights, largest first: what the scorer learned to trust."""
    for name, w in sorted(zip(NAMES, scorer.weights, strict=True), key=lambda t: -abs(t[1])):
        yield f"{name:24} {w:+.3f}"
    yield f"{'intercept':24} {scorer.intercept:+.3f}"
    yield f"{'threshold':24} {scorer.threshold:.3f}"
