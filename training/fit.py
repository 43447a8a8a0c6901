"""Fitting one candidate model: a conditional logit over a decision's candidates and "none".

The logit is a softmax over those choices; its regularisation and the weight of "none" are
chosen by cross-validation by abstract.

A *group* is one decision: the candidates for one field of one claim (or for the paper's own
method of one abstract), each with its features and whether it is right, and the features of
choosing none. The model maximises the probability of the right candidates — or of "none" when
the gold leaves the field empty or no candidate is right — among all of the group's choices,
with an L2 penalty. A softmax within each decision learns what makes one candidate better than
its rivals (nearer, after "on"), which a per-candidate classifier confuses with how often a
kind of decision has an answer at all.

The L2 strength and an offset added to "none" are chosen on out-of-fold predictions, by one of
two objectives (``Objective``). A decision is right when its choice is a right candidate, wrong
when it is a wrong candidate, and a miss when it is "none" while the gold sets the field.
``decision_f1`` weighs wrong choices and misses alike. ``decision_accuracy`` counts the right
choices among the decisions the gold sets, as ``extractors.scoring`` scores a claim's fields:
a field filled where the gold leaves it empty costs nothing there, so it fills wherever that
makes more decisions right, and of equally accurate offsets takes the largest (the fewest
fills; ``extractors.linking.assign`` still declines a guess between equally likely names).
Fields use accuracy; the paper's own method, a single name copied onto every claim of its
abstract, uses F1.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from scipy import optimize, sparse

from claimex.extractors.weights import NONE, LinearModel
from training.folds import fold_of

L2_GRID = (1.0, 3.0, 10.0, 30.0)  # penalty strengths tried (per unit of the summed log-likelihood)
NONE_OFFSETS = tuple(round(-4.0 + 0.25 * i, 2) for i in range(25))  # -4 … +2
INNER_FOLDS = 5
MIN_WEIGHT = 1e-4  # weights smaller than this are dropped from the file
# One decision as scored out of fold: (margin of the best candidate over "none", that
# candidate is right, the gold sets the field).
Decision = tuple[float, bool, bool]
Objective = Callable[[Sequence[Decision], float], float]


@dataclass(frozen=True)
class Group:
    """One decision: each candidate's features and whether it is right, and those of "none"."""

    doc: str  # the abstract's id: folds never split an abstract
    features: tuple[tuple[str, ...], ...]
    labels: tuple[bool, ...]
    has_gold: bool
    none: tuple[str, ...] = (NONE,)  # features of choosing no candidate


def _design(groups: Sequence[Group]) -> tuple[list[str], sparse.csr_matrix, np.ndarray, np.ndarray]:
    """Feature names, one row per choice (candidates then "none"), segment starts, targets."""
    names: dict[str, int] = {}
    rows, cols = [], []
    starts, target = [], []
    r = 0
    for g in groups:
        starts.append(r)
        right = any(g.labels)
        for feats, label in [*zip(g.features, g.labels, strict=True), (g.none, not right)]:
            for f in feats:
                rows.append(r)
                cols.append(names.setdefault(f, len(names)))
            target.append(label)
            r += 1
    x = sparse.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(r, len(names)))
    return list(names), x, np.array(starts), np.array(target, dtype=bool)


def _segment_logsumexp(s: np.ndarray, starts: np.ndarray) -> np.ndarray:
    top = np.maximum.reduceat(s, starts)
    size = np.diff(np.append(starts, len(s)))
    return top + np.log(np.add.reduceat(np.exp(s - np.repeat(top, size)), starts))


def _fit(groups: Sequence[Group], l2: float) -> LinearModel:
    if not groups:
        return LinearModel()
    names, x, starts, target = _design(groups)
    size = np.diff(np.append(starts, x.shape[0]))
    xt = x.T.tocsr()

    def loss(theta: np.ndarray) -> tuple[float, np.ndarray]:
        s = x @ theta
        masked = np.where(target, s, -np.inf)
        lse_all = _segment_logsumexp(s, starts)
        lse_pos = _segment_logsumexp(masked, starts)
        p_all = np.exp(s - np.repeat(lse_all, size))
        p_pos = np.where(target, np.exp(masked - np.repeat(lse_pos, size)), 0.0)
        value = float(np.sum(lse_all - lse_pos) + 0.5 * l2 * theta @ theta)
        return value, xt @ (p_all - p_pos) + l2 * theta

    result = optimize.minimize(
        loss, np.zeros(len(names)), jac=True, method="L-BFGS-B", options={"maxiter": 500}
    )
    weights = {
        n: round(float(w), 4) for n, w in zip(names, result.x, strict=True) if abs(w) >= MIN_WEIGHT
    }
    return LinearModel(weights=weights)


def _decisions(model: LinearModel, groups: Sequence[Group]) -> list[Decision]:
    out = []
    for g in groups:
        scores = [model.score(f) for f in g.features]
        none = model.score(g.none)
        if scores:
            best = max(range(len(scores)), key=lambda i: (scores[i], -i))
            out.append((scores[best] - none, g.labels[best], g.has_gold))
        else:
            out.append((-np.inf, False, g.has_gold))
    return out


def decision_f1(decisions: Sequence[Decision], offset: float) -> float:
    """F1 of the choices whose margin is over ``offset``: wrong choices and misses weigh alike."""
    made = [right for margin, right, _ in decisions if margin > offset]
    gold = sum(g for _, _, g in decisions)
    return 2 * sum(made) / (len(made) + gold) if made or gold else 0.0


def decision_accuracy(decisions: Sequence[Decision], offset: float) -> float:
    """Right choices with a margin over ``offset``, as a share of the decisions the gold sets."""
    right = sum(r for margin, r, _ in decisions if margin > offset)
    gold = sum(g for _, _, g in decisions)
    return right / gold if gold else 0.0


def _out_of_fold(groups: Sequence[Group], l2: float) -> list[Decision]:
    out: list[Decision] = []
    for k in range(INNER_FOLDS):
        train = [g for g in groups if fold_of(g.doc, INNER_FOLDS) != k]
        test = [g for g in groups if fold_of(g.doc, INNER_FOLDS) == k]
        out += _decisions(_fit(train, l2), test)
    return out


def fit_model(groups: Sequence[Group], objective: Objective = decision_f1) -> LinearModel:
    """The model for one kind of decision, its penalty and "none" offset chosen out of fold.

    They are chosen by ``objective``; of tied choices, the smaller penalty wins, then the larger
    offset.
    """
    best: tuple[float, float, float] | None = None  # (objective, l2, offset)
    for l2 in L2_GRID:
        decisions = _out_of_fold(groups, l2)
        for offset in NONE_OFFSETS:
            value = objective(decisions, offset)
            if best is None or value > best[0] + 1e-9:
                best = (value, l2, offset)
            elif best[1] == l2 and value > best[0] - 1e-9:
                best = (best[0], l2, offset)
    assert best is not None
    model = _fit(groups, best[1])
    return LinearModel(weights=model.weights, none_offset=best[2])
