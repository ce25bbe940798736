"""The parsed, validated shape of an indicator file: frozen dataclasses, stored as JSON per version."""
from __future__ import annotations

from dataclasses import asdict, dataclass

UNITS = ("percent", "count", "number", "rate")
POLARITIES = ("higher_is_better", "lower_is_better")
#: What a survey-based indicator computes from its question.
STATISTICS = ("share", "mean", "count")


@dataclass(frozen=True)
class Source:
    """Where the values come from: a survey question, or values reported per period."""

    kind: str                          # survey | reported
    survey: str | None = None          # survey slug
    question: str | None = None        # question key (count: optional)
    statistic: str | None = None       # share | mean | count
    share_of: tuple[str, ...] = ()     # answer values counted by a share, as answers are stored
    weighted: bool = False             # raked to the population baseline


@dataclass(frozen=True)
class PeriodValue:
    period: str
    value: float


@dataclass(frozen=True)
class IndicatorDef:
    key: str
    title: str
    description: str
    language: str
    unit: str
    polarity: str
    frequency: str
    result: str
    result_title: str
    source: Source
    disaggregate: tuple[str, ...] = ()
    baseline: PeriodValue | None = None
    targets: tuple[PeriodValue, ...] = ()
    #: Partner organisations (stakeholder ids) that may report this indicator's values.
    reported_by: tuple[str, ...] = ()

    @property
    def reported(self) -> bool:
        return self.source.kind == "reported"

    def to_dict(self) -> dict:
        """The canonical JSON form: what a version stores and what its content hash covers."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> IndicatorDef:
        source = data["source"]
        return cls(**{
            **data,
            "source": Source(**{**source, "share_of": tuple(source.get("share_of", ()))}),
            "disaggregate": tuple(data.get("disaggregate", ())),
            "baseline": PeriodValue(**data["baseline"]) if data.get("baseline") else None,
            "targets": tuple(PeriodValue(**t) for t in data.get("targets", ())),
            "reported_by": tuple(data.get("reported_by", ())),
        })
