"""Put the mapped pages together as a survey file, and write it as YAML with the report as comments."""
from __future__ import annotations

import yaml

from app.surveydef.parse import parse_survey_text
from app.xlsform.mapping import key_of

#: Written when the form has no `_consent` note (what our export writes): our surveys always show a consent text.
CONSENT_PLACEHOLDER = ("Your answers are used only for this survey, and results are shown only for "
                       "groups large enough that no one can be recognised. You can stop at any time.")


def assemble(mapper) -> dict:
    """The survey mapping in the order surveys/README.md shows, with shared choice lists named."""
    data = mapper.data
    intro, intro_tr = mapper.intro
    consent, consent_tr = mapper.consent
    if not consent:
        consent = CONSENT_PLACEHOLDER
        mapper.notes.append("settings: the form has no consent text (our export writes it as a note named "
                            "_consent); a standard one was written: read it and say what your initiative does "
                            "with the answers")
    for code, text in intro_tr.items():
        mapper.translations.setdefault(code, {})["intro"] = text
    for code, text in consent_tr.items():
        mapper.translations.setdefault(code, {})["consent"] = text
    kind = str(data.get("cg_kind", "")).strip()
    version = str(data.get("cg_consent_version", "")).strip()
    survey: dict = {
        "slug": mapper.slug,
        "kind": kind if kind in ("resident", "partner") else "resident",
        "title": str(data.get("title") or mapper.slug),
        "language": mapper.source,
    }
    if intro:
        survey["intro"] = intro
    survey["consent"] = {"version": int(version) if version.isdigit() and int(version) > 0 else 1, "text": consent}
    shared = _shared_lists(mapper.pages)
    if shared:
        survey["choice_lists"] = {name: choices for name, choices in shared.values()}
    for page in mapper.pages:
        for q in page["questions"]:
            list_name = q.pop("_list", None)
            if list_name in shared and shared[list_name][1] == q.get("choices"):
                q["choices"] = shared[list_name][0]
    survey["pages"] = mapper.pages
    return survey


def _shared_lists(pages: list[dict]) -> dict[str, tuple[str, dict]]:
    """XLSForm lists used, with the same choices, by two or more questions: {list: (our name, choices)}."""
    uses: dict[str, list[dict]] = {}
    for page in pages:
        for q in page["questions"]:
            if q.get("_list") and "choices" in q:
                uses.setdefault(q["_list"], []).append(q["choices"])
    shared, taken = {}, set()
    for list_name, lists in uses.items():
        if len(lists) > 1 and all(choices == lists[0] for choices in lists):
            name = _list_name(list_name, taken)
            shared[list_name] = (name, lists[0])
    return shared


def _list_name(list_name: str, taken: set[str]) -> str:
    name, n = key_of(list_name), 2
    candidate = name
    while candidate in taken:
        candidate, n = f"{name}_{n}", n + 1
    taken.add(candidate)
    return candidate


class _Dumper(yaml.SafeDumper):
    """Block style, keys in our order, long texts unwrapped."""


def _str(dumper, value: str):
    style = "|" if "\n" in value else '"' if "'" in value and value[:1] in "'\"" else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str)


def survey_yaml(survey: dict, header: list[str]) -> str:
    """The survey as YAML text, `header` lines as comments on top; checked as `surveys check` would."""
    body = yaml.dump(survey, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=1000,
                     default_flow_style=False)
    text = "".join(f"# {line}\n" if line else "#\n" for line in header) + body
    parse_survey_text(text, f"{survey['slug']}.yaml")  # raises SurveyFileError: a bug in the mapping, said plainly
    return text
