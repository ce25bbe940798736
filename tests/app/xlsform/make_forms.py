"""Write the project's own test XLSForms into tests/data/xlsform/ (run: python tests/app/xlsform/make_forms.py).

`messy_households.xlsx` is a form as they arrive from the field: headers with stray spaces and
mixed case, `label::Name (code)` columns in three languages (one we ship no catalog for), blank
rows, a settings sheet naming the default language, notes, field-list groups, skip logic in the
XPath subset, constraints, and three rows with no equivalent. `rejected.xlsx` names a choice list
that does not exist, which pyxform refuses.
"""
from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook

DATA = Path(__file__).resolve().parents[2] / "data" / "xlsform"

SURVEY_HEADER = [" Type ", "NAME", "Label::English (en)", "label::Kiswahili (sw)", "label::Français (fr)",
                 "hint::English (en)", "Relevant ", "required", "constraint", "constraint_message::English (en)",
                 "constraint_message::Kiswahili (sw)", "appearance", "choice_filter", "calculation"]
SURVEY = [
    ["begin group", "household", "Your household", "Kaya yako", "Votre foyer", None, None, None, None, None, None,
     "field-list"],
    ["note", "welcome", "These questions are about your home.", "Maswali haya yanahusu nyumba yako.",
     "Ces questions portent sur votre foyer."],
    ["integer", "hh_size", "How many people live here?", "Watu wangapi wanaishi hapa?",
     "Combien de personnes vivent ici ?", "Count yourself too.", None, "yes", ". >= 1 and . <= 30",
     "From 1 to 30.", "Kuanzia 1 hadi 30."],
    ["select_one yes_no", "has_children", "Do children live here?", "Je, watoto wanaishi hapa?",
     "Des enfants vivent-ils ici ?"],
    ["integer", "children", "How many children?", "Watoto wangapi?", "Combien d'enfants ?", None,
     "${has_children} = 'yes' and ${hh_size} > 1", None, ". < ${hh_size}"],
    ["end group"],
    [],
    ["begin group", "services", "Services", "Huduma", "Services", None, None, None, None, None, None, "field-list"],
    ["select_multiple services", "used", "Which services have you used?", "Umetumia huduma zipi?",
     "Quels services avez-vous utilisés ?", "Pick up to two.", None, None, "count-selected(.) <= 2"],
    ["text", "other_service", "What else would help?", "Nini kingine kingesaidia?", "Quoi d'autre aiderait ?",
     None, "not(selected(${used}, 'clinic')) or count-selected(${used}) = 0", None, None, None, None, "multiline"],
    ["rank services", "priorities", "Rank these services", "Panga huduma hizi", "Classez ces services"],
    ["date", "moved", "When did you move in?", "Ulihamia lini?", "Quand avez-vous emménagé ?", None,
     "${hh_size} != 3"],
    ["end group"],
    [],
    ["geopoint", "location", "Where is your home?", "Nyumba yako iko wapi?", "Où est votre foyer ?"],
    ["calculate", "adults", None, None, None, None, None, None, None, None, None, None, None,
     "${hh_size} - ${children}"],
    ["select_one yes_no", "again", "May we ask again next year?", "Tunaweza kuuliza tena mwakani?",
     "Pouvons-nous redemander l'an prochain ?", None, None, None, None, None, None, None, "name != ''"],
]
CHOICES_HEADER = [" List_Name", "name", "label::English (en)", "label::Kiswahili (sw)", "label::Français (fr)"]
CHOICES = [
    ["yes_no", "yes", "Yes", "Ndiyo", "Oui"],
    ["yes_no", "no", "No", "Hapana", "Non"],
    [],
    ["services", "clinic", "A clinic", "Zahanati", "Un dispensaire"],
    ["services", "food-bank", "A food bank", "Benki ya chakula", "Une banque alimentaire"],
    ["services", "School", "A school", "Shule", "Une école"],
]
SETTINGS = [["form_title", "form_id", "default_language"], ["Household survey", "households_2026", "English (en)"]]


def _sheet(book: Workbook, name: str, header: list, rows: list) -> None:
    sheet = book.create_sheet(name)
    sheet.append(header)
    for row in rows:
        sheet.append(row)


def messy_households() -> Workbook:
    book = Workbook()
    book.remove(book.active)
    _sheet(book, "survey", SURVEY_HEADER, SURVEY)
    _sheet(book, "choices", CHOICES_HEADER, CHOICES)
    _sheet(book, "settings", SETTINGS[0], SETTINGS[1:])
    return book


def rejected() -> Workbook:
    book = Workbook()
    book.remove(book.active)
    _sheet(book, "survey", ["type", "name", "label"], [["text", "name", "Your name"],
                                                       ["select_one colours", "colour", "Favourite colour?"]])
    _sheet(book, "choices", ["list_name", "name", "label"], [["sizes", "small", "Small"]])
    return book


if __name__ == "__main__":
    messy_households().save(DATA / "messy_households.xlsx")
    rejected().save(DATA / "rejected.xlsx")
