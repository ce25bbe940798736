"""How sectors, relationship types and provenances read on the admin pages and in imports."""
from flask_babel import lazy_gettext as _l

#: How each sector reads on the admin pages (the values are README's documented list).
SECTOR_LABELS = {
    "nonprofit": _l("Nonprofit or charity"), "government": _l("Government or public agency"),
    "business": _l("Business"), "education": _l("School, college or university"),
    "health": _l("Health provider"), "faith": _l("Faith group"),
    "resident_association": _l("Resident or tenants' association"),
    "funder": _l("Funder or foundation"), "other": _l("Other"),
}
#: How each relationship type reads.
TYPE_LABELS = {
    "referral": _l("Refers people to"), "shared_data": _l("Shares data with"),
    "joint_programme": _l("Runs a joint programme with"), "funding": _l("Is funded by"),
    "communication": _l("Communicates with"),
}
#: Where a tie came from.
PROVENANCE_LABELS = {
    "response": _l("Partner survey"), "focus_group": _l("Focus group"),
    "manual": _l("Added by an admin"), "import": _l("Import"),
}
