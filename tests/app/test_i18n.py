"""Languages: catalogs, placeholders, coverage, locale choice, right-to-left, fallback, formatting."""
import io
import re
from pathlib import Path

import pytest
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from app.surveys.coverage import coverage_report
from app.core.i18n import TRANSLATIONS_DIR, shipped_languages
from app.surveys.loader import load_surveys
from app.surveydef.parse import parse_survey_file
from tests.conftest import SURVEYS_DIR
from tests.forms import form_action, hidden_fields

CATALOGS = sorted(TRANSLATIONS_DIR.glob("*/LC_MESSAGES/messages.po"))
PLACEHOLDER = re.compile(r"%\((\w+)\)[sdif]|\{(\w*)\}")
SHIPPED = ["en", "es", "ar", "zh_Hans", "vi", "so", "fr"]


def placeholders(text: str) -> set[str]:
    return {a or b for a, b in PLACEHOLDER.findall(text or "")}


def placeholder_problems(catalog) -> list[str]:
    """Translations that drop, add or rename a placeholder. A plural form may leave out
    %(num)s (Arabic says "one answer" or "two answers" in words), nothing else."""
    problems = []
    for message in catalog:
        if not message.id or not message.string:
            continue
        if isinstance(message.id, tuple):
            wanted = placeholders(message.id[0]) | placeholders(message.id[1])
            for form in message.string:
                have = placeholders(form)
                if form and (have - wanted or (wanted - {"num"}) - have):
                    problems.append(f"{message.id[1]!r}: {form!r}")
        elif placeholders(message.id) != placeholders(message.string):
            problems.append(f"{message.id!r}: {message.string!r}")
    return problems


def test_every_shipped_language_has_a_catalog():
    assert sorted(shipped_languages()) == sorted(SHIPPED)


@pytest.mark.parametrize("path", CATALOGS, ids=lambda p: p.parts[-3])
def test_catalog_compiles(path):
    with path.open("rb") as handle:
        catalog = read_po(handle, locale=path.parts[-3])
    errors = [f"{path}:{message.lineno}: {error}" for message, errs in catalog.check() for error in errs]
    assert errors == []
    write_mo(io.BytesIO(), catalog)


@pytest.mark.parametrize("path", CATALOGS, ids=lambda p: p.parts[-3])
def test_placeholders_match(path):
    with path.open("rb") as handle:
        assert placeholder_problems(read_po(handle, locale=path.parts[-3])) == []


def test_placeholder_check_catches_a_dropped_or_renamed_placeholder():
    broken = read_po(io.BytesIO(
        b'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        b'msgid "Choose at least %(n)s."\nmsgstr "Elija al menos uno."\n\n'
        b'msgid "Hello {name}"\nmsgstr "Hola {nombre}"\n\n'
        b'msgid "Page %(page)s of %(total)s"\nmsgstr "%(total)s / %(page)s"\n'))
    assert placeholder_problems(broken) == [
        "'Choose at least %(n)s.': 'Elija al menos uno.'", "'Hello {name}': 'Hola {nombre}'"]


def test_every_language_is_complete_and_has_nothing_obsolete():
    surveys = [parse_survey_file(p) for p in sorted(SURVEYS_DIR.glob("*.yaml"))]
    report = {row.lang: (row.shares(), row.obsolete) for row in coverage_report(surveys)}
    assert report == {lang: ([100.0, 100.0, 100.0], []) for lang in SHIPPED}


def test_renamed_key_is_reported_obsolete(tmp_path):
    renamed = (SURVEYS_DIR / "community-needs.yaml").read_text().replace("key: recommend", "key: would_recommend")
    (tmp_path / "community-needs.yaml").write_text(renamed)
    survey = parse_survey_file(tmp_path / "community-needs.yaml")
    spanish = next(row for row in coverage_report([survey]) if row.lang == "es")
    assert any(entry.startswith("community-needs:recommend.label ") for entry in spanish.obsolete)
    assert spanish.shares()[1] < 100.0


def test_coverage_command(runner):
    result = runner.invoke(args=["translations", "coverage", "--min", "100"])
    assert result.exit_code == 0, result.output
    assert re.search(r"ar العربية\s+100.0%\s+100.0%\s+100.0%\s+100.0%\s+0", result.output)
    assert re.search(r"language\s+interface\s+.*\sindicators\s+obsolete", result.output)


def test_coverage_counts_the_indicators_texts(tmp_path):
    """Indicator titles, descriptions and result titles are read by residents on the public page:
    a missing translation lowers the indicators' share, and a shared result title counts once."""
    import shutil
    from app.core.i18n import TRANSLATIONS_DIR
    from app.indicators.texts import indicator_texts
    from app.surveys.coverage import coverage_report, indicator_definitions
    shipped = TRANSLATIONS_DIR.parent / "surveys" / "indicators"
    indicators = indicator_definitions(shipped)
    assert len(indicators) == len(list(shipped.glob("*.yaml"))) >= 7
    texts = {t for i in indicators for t in indicator_texts(i)}
    spanish = next(row for row in coverage_report([], indicators) if row.lang == "es")
    assert spanish.indicators == (len(texts), len(texts)) and spanish.shares()[-1] == 100.0
    english = next(row for row in coverage_report([], indicators) if row.lang == "en")
    assert english.indicators == (len(texts), len(texts))  # the source language needs no catalog
    # A new indicator nobody translated yet.
    folder = tmp_path / "indicators"
    shutil.copytree(shipped, folder)
    text = sorted(folder.glob("*.yaml"))[0].read_text(encoding="utf-8")
    new = re.sub(r"(?m)^key: .*$", "key: brand_new_measure", text, count=1)
    new = re.sub(r"(?m)^title: .*$", "title: A measure nobody has translated", new, count=1)
    (folder / "brand_new_measure.yaml").write_text(new, encoding="utf-8")
    more = indicator_definitions(folder)
    assert len(more) == len(indicators) + 1
    spanish = next(row for row in coverage_report([], more) if row.lang == "es")
    done, total = spanish.indicators
    assert total > len(texts) and done == len(texts) and spanish.shares()[-1] < 100.0


def test_arabic_pages_are_right_to_left(client, surveys):
    html = client.get("/s/community-needs?lang=ar").get_data(as_text=True)
    assert '<html lang="ar" dir="rtl">' in html
    assert "استبيان" in html  # the survey title, in Arabic


@pytest.mark.parametrize("query, cookie, accept, expected", [
    ("?lang=fr", "es", "vi", "fr"),
    ("", "es", "vi", "es"),
    ("", None, "vi,en;q=0.5", "vi"),
    ("", None, "xx-YY, es-MX;q=0.8", "es"),
    ("", None, "zh-CN", "zh-Hans"),
    ("", None, "zh-TW", "en"),
    ("?lang=../../etc/passwd", None, "so", "so"),
    ("?lang=" + "x" * 500, "not a language", "!!", "en"),
    ("", None, "", "en"),
])
def test_locale_precedence(client, surveys, query, cookie, accept, expected):
    if cookie:
        client.set_cookie("lang", cookie)
    headers = {"Accept-Language": accept} if accept else {}
    html = client.get(f"/s/community-needs{query}", headers=headers).get_data(as_text=True)
    assert f'<html lang="{expected}"' in html


def test_explicit_choice_is_remembered(client, surveys):
    client.get("/s/community-needs?lang=so")
    html = client.get("/s/community-needs", headers={"Accept-Language": "fr"}).get_data(as_text=True)
    assert '<html lang="so"' in html


def test_picker_lists_every_language_by_its_own_name(client, surveys):
    html = client.get("/s/community-needs").get_data(as_text=True)
    for code, name in [("es", "Español"), ("ar", "العربية"), ("so", "Soomaali"), ("vi", "Tiếng Việt"),
                       ("zh_Hans", "中文"), ("fr", "Français")]:
        assert f'<a href="?lang={code}" lang="{code.replace("_", "-")}"' in html and f">{name}</a>" in html


def test_missing_translation_falls_back_with_lang_attribute(app, client, tmp_path):
    changed = (SURVEYS_DIR / "community-needs.yaml").read_text().replace(
        "label: How old are you?", "label: What is your age group?")
    (tmp_path / "community-needs.yaml").write_text(changed)
    with app.app_context():
        load_surveys(tmp_path)
    api = client.get("/api/v1/surveys/community-needs?lang=es").get_json()
    labels = {q["key"]: q["label"] for p in api["pages"] for q in p["questions"]}
    assert labels["age_band"] == "What is your age group?" and labels["gender"] != "What is your gender?"
    _sid, location = _start(client, "es")
    html = client.get(location.replace("/1?lang", "/4?lang")).get_data(as_text=True)
    assert '<legend lang="en">What is your age group?' in html


def _start(client, lang):
    html = client.get(f"/s/community-needs?lang={lang}").get_data(as_text=True)
    fields = hidden_fields(html)
    response = client.post(form_action(html), data={**fields, "consent": "yes"})
    return fields["submission_id"], response.headers["Location"]


def test_api_labels_and_errors_in_the_requested_language(client, surveys):
    data = client.get("/api/v1/surveys/community-needs?lang=ar").get_json()
    assert data["lang"] == "ar" and set(SHIPPED) <= set(data["languages"])
    age = next(q for p in data["pages"] for q in p["questions"] if q["key"] == "age_band")
    assert re.search(r"[\u0600-\u06FF]", age["label"]) and age["choices"][0]["value"] == "under_18"
    response = client.post("/api/v1/surveys/community-needs/responses",
                           json={"submission_id": "e" * 32, "lang": "es", "answers": {"age_band": "x"}})
    errors = response.get_json()["errors"]
    assert response.status_code == 422 and errors["priorities"] != "This question needs an answer."
    assert errors["age_band"] != "Choose one of the options given."
    # A constraint message written in the survey file comes back translated too.
    response = client.post("/api/v1/surveys/community-needs/responses",
                           json={"submission_id": "f" * 32, "lang": "ar", "answers": {"years_here": 300}})
    assert response.get_json()["errors"]["years_here"] == "أدخل عدد السنوات كرقم صحيح من 0 إلى 100."


def test_numbers_are_formatted_for_the_locale(client, surveys):
    answers = {"priorities": ["jobs"], "biggest_change": "x" * 2001}
    message = client.post("/api/v1/surveys/community-needs/responses", json={
        "submission_id": "f" * 32, "lang": "fr", "answers": answers}).get_json()["errors"]["biggest_change"]
    assert "2\u202f000" in message and "2\u202f001" in message
    message = client.post("/api/v1/surveys/community-needs/responses", json={
        "submission_id": "f" * 32, "lang": "en", "answers": answers}).get_json()["errors"]["biggest_change"]
    assert "2,000" in message


def test_free_text_is_stored_in_the_language_of_the_page(client, surveys, app):
    import sqlalchemy as sa
    from app.core.extensions import db
    from app.models import Answer
    _sid, location = _start(client, "es")
    html = client.get(location).get_data(as_text=True)
    client.post(form_action(html), data={**hidden_fields(html), "priorities__1": "housing",
                                         "biggest_change": "Más autobuses", "action": "next"})
    for number in (2, 3, 4):
        html = client.get(location.rsplit("/", 1)[0] + f"/{number}").get_data(as_text=True)
        client.post(form_action(html), data={**hidden_fields(html), "action": "next"})
    with app.app_context():
        row = db.session.scalar(sa.select(Answer).where(Answer.question_key == "biggest_change"))
    assert (row.text, row.lang) == ("Más autobuses", "es")


def test_a_new_catalog_is_seen_without_listing_the_folder_on_every_request(tmp_path, monkeypatch):
    """The folder is listed again only when it changes: a new language's catalog adds a folder."""
    from app.core import i18n
    for code in ("es", "ar"):
        (tmp_path / code / "LC_MESSAGES").mkdir(parents=True)
        (tmp_path / code / "LC_MESSAGES" / "messages.po").write_text("")
    monkeypatch.setattr(i18n, "TRANSLATIONS_DIR", tmp_path)
    assert i18n.shipped_languages() == ["en", "ar", "es"]
    listed = []
    real_glob = Path.glob
    monkeypatch.setattr(Path, "glob", lambda self, pattern: listed.append(self) or real_glob(self, pattern))
    assert i18n.shipped_languages() == ["en", "ar", "es"] and listed == []  # unchanged: not listed again
    (tmp_path / "so" / "LC_MESSAGES").mkdir(parents=True)
    (tmp_path / "so" / "LC_MESSAGES" / "messages.po").write_text("")
    assert i18n.shipped_languages() == ["en", "ar", "es", "so"] and listed == [tmp_path]
