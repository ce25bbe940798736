"""An XLSForm (Kobo, ODK, Ona, SurveyCTO) → our survey definition and its translations.

pyxform reads the file (app.xlsform.reading); this module walks pyxform's JSON form and maps each
element to our survey shape (surveys/README.md). What has no equivalent is collected as
`sheet:row: what and why` (`unsupported`, which stops the import unless the caller accepts it);
what is carried over in another form is said in `notes`. The mapping table is in the README,
"Coming from Kobo or ODK".
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from app.xlsform import mapping
from app.xlsform.assemble import assemble
from app.xlsform.languages import ASSUMED_SOURCE, DEFAULT, language_code
from app.xlsform.reading import XLSForm, read_xlsform
from app.xlsform.rows import CONSENT_NOTE, INTRO_NOTE
from app.xlsform.xpath import Question as XQuestion
from app.xlsform.xpath import XPathError, translate_relevant


@dataclass(frozen=True)
class Issue:
    """Something not carried over, where it is in the workbook, and why."""
    sheet: str
    row: int
    what: str

    def __str__(self) -> str:
        return f"{self.sheet}:{self.row}: {self.what}"


@dataclass
class Imported:
    """The survey as a YAML-ready mapping, its translations {code: {text path: text}}, and the report."""
    survey: dict
    source_language: str
    translations: dict[str, dict[str, str]]
    unsupported: list[Issue] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def import_xlsform(path: str | Path, slug: str | None = None) -> Imported:
    """Read `path` with pyxform and map it; raises reading.XLSFormRejected when pyxform refuses it."""
    form = read_xlsform(path)
    return _Mapper(form, slug or _slug(form.data.get("id_string") or "", Path(path).stem)).run()


def _slug(*candidates: str) -> str:
    for candidate in candidates:
        slug = re.sub(r"[^a-z0-9]+", "-", candidate.lower()).strip("-")
        if slug:
            return slug
    return "imported-survey"


class _Mapper:
    def __init__(self, form: XLSForm, slug: str):
        self.form, self.data, self.slug = form, form.data, slug
        self.unsupported: list[Issue] = []
        self.notes: list[str] = []
        self.translations: dict[str, dict[str, str]] = {}
        self.known: dict[str, XQuestion] = {}   # XLSForm name → what skip logic needs of it
        self.keys: set[str] = set()
        self.page_keys: set[str] = set()
        self.pages: list[dict] = []
        self.page: dict | None = None
        self.pending_notes: list[tuple[str, dict[str, str], int]] = []
        self.groups: list[tuple[str, str, dict[str, str]]] = []  # (key, title, title translations)
        self.last_row = 1
        self.bad_languages: set[str] = set()
        self.codes: dict[str, str | None] = {}
        self.intro: tuple[str, dict[str, str]] = ("", {})
        self.consent: tuple[str, dict[str, str]] = ("", {})
        self.source = self.pick_source_language()

    # ----- languages and texts -------------------------------------------------------------------
    def pick_source_language(self) -> str:
        named = self.data.get("default_language") or DEFAULT
        if named != DEFAULT:
            code = language_code(named)
            if code:
                return code
            self.issue("settings", 2, f"default_language '{named}' names no language we know; "
                                      f"write it as Name (code), e.g. English (en)")
        seen = list(dict.fromkeys(self.language_names(self.data.get("children", []))))
        if DEFAULT in seen or not seen:
            if seen and seen != [DEFAULT]:
                self.notes.append(f"the columns with no language are taken as {ASSUMED_SOURCE}; set "
                                  "default_language on the settings sheet to say otherwise")
            return ASSUMED_SOURCE
        return language_code(seen[0]) or ASSUMED_SOURCE

    def language_names(self, children):
        for element in children:
            for key in ("label", "hint"):
                if isinstance(element.get(key), dict):
                    yield from element[key]
                elif element.get(key):
                    yield DEFAULT
            yield from self.language_names(element.get("children", []))

    def code(self, name: str) -> str | None:
        """language_code, once per column name (it looks at the catalogs on disk)."""
        if name not in self.codes:
            self.codes[name] = language_code(name)
        return self.codes[name]

    def texts(self, value, row: int, sheet: str = "survey") -> dict[str, str]:
        """{code: text} of a translatable cell group; the source language's text under its code."""
        if value is None or value == "":
            return {}
        if not isinstance(value, dict):
            value = {DEFAULT: value}
        found: dict[str, str] = {}
        if "${" in str(value):
            self.issue(sheet, row, "a text that shows an earlier answer (${…}) is not carried over: it would "
                                   "show the ${…} as written")
        for name, text in value.items():
            code = self.source if name == DEFAULT else self.code(name)
            if code is None:
                if name not in self.bad_languages:
                    self.bad_languages.add(name)
                    self.issue(sheet, 1, f"the language '{name}' has no code we can tell; its texts were left "
                                         f"out (write the header as label::{name} (code))")
                continue
            if text is not None and str(text).strip() and (name != DEFAULT or code not in found):
                found[code] = str(text).strip()
        return found

    def text(self, value, path: str, row: int, *, fallback: str = "", sheet: str = "survey") -> str:
        """The source-language text of `value`, recording its translations under `path`. A label
        (with a `fallback`) missing in the source language takes another language's text; an
        optional text (hint, message) cannot: a translation needs its source text."""
        texts = self.texts(value, row, sheet)
        source = texts.pop(self.source, "")
        if not source and texts and fallback:
            code, source = next(iter(texts.items()))
            self.notes.append(f"{sheet}:{row}: no {self.source} text; the {code} text is used")
        elif not source and texts:
            what = path.rsplit(".", 1)[-1].replace("_", " ")
            self.issue(sheet, row, f"the {what} has no {self.source} text (only {', '.join(texts)}): "
                                   "a translation needs its source text")
            return ""
        for code, text in texts.items():
            if text != source:  # the same text adds nothing, and would mark an untranslated text as done
                self.translations.setdefault(code, {})[path] = text
        return source or fallback

    def issue(self, sheet: str, row: int, what: str) -> None:
        self.unsupported.append(Issue(sheet, row, what))

    def row_of(self, element: dict) -> int:
        row = self.form.survey_rows.get(str(element.get("name", "")), self.last_row)
        self.last_row = row
        return row

    # ----- walking the form ----------------------------------------------------------------------
    def run(self) -> Imported:
        self.walk(self.data.get("children", []), conditions=(), field_list=False)
        self.close_page()
        survey = assemble(self)
        # a shared list's renamed choice or media is said once, not once per question using it
        notes, unsupported = list(dict.fromkeys(self.notes)), list(dict.fromkeys(self.unsupported))
        return Imported(survey, self.source, self.translations, unsupported, notes)

    def walk(self, children: list, conditions: tuple, field_list: bool) -> None:
        for element in children:
            kind = element.get("type")
            if kind == "group" and element.get("control", {}).get("bodyless"):
                continue  # pyxform's own `meta` block (instanceID …)
            if kind in ("group", "repeat"):
                self.group(element, kind, conditions, field_list)
            else:
                self.element(element, conditions)

    def group(self, element: dict, kind: str, conditions: tuple, field_list: bool) -> None:
        row = self.row_of(element)
        if kind == "repeat":
            count = _count(element)
            self.issue("survey", row, f"repeat '{element.get('name')}' ({count} questions left out): answers "
                                      "given once per person or item have no equivalent in our surveys")
            return
        condition = self.condition(element, row, "group")
        conditions = conditions + ((condition,) if condition else ())
        if field_list:
            self.walk(element.get("children", []), conditions, True)
            return
        is_list = "field-list" in str(element.get("control", {}).get("appearance", ""))
        name = str(element.get("cg_page") or element.get("name", ""))  # cg_page: our export's page key
        key = self.unique(mapping.key_of(name or f"page_{len(self.pages) + 1}"), self.page_keys, reserve=False)
        title_texts = self.texts(element.get("label"), row)
        title = title_texts.pop(self.source, "") or (self.groups[-1][1] if self.groups else "")
        title_texts = {code: text for code, text in title_texts.items() if text != title}
        self.close_page()
        self.groups.append((key, title, title_texts))
        if is_list:
            self.open_page()
        self.walk(element.get("children", []), conditions, is_list)
        self.close_page()
        self.groups.pop()

    def open_page(self) -> None:
        key, title, title_texts = self.groups[-1] if self.groups else (f"page_{len(self.pages) + 1}", "", {})
        key = self.unique(key, self.page_keys)
        self.page = {"key": key, "title": title or self.data.get("title") or self.slug, "questions": []}
        for code, text in title_texts.items():
            self.translations.setdefault(code, {})[f"page.{key}.title"] = text

    def close_page(self) -> None:
        page, self.page = self.page, None
        if page is None:
            return
        if self.pending_notes:
            if page["questions"]:
                self.attach_notes(page["questions"][-1], append=True)
            else:
                for _text, _tr, row in self.pending_notes:
                    self.issue("survey", row, "a note on a page with no question: our pages show text only "
                                              "beside a question")
                self.pending_notes = []
        if page["questions"]:
            self.pages.append(page)

    def attach_notes(self, question: dict, append: bool = False) -> None:
        """Notes become part of the hint of the next question on their page (or the last one)."""
        notes, self.pending_notes = self.pending_notes, []
        key = question["key"]
        parts = [(text, tr) for text, tr, _row in notes]
        hint = question.get("hint", "")
        hint_tr = {code: text[f"{key}.hint"] for code, text in self.translations.items() if f"{key}.hint" in text}
        ordered = [(hint, hint_tr)] + parts if append else parts + [(hint, hint_tr)]
        question["hint"] = "\n\n".join(text for text, _tr in ordered if text)
        for code in {c for _t, tr in ordered for c in tr}:
            if all(code in tr for text, tr in ordered if text):  # half a translation would pass for a whole one
                joined = "\n\n".join(tr[code] for text, tr in ordered if text)
                self.translations.setdefault(code, {})[f"{key}.hint"] = joined
            else:
                self.translations.get(code, {}).pop(f"{key}.hint", None)
        if "hint" in question and not question["hint"]:
            del question["hint"]
        for _text, _tr, row in notes:
            self.notes.append(f"survey:{row}: the note is shown with the hint of question '{key}'")

    def element(self, element: dict, conditions: tuple) -> None:
        row = self.row_of(element)
        kind = str(element.get("type"))
        name = str(element.get("name", ""))
        if name not in self.form.survey_rows and mapping.canonical_type(kind) == "calculate":
            return  # pyxform's own (a repeat_count becomes one): the repeat is reported instead
        if mapping.canonical_type(kind) == "note":
            self.note(element, row, name)
            return
        why = mapping.unsupported_type(kind, element)
        if why:
            if why.startswith("info:"):
                self.notes.append(f"survey:{row}: {why[5:]}")
            else:
                self.issue("survey", row, why)
            return
        question = mapping.question(self, element, row, name)
        condition = self.condition(element, row, "question")
        full = [c for c in (*conditions, condition) if c]
        if full:
            question["relevant"] = " and ".join(f"({c})" if len(full) > 1 and (" or " in c) else c for c in full)
        if self.page is None:
            self.open_page()
        if self.pending_notes:
            self.attach_notes(question)
        self.page["questions"].append(question)
        self.known[name] = XQuestion(question["key"], question["type"], question.pop("_values", {}),
                                     question.get("rank") or len(question.get("choices") or ()))

    def note(self, element: dict, row: int, name: str) -> None:
        if name in (INTRO_NOTE, CONSENT_NOTE) and not self.groups:  # what our own export writes
            texts = self.texts(element.get("label"), row)
            source = texts.pop(self.source, "")
            texts = {code: text for code, text in texts.items() if text != source}
            setattr(self, "intro" if name == INTRO_NOTE else "consent", (source, texts))
            return
        if element.get("media"):
            self.issue("survey", row, "media on a note (image, audio or video) is not carried over")
        if element.get("bind", {}).get("relevant"):
            self.issue("survey", row, "a note shown only under a condition: it becomes hint text, shown always")
        texts = self.texts(element.get("label"), row)
        source = texts.pop(self.source, "")
        if source:
            self.pending_notes.append((source, texts, row))

    def condition(self, element: dict, row: int, what: str) -> str | None:
        source = element.get("bind", {}).get("relevant")
        if not source:
            return None
        try:
            return translate_relevant(str(source), self.known)
        except XPathError as exc:
            self.issue("survey", row, f"relevant '{source}' of this {what} is left out: {exc}")
            return None

    def unique(self, key: str, taken: set[str], reserve: bool = True) -> str:
        if not re.match(r"^[a-z]", key):
            key = f"q_{key}" if key else "q"
        candidate, n = key, 2
        while candidate in taken:
            candidate, n = f"{key}_{n}", n + 1
        if reserve:
            taken.add(candidate)
        return candidate

def _count(element: dict) -> int:
    return sum(_count(child) if child.get("type") in ("group", "repeat") else 1
               for child in element.get("children", []))
