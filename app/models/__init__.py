"""Database models, one module per aggregate. Import from here."""
from app.models.accounts import ROLES, ApiToken, AuditEvent, User
from app.models.baselines import PopulationBaseline
from app.models.codebook import CodebookTheme, LearnedModel, TaggedText
from app.models.counters import RateCounter
from app.models.devices import DeviceToken
from app.models.focus_groups import Contribution, FocusGroup, Mention, Participant, ParticipantAttribute, ThemeTag, Vote
from app.models.imports import ImportUpload
from app.models.indicators import Indicator, IndicatorValue, IndicatorVersion
from app.models.relationships import Relationship
from app.models.responses import Answer, Draft, Response, ResponseRanking, TextAnswer
from app.models.scorecard import CurveStory, IndicatorAction, MeasureReport, PartnerMeasure, Publication
from app.models.security import CodeAttempt, PartnerInvitation
from app.models.stakeholders import Stakeholder
from app.models.surveys import Survey, SurveyVersion
from app.models.tasks import TaskRun

__all__ = [
    "ROLES", "Answer", "ApiToken", "AuditEvent", "CodeAttempt", "CodebookTheme", "Contribution", "CurveStory", "DeviceToken",
    "Draft", "FocusGroup", "ImportUpload", "Indicator", "IndicatorAction", "IndicatorValue", "IndicatorVersion",
    "MeasureReport", "Mention", "Participant", "ParticipantAttribute", "PartnerInvitation", "PartnerMeasure", "Publication",
    "PopulationBaseline", "RateCounter", "Relationship", "Response", "ResponseRanking", "TextAnswer",
    "LearnedModel", "Stakeholder", "Survey", "SurveyVersion", "TaggedText", "TaskRun", "ThemeTag", "User", "Vote",
]
