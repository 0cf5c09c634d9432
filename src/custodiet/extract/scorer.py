"""The learned scorer: a logistic regression over the rules' features (`features.NAMES`).

Trained with scikit-learn (`custodiet.extract.training`), it ships as plain weights in
`registry/scorer.json`, so extraction needs no model library at run time: a pair's
confidence is the model's probability that an editor would accept it, and a pair
below the threshold chosen in training is not proposed.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from custodiet.extract.features import NAMES
from custodiet.model.errors import DataError


@dataclass(frozen=True)
class Scorer:
    weights: tuple[float, ...]
    intercept: float
    threshold: float
    trained_on: tuple[str, ...] = ()

    def probability(self, x: tuple[float, ...]) -> float:
        z = self.intercept + sum(w * v for w, v in zip(self.weights, x, strict=True))
        return 1 / (1 + math.exp(-z))

    def to_json(self) -> dict[str, Any]:
        return {
            "features": list(NAMES),
            "weights": dict(zip(NAMES, self.weights, strict=True)),
            "intercept": self.intercept,
            "threshold": self.threshold,
            "trained_on": list(self.trained_on),
        }


# The rules alone: every pair they find is proposed.
KEEP_ALL = Scorer(weights=tuple(0.0 for _ in NAMES), intercept=0.0, threshold=0.0)


def from_json(raw: dict[str, Any], where: str) -> Scorer:
    weights = raw.get("weights")
    if not isinstance(weights, dict) or set(weights) != set(NAMES):
        raise DataError(f"{where}: weights must name exactly the features {', '.join(NAMES)}")
    try:
        return Scorer(
            weights=tuple(float(weights[n]) for n in NAMES),
            intercept=float(raw["intercept"]),
            threshold=float(raw["threshold"]),
            trained_on=tuple(raw.get("trained_on", ())),
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise DataError(f"{where}: not a scorer ({exc})") from None


def load(path: Path) -> Scorer:
    try:
        raw = json.loads(path.read_text("utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise DataError(f"{path}: cannot read the scorer ({exc})") from None
    return from_json(raw, str(path))


@lru_cache(maxsize=1)
def shipped() -> Scorer:
    text = resources.files(__package__).joinpath("registry", "scorer.json").read_text("utf-8")
    return from_json(json.loads(text), "registry/scorer.json")
