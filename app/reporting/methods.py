"""Method texts in the reader's language, from the method codes `analysis` returns.

`analysis` says what it did as ``{"code", "params"}``; this is the only place that words it, so
a French report reads French methods and the words always match the numbers beside them.
"""
from __future__ import annotations

from flask_babel import format_percent
from flask_babel import gettext as _
from flask_babel import ngettext


def method_text(method: dict) -> str:
    """The sentence(s) for one method code; an unknown code is named, never guessed at."""
    code, params = method.get("code"), method.get("params") or {}
    writer = _WRITERS.get(code)
    return writer(params) if writer else code


def _representation_table(params: dict) -> str:
    level = format_percent(params.get("confidence", 0.95), "#,##0%")
    k = params.get("k", 0)
    shares = _("Shares are of the answers in a population category (prefer not to say, no answer and other "
               "answers are counted apart, never spread), with %(level)s Wilson score intervals; the index is "
               "the share divided by the population share, and a gap is flagged when its interval excludes 1; "
               "chi-square goodness of fit against the population, with hidden cells pooled.", level=level)
    if k <= 1:
        return shares + " " + _("No small-cell suppression: an administrator lifted it for this view.")
    return shares + " " + _(
        "Counts from 1 to %(top)s are hidden (fewer than %(k)s); to protect them, one more group is hidden "
        "and shown as the range the totals allow. A table with fewer than %(minimum)s answers in population "
        "groups shows no breakdown.", top=k - 1, k=k, minimum=params.get("minimum_n", 0))


def _r_indicator(params: dict) -> str:
    return _("R-indicator (Schouten, Cobben and Bethlehem 2009): 1 minus twice the spread of the response "
             "propensities implied by raking the answers to the population on every dimension shown. "
             "1 means every group answered at the same rate; it depends on the dimensions used and says "
             "nothing about bias on any one question.")


def _no_score(params: dict) -> str:
    reason = params.get("reason")
    if reason == "unmet_margins":
        unmet = params.get("unmet", 0)
        return ngettext("No representativeness score: %(num)s group of the population has no answers at all, so "
                        "no weighting can make the answers match the population.",
                        "No representativeness score: %(num)s groups of the population have no answers at all, "
                        "so no weighting can make the answers match the population.", unmet)
    return {
        "not_converged": _("No representativeness score: the weighting did not converge, so the weights do not "
                           "match the population."),
        "too_few": _("No representativeness score: at least one table has too few answers to show a breakdown, "
                     "and a score would rest on the groups it hides."),
        "no_dimensions": _("No representativeness score: no demographic question has population figures."),
    }.get(reason, _("No representativeness score: nobody in this selection answered a demographic question."))


def _weighted_shares(params: dict) -> str:
    text = _("Shares are of the respondents who answered (prefer not to say and no answer are counted apart); "
             "the weighted share adds up their raking weights instead of counting them; the effective sample "
             "size is Kish's (sum of weights)² / sum of squared weights.")
    if params.get("multiple"):
        text += " " + _("Each answer is a share of those who answered, so the shares of a multiple-choice "
                        "question can add up to more than the whole.")
    k = params.get("k", 0)
    if k > 1:
        text += " " + _("Counts from 1 to %(top)s are hidden, by the same rules as the tables.", top=k - 1)
    return text


_WRITERS = {
    "representation_table": _representation_table,
    "intersection_table": _representation_table,
    "r_indicator": _r_indicator,
    "no_score": _no_score,
    "weighted_shares": _weighted_shares,
}
