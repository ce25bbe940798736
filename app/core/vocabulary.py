"""The values stored columns may hold, in one place: models build their CHECK constraints from
these, forms, filters, the command line and the API validate against them.

A leaf module (it imports nothing), so models, survey definitions and features can all import it
without a cycle. Adding a value here also needs a migration that rewrites the column's CHECK
constraint (see app/migrations/versions/0014_house_allowed_values.py).
"""
from __future__ import annotations

#: Roles, most powerful first; what each may do is in app/core/access.py.
ROLES = ("admin", "equity_lead", "facilitator", "partner")
#: Roles that may run focus groups (and be added as a session's facilitators).
FACILITATOR_ROLES = ("admin", "facilitator")

#: Where a response came from; reports filter and pool by it.
CHANNELS = ("web", "api", "focus_group", "paper", "import", "odk")

#: Kinds of tie between two stakeholders (analysis.graph knows which are directed).
RELATIONSHIP_TYPES = ("referral", "shared_data", "joint_programme", "funding", "communication")
#: Where a tie was learnt: a partner survey response, a focus group, the admin pages, a CSV import.
PROVENANCES = ("response", "focus_group", "manual", "import")

#: Documented sector list (README, "Stakeholders").
SECTORS = ("nonprofit", "government", "business", "education", "health", "faith",
           "resident_association", "funder", "other")

#: ThemeTag.coder of the automatic codebook tagger; a person's tags carry "user:<id>".
AUTO_CODER = "auto"
#: ThemeTag.coder of the tagger learned from review (app.themes.learning): proposals for review,
#: never a person's decision.
LEARNED_CODER = "learned"
#: Coders that are machines, not people.
MACHINE_CODERS = (AUTO_CODER, LEARNED_CODER)
#: ThemeTag.status: "accepted" (the theme is there) or "rejected" (a person said the tagger was wrong).
TAG_STATUSES = ("accepted", "rejected")

#: Contribution.kind: a participant's words (quote) or the facilitator's own note.
CONTRIBUTION_KINDS = ("quote", "note")

#: CodeAttempt.kind: the resident codes that are throttled per address.
CODE_KINDS = ("resume", "withdraw")

#: ImportUpload.kind: the CSV files an admin can upload in the browser.
IMPORT_KINDS = ("stakeholders", "relationships", "baseline")

#: The key of the surveys' shared priorities ranking: focus-group votes are on its choices, and the
#: alignment report shows it when no other ranking question is chosen.
PRIORITIES_KEY = "priorities"

#: A submission or client id made by a form or a device: what the API and the facilitator's
#: queue accept (matched whole, with re.fullmatch).
CLIENT_ID_PATTERN = r"[A-Za-z0-9_-]{8,64}"
