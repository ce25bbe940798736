"""Who is missing: sample against population, with suppression and raking.

Plain dicts in, plain dicts out (JSON-ready); no Flask, no database. The
shapes follow DESIGN.md's representation report JSON.

Conventions: category ``"prefer_not"`` is "prefer not to say"; ``None`` or
``"missing"`` is no answer; any other sample key not in the population table
is reported under ``not_stated`` too. Shares are over the *substantive* total
(answers in a population category); nothing is dropped or spread.

Grouped input: :func:`rake`, :func:`weighted_shares`, :func:`r_indicator` and
:func:`representation_report` take frequency weights (``counts``: how many
people gave each row), so a table of answer patterns gives the same results
as one row per person. Method texts are codes with parameters
(``{"code", "params"}``) for the caller to word in the reader's language.
Suppression: :mod:`analysis.suppression`.
"""

from ._r_indicator import implied_propensities, r_indicator, r_indicator_from_propensities
from ._raking import RakeResult, rake
from ._representation_input import (
    MISSING,
    PREFER_NOT,
    PopulationError,
    RakingError,
    RepresentationError,
    SampleError,
)
from ._representation_report import largest_gaps, missing_groups, representation_report
from ._representation_tables import representation_table
from .suppression import DEFAULT_K
from ._intersections import intersection_table
from ._weighted import weighted_shares

__all__ = [
    "PREFER_NOT",
    "MISSING",
    "DEFAULT_K",
    "RepresentationError",
    "PopulationError",
    "SampleError",
    "RakingError",
    "RakeResult",
    "representation_table",
    "intersection_table",
    "representation_report",
    "largest_gaps",
    "missing_groups",
    "weighted_shares",
    "rake",
    "r_indicator",
    "r_indicator_from_propensities",
    "implied_propensities",
]
