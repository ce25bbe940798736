"""Names shown for the scorecard's stored codes, translated, and indicator values written for people."""
from flask_babel import format_decimal, format_percent
from flask_babel import lazy_gettext as _l
from markupsafe import Markup

MEASURE_KIND_NAMES = {"how_much": _l("How much did we do?"), "how_well": _l("How well did we do it?"),
                      "better_off": _l("Is anyone better off?")}
FREQUENCY_NAMES = {"month": _l("Every month"), "quarter": _l("Every quarter"), "year": _l("Every year")}
TIMELINESS_NAMES = {"on_time": _l("on time"), "late": _l("late"), "overdue": _l("overdue"),
                    "not_due": _l("not due yet")}
ACTION_STATUS_NAMES = {"planned": _l("Planned"), "in_progress": _l("Under way"), "done": _l("Done"),
                       "stopped": _l("Stopped")}
STATUS_NAMES = {"on_track": _l("On track"), "off_track": _l("Off track"), "no_data": _l("No data")}


def indicator_value(value, unit: str, short: bool = False) -> str:
    """`value` as people read it: a share (0.52) as a percentage, a count whole, other numbers with
    up to two decimals (one on a chart's axis)."""
    if value is None:
        return "–"
    if unit == "percent":
        return format_percent(value, "#,##0%" if short else "#,##0.0%")
    if unit == "count":
        return format_decimal(round(value), "#,##0")
    return format_decimal(value, "#,##0.#" if short else "#,##0.##")


def bdi(text) -> Markup:
    """`text` isolated from the sentence around it, so "2027-Q4" reads the same in a right-to-left one."""
    return Markup("<bdi>{}</bdi>").format(text)


def init_app(app) -> None:
    app.jinja_env.filters["indicator_value"] = indicator_value
    app.jinja_env.filters["bdi"] = bdi
    app.jinja_env.globals.update(measure_kind_names=MEASURE_KIND_NAMES, frequency_names=FREQUENCY_NAMES,
                                 timeliness_names=TIMELINESS_NAMES, action_status_names=ACTION_STATUS_NAMES,
                                 indicator_status_names=STATUS_NAMES)
