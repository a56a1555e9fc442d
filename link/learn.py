"""A logistic regression whose weights a reviewer can read, fitted with numpy.

The probability that a careful reader accepts a link is 1 / (1 + e^-(b + sum w_k x_k)): each
feature x_k (text agreement, shared subjects, ...) adds w_k x_k to the log-odds, so the
evidence of a link can say, in words, which features pulled its score up or down and by how
much. The weights are fitted by Newton's method with a small L2 penalty (a few hundred
labelled pairs and a dozen features: no library is needed) and stored as data in
link/data/model.json by link/train.py.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import numpy as np

# The L2 penalty on the weights (not on the intercept): enough to keep a feature that never
# fires among the positives from running off to minus infinity, small beside ~3,000 pairs.
PENALTY = 1.0
ITERATIONS = 50


@dataclass(frozen=True)
class Weights:
    """One relation's fitted model, as stored in link/data/model.json."""

    relation: str
    features: tuple[str, ...]
    coef: np.ndarray
    intercept: float
    threshold: float  # a link at or above it is stored as a link
    suggest: float  # between this and `threshold`: a suggestion for review ...
    trained_on: str
    keep: int = 3  # ... the most probable `keep` of them for each later item (link/candidates.py)

    def log_odds(self, x: np.ndarray) -> np.ndarray:
        return x @ self.coef + self.intercept

    def probability(self, x: np.ndarray) -> np.ndarray:
        return sigmoid(self.log_odds(x))

    def to_json(self) -> dict[str, object]:
        return {
            "features": list(self.features),
            "coef": [round(float(c), 4) for c in self.coef],
            "intercept": round(self.intercept, 4),
            "threshold": self.threshold,
            "suggest": self.suggest,
            "keep": self.keep,
            "trained_on": self.trained_on,
        }

    @classmethod
    def from_json(cls, relation: str, data: dict[str, object]) -> Weights:
        features = tuple(str(f) for f in data["features"])  # type: ignore[attr-defined]
        return cls(
            relation,
            features,
            np.array(data["coef"], dtype=np.float64),
            float(data["intercept"]),  # type: ignore[arg-type]
            float(data["threshold"]),  # type: ignore[arg-type]
            float(data["suggest"]),  # type: ignore[arg-type]
            str(data.get("trained_on", "")),
            int(data.get("keep", 3)),  # type: ignore[call-overload]
        )


def sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(z, -30, 30)))


def fit(x: np.ndarray, y: np.ndarray, penalty: float = PENALTY) -> tuple[np.ndarray, float]:
    """Weights and intercept maximising the penalised likelihood of labels `y` (0/1)."""
    n, k = x.shape
    design = np.hstack([x, np.ones((n, 1))])
    beta = np.zeros(k + 1)
    ridge = np.full(k + 1, penalty)
    ridge[-1] = 0.0  # the intercept is not penalised
    for _ in range(ITERATIONS):
        p = sigmoid(design @ beta)
        gradient = design.T @ (y - p) - ridge * beta
        hessian = (design * (p * (1 - p))[:, None]).T @ design + np.diag(ridge) + 1e-9 * np.eye(k + 1)
        step = np.linalg.solve(hessian, gradient)
        beta += step
        if np.abs(step).max() < 1e-8:
            break
    return beta[:-1], float(beta[-1])


MODEL_FILE = "data/model.json"


@lru_cache(maxsize=1)
def stored_models() -> dict[str, Weights]:
    """The fitted models shipped with the linker (retrain with `python -m link.train`)."""
    text = resources.files("link").joinpath(MODEL_FILE).read_text(encoding="utf-8")
    data = json.loads(text)
    return {relation: Weights.from_json(relation, model) for relation, model in data["models"].items()}
