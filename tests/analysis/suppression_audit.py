"""An attacker's linear programme over what a representation table publishes.

Everything a reader sees is turned into linear constraints on the true counts: shown counts,
published ranges of hidden cells, the table's n and n_substantive (the "totals row"; shares
give n_substantive away too). The bounds each hidden cell can take are then found with
scipy.optimize.linprog (HiGHS), as tau-ARGUS audits a table.
"""
from __future__ import annotations

import numpy as np
from scipy.optimize import linprog


def published_constraints(table: dict):
    """(bounds, equalities) over the cells [categories..., not-stated keys...] of one table."""
    rows = table["categories"]
    keys = list(table["not_stated"])
    size = len(rows) + len(keys)
    bounds = []
    for row in rows:
        if row["n"] is not None:
            bounds.append((row["n"], row["n"]))
        elif row["range"] is not None:
            bounds.append(tuple(row["range"]))
        else:
            bounds.append((0, None))
    for key in keys:
        value = table["not_stated"][key]
        bounds.append((value, value) if value is not None else (0, None))
    equalities = []
    if table["n_substantive"] is not None:
        equalities.append(([1.0] * len(rows) + [0.0] * len(keys), table["n_substantive"]))
    if table["n"] is not None:
        equalities.append(([1.0] * size, table["n"]))
    return bounds, equalities


def feasible_interval(bounds, equalities, cell: int) -> tuple[float, float]:
    """The smallest and largest value `cell` can take under the published constraints."""
    size = len(bounds)
    a_eq = np.array([row for row, _total in equalities]) if equalities else None
    b_eq = np.array([total for _row, total in equalities]) if equalities else None
    found = []
    for sign in (1.0, -1.0):
        objective = np.zeros(size)
        objective[cell] = sign
        result = linprog(objective, A_eq=a_eq, b_eq=b_eq, bounds=bounds, method="highs")
        assert result.status == 0, result.message  # the truth is always feasible
        found.append(sign * result.fun if result.fun is not None else None)
    return found[0], found[1]


def audit_table(table: dict, true_counts: list[int], k: int) -> list[str]:
    """Problems found: a primary cell the published figures pin down tighter than the safe rule
    allows, or a published range that does not hold the true count."""
    problems = []
    bounds, equalities = published_constraints(table)
    rows = table["categories"]
    hidden = [i for i, row in enumerate(rows) if row["suppression"] in ("primary", "complementary")]
    hidden_total = sum(true_counts[i] for i in hidden)
    primaries = sum(rows[i]["suppression"] == "primary" for i in hidden)
    for index, row in enumerate(rows):
        if row["range"] is not None and not row["range"][0] <= true_counts[index] <= row["range"][1]:
            problems.append(f"{row['category']}: range {row['range']} misses {true_counts[index]}")
        if row["suppression"] != "primary":
            continue
        low, high = feasible_interval(bounds, equalities, index)
        # Safe rule: a reader learns no more than "from 1 to k-1", and no more than the group's
        # own hidden total says (H less one for each other small cell).
        needed = min(k - 1, hidden_total - (primaries - 1))
        if low > 1 + 1e-7 or high < needed - 1e-7:
            problems.append(f"{row['category']}: feasible [{low}, {high}], needs [1, {needed}]")
    for row in rows:
        if row["suppression"] is None and row["n"] is not None and 0 < row["n"] < k:
            problems.append(f"{row['category']}: small count {row['n']} shown")
    return problems
