"""Tests for analysis.themes: codebook, tagging, TextBlob offline, emerging, quotes, report."""

import copy
import doctest
import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import yaml
from textblob import TextBlob
from textblob.en.sentiments import PatternAnalyzer

import analysis.themes as themes
from analysis.text import (
    _codebook_parse, codebook, emerging, english, matcher, normalise, pipeline, quotes, report,
)
from analysis.themes import (
    Codebook, CodebookError, DuplicateThemeError, EmptyKeywordsError, InvalidThemeError,
    ItemError, LanguageError, ThemeNestingError, UnknownParentError, UnknownThemeError,
    emerging_phrases, noun_phrases, representative_quotes, sentiment, tag, tag_items,
    themes_report,
)

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = ROOT / "surveys" / "codebooks" / "community-themes.yaml"
SHIPPED_LANGUAGES = {"en", "es", "fr", "ar", "zh", "vi", "so"}


def theme(key, keywords, parent=None, label=None):
    data = {"key": key, "labels": {"en": label or key.title()}, "keywords": keywords}
    if parent:
        data["parent"] = parent
    return data


@pytest.fixture(scope="module")
def small():
    return Codebook.from_dict({"themes": [
        theme("transport", {"en": ["bus", "=train"], "es": ["transporte", "autobús"],
                            "zh": ["公交", "地铁"], "vi": ["xe buýt"]}),
        theme("bus_stops", {"en": ["bus stop"], "es": ["parada de autobús"]}, parent="transport"),
        theme("housing", {"en": ["rent", "housing"], "es": ["alquiler", "vivienda"],
                          "ar": ["إيجار", "سكن"], "so": ["kiro", "kirada"]}),
        theme("parks", {"en": ["=park", "playground"]}),
    ]})


@pytest.fixture(scope="module")
def shipped():
    return Codebook.from_yaml(SHIPPED)


def codes(matches):
    return [m["theme"] for m in matches]


# --- codebook -----------------------------------------------------------------

def test_shipped_codebook_covers_seven_languages_for_every_theme(shipped):
    for item in shipped.themes:
        assert set(item.labels) == SHIPPED_LANGUAGES, item.key
        assert set(item.keywords) == SHIPPED_LANGUAGES, item.key


def test_shipped_codebook_has_sub_themes_of_top_level_parents(shipped):
    subs = [t for t in shipped.themes if t.parent]
    assert len(subs) >= 10
    assert all(shipped.parent(t.parent) is None for t in subs)


def test_codebook_round_trips_through_dict_and_yaml(shipped):
    data = shipped.to_dict()
    assert Codebook.from_dict(data).to_dict() == data
    assert Codebook.from_yaml(yaml.safe_dump(data, allow_unicode=True)) == shipped


@pytest.mark.parametrize("as_path", [str, Path])
def test_codebook_loads_from_a_path(as_path, shipped):
    assert Codebook.from_yaml(as_path(SHIPPED)) == shipped


def test_codebook_is_read_only(small):
    with pytest.raises(TypeError):
        small.theme("housing").keywords["en"] = ("x",)
    with pytest.raises(AttributeError):
        small.theme("housing").key = "x"


def test_label_falls_back_to_default_language(shipped):
    assert shipped.label("buses", "es") == "Autobuses"
    assert shipped.label("buses", "pt") == "Buses"
    assert shipped.label("buses", "zh_Hans") == "公交车"


GOOD = {"key": "housing", "labels": {"en": "Housing"}, "keywords": {"en": ["rent"]}}


@pytest.mark.parametrize(
    ("entries", "error", "message"),
    [
        ([GOOD, GOOD], DuplicateThemeError, "theme 'housing': duplicate key"),
        ([GOOD, {**GOOD, "key": "rent", "parent": "housin"}], UnknownParentError,
         "theme 'rent': parent 'housin' is not a theme"),
        ([GOOD, {**GOOD, "key": "rent", "parent": "housing"},
          {**GOOD, "key": "deposit", "parent": "rent"}], ThemeNestingError,
         "theme 'deposit': parent 'rent' is itself a sub-theme"),
        ([{**GOOD, "parent": "housing"}], ThemeNestingError, "its own parent"),
        ([{**GOOD, "keywords": {"en": []}}], EmptyKeywordsError,
         "theme 'housing': keywords for 'en'"),
        ([{**GOOD, "keywords": {}}], EmptyKeywordsError, "theme 'housing'"),
        ([{**GOOD, "keywords": {"en": ["rent", "  "]}}], EmptyKeywordsError, "no letters"),
        ([{**GOOD, "keywords": {"en": ["?!"]}}], EmptyKeywordsError, "no letters"),
        ([{**GOOD, "keywords": {"en": [False]}}], InvalidThemeError, "quote words such as 'no'"),
        ([{**GOOD, "key": "Bad-Key"}], InvalidThemeError, "snake_case"),
        ([{**GOOD, "keyword": {"en": ["x"]}}], InvalidThemeError, "unknown field"),
        ([{**GOOD, "labels": {"english": "Housing"}}], InvalidThemeError, "language code"),
        ([{**GOOD, "labels": {"en": ""}}], InvalidThemeError, "label for 'en'"),
        ([], CodebookError, "non-empty list"),
    ],
)
def test_invalid_codebooks_name_the_theme_and_problem(entries, error, message):
    with pytest.raises(error, match=message):
        Codebook.from_dict({"themes": entries})


def test_codebook_errors_are_value_errors():
    assert all(issubclass(e, ValueError) for e in (
        CodebookError, DuplicateThemeError, UnknownParentError, ThemeNestingError,
        EmptyKeywordsError, InvalidThemeError, LanguageError, ItemError, UnknownThemeError))


def test_yaml_errors_name_file_and_line(tmp_path):
    path = tmp_path / "book.yaml"
    path.write_text(textwrap.dedent("""\
        themes:
          - key: housing
            labels: {en: Housing}
            keywords: {en: [rent]}
          - key: rent
            parent: housin
            labels: {en: Rent}
            keywords: {en: [rent]}
        """), encoding="utf-8")
    with pytest.raises(UnknownParentError, match=r"^book\.yaml, line 5: theme 'rent'"):
        Codebook.from_yaml(path)


def test_yaml_syntax_error_names_line():
    with pytest.raises(CodebookError, match="line 3: not valid YAML"):
        Codebook.from_yaml("themes:\n  - key: a\n  labels: [\n")


def test_missing_codebook_file_is_a_clear_error(tmp_path):
    with pytest.raises(CodebookError, match="cannot read codebook file"):
        Codebook.from_yaml(tmp_path / "nope.yaml")


# --- tagging --------------------------------------------------------------------

@pytest.mark.parametrize(
    ("text", "lang", "theme_key", "term"),
    [
        ("The buses never come", "en", "transport", "buses"),
        ("One bus an hour", "en", "transport", "bus"),
        ("Los transportes son caros", "es", "transport", "transportes"),
        ("el transporte", "es", "transport", "transporte"),
        ("los autobuses", "es", "transport", "autobuses"),
        ("el autobus", "es", "transport", "autobus"),             # accent left out
        ("الإيجار مرتفع", "ar", "housing", "الإيجار"),            # article
        ("إيجارات", "ar", "housing", "إيجارات"),                  # plural
        ("والسكن", "ar", "housing", "والسكن"),                    # conjunction + article
        ("Kirada waa qaali", "so", "housing", "Kirada"),
        ("公交车太少了", "zh", "transport", "公交"),                  # substring, no spaces
        ("Xe buýt ít quá", "vi", "transport", "Xe buýt"),
        ("xe buyt it qua", "vi", "transport", "xe buyt"),         # typed without tone marks
        ("A new BUS-STOP", "en", "bus_stops", "BUS-STOP"),        # phrase across a hyphen
        ("la parada de autobuses", "es", "bus_stops", "parada de autobuses"),
    ],
)
def test_tag_matches_inflected_and_folded_forms(small, text, lang, theme_key, term):
    match = next(m for m in tag(text, small, lang) if m["theme"] == theme_key)
    assert term in match["terms"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a bus stop", True),
        ("a bus-stop", True),              # hyphen joins
        ("stop the bus", False),           # words of the phrase, wrong order
        ("I take the bus. Stop it", False),  # sentence break between the words
        ("bus, stop", False),
    ],
)
def test_phrases_match_consecutive_tokens_within_a_clause(small, text, expected):
    assert ("bus_stops" in codes(tag(text, small, "en"))) is expected


def test_exact_keyword_is_not_stemmed(small):
    # Snowball: parking -> park, training -> train; "=park" and "=train" avoid that.
    assert codes(tag("parking lots and training", small, "en")) == []
    assert codes(tag("two parks and a train", small, "en")) == ["transport", "parks"]


def test_single_vietnamese_syllable_keeps_tone_marks():
    book = Codebook.from_dict({"themes": [theme("housing", {"vi": ["nhà"]})]})
    assert codes(tag("nhà", book, "vi")) == ["housing"]
    assert codes(tag("nha", book, "vi")) == []


def test_score_is_share_of_tokens_covered(small):
    # 8 tokens: the(1) bus(2) stop(3) near(4) my(5) rent(6) is(7) awful(8)
    # bus_stops covers "bus stop" = 2/8; transport (parent) covers the same 2/8;
    # housing covers "rent" = 1/8. Ties keep codebook order.
    result = tag("The bus stop near my rent is awful", small, "en")
    assert [(m["theme"], m["score"]) for m in result] == [
        ("transport", 2 / 8), ("bus_stops", 2 / 8), ("housing", 1 / 8)]


def test_sub_theme_counts_for_parent_with_its_terms(small):
    result = {m["theme"]: m for m in tag("new bus stops", small, "en")}
    assert result["bus_stops"]["parent"] == "transport"
    assert result["transport"]["terms"] == ["bus stops"]   # "bus" inside the phrase not repeated
    assert result["transport"]["parent"] is None


def test_chinese_score_counts_characters(small):
    # 公交车太少地铁也少 = 9 characters; 公交 (2) + 地铁 (2) = 4/9
    (match,) = tag("公交车太少，地铁也少", small, "zh")
    assert match["score"] == pytest.approx(4 / 9)


def test_tag_empty_text(small):
    assert tag("", small, "en") == []


@pytest.mark.parametrize("lang", ["pt", "english", "", None])
def test_tag_rejects_unsupported_or_malformed_languages(small, lang):
    with pytest.raises(LanguageError):
        tag("bus", small, lang)


def test_tag_rejects_non_text(small):
    with pytest.raises(ItemError):
        tag(None, small, "en")


def test_compiled_codebook_is_cached_per_primary_language(small):
    assert small.compiled("en") is small.compiled("en-GB")


def test_shipped_codebook_tags_each_language(shipped):
    samples = {
        "en": "The buses are late and the rent keeps going up.",
        "es": "Los autobuses no pasan y el alquiler sube.",
        "fr": "Les bus sont en retard et le loyer augmente.",
        "ar": "الحافلات متأخرة والإيجار يرتفع.",
        "zh": "公交车总是晚点，房租一直涨。",
        "vi": "Xe buýt luôn trễ và tiền thuê nhà tăng.",
        "so": "Baska wuu daahaa, kirada guriga way kordhaysaa.",
    }
    for lang, text in samples.items():
        found = set(codes(tag(text, shipped, lang)))
        assert {"buses", "transport", "rent_affordability", "housing"} <= found, lang


# --- TextBlob offline, sentiment, noun phrases ------------------------------------

OFFLINE_SCRIPT = """
import json, sys, nltk
nltk.data.path[:] = [sys.argv[1]]
result = {}
try:
    nltk.data.find("tokenizers/punkt_tab/english/")
    result["punkt_found"] = True
except LookupError:
    result["punkt_found"] = False
from textblob import TextBlob
from textblob.exceptions import MissingCorpusError
try:
    TextBlob("The new bus shelter is great.").noun_phrases
    result["default_textblob_works"] = True
except MissingCorpusError:
    result["default_textblob_works"] = False
from analysis.themes import Codebook, analyse, emerging_phrases, noun_phrases, sentiment
from analysis.text.english import SentenceTokenizer
book = Codebook.from_dict({"themes": [{"key": "transport", "labels": {"en": "T"},
                                       "keywords": {"en": ["bus"]}}]})
result["sentiment"] = sentiment("Simple is better than complex.", "en")["polarity"]
result["noun_phrases"] = noun_phrases("The new bus shelter on Main Street is great.")
result["sentences"] = SentenceTokenizer().tokenize("Ask Dr. Lee. Then go.")
result["themes"] = [m["theme"] for m in analyse("More buses!", book, "en")["themes"]]
result["emerging"] = [p["phrase"] for p in emerging_phrases(
    [("food pantry hours", "en"), ("the food pantry", "en")], book, min_count=2)]
print(json.dumps(result))
"""


def test_english_pipeline_needs_no_nltk_corpus(tmp_path):
    empty = tmp_path / "nltk_data"
    empty.mkdir()
    env = {"NLTK_DATA": str(empty), "HOME": str(tmp_path), "PYTHONPATH": str(ROOT),
           "PATH": "/usr/bin:/bin"}
    done = subprocess.run([sys.executable, "-W", "error", "-c", OFFLINE_SCRIPT, str(empty)],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["punkt_found"] is False                 # no corpus reachable ...
    assert result["default_textblob_works"] is False      # ... TextBlob's defaults fail ...
    assert result["sentiment"] == pytest.approx(0.0666666667)   # ... ours work
    assert result["noun_phrases"] == ["new bus shelter", "main street"]
    assert result["sentences"] == ["Ask Dr. Lee.", "Then go."]
    assert result["themes"] == ["transport"]
    assert result["emerging"] == ["food pantry"]


def test_sentiment_published_textblob_value():
    # TextBlob's documentation: TextBlob("Simple is better than complex.").sentiment
    # == (0.06666666666666667, 0.41904761904761906)
    result = sentiment("Simple is better than complex.", "en")
    assert (result["polarity"], result["subjectivity"]) == pytest.approx(
        (0.06666666666666667, 0.41904761904761906))
    assert result["available"] is True and result["method"]


@pytest.mark.parametrize("text", [
    "The buses are always late and the rent is too high.",
    "I love the new park, it is beautiful!",
    "The clinic staff were not helpful at all.",
    "This is a very very bad situation :(",
    "",
])
def test_sentiment_equals_textblob_pattern_analyzer(text):
    blob = TextBlob(text, analyzer=PatternAnalyzer())
    result = sentiment(text, "en-US")
    assert (result["polarity"], result["subjectivity"]) == (
        blob.sentiment.polarity, blob.sentiment.subjectivity)


@pytest.mark.parametrize("lang", ["es", "ar", "zh", "so"])
def test_sentiment_unavailable_outside_english(lang):
    result = sentiment("texto", lang)
    assert (result["polarity"], result["subjectivity"], result["available"]) == (None, None, False)
    assert lang in result["reason"]


def test_noun_phrases_with_pattern_chunker():
    assert noun_phrases("We need better street lighting near the park!") == [
        "better street lighting"]
    assert noun_phrases("Las calles oscuras", "es") == []


def test_fast_analyzer_keeps_assessments_path():
    fast = english.PatternSentimentAnalyzer().analyze("great park", keep_assessments=True)
    assert fast == PatternAnalyzer().analyze("great park", keep_assessments=True)


def test_word_tokenizer_splits_contractions():
    assert english.WordTokenizer(include_punc=False).tokenize("We don't, they'll.") == [
        "We", "do", "n't", "they", "'ll"]


# --- emerging phrases -------------------------------------------------------------

def test_emerging_counts_texts_not_occurrences(small):
    texts = [("food pantry, food pantry, food pantry!", "en"),
             ("The food pantry closes early", "en"),
             ("Open the food pantry on weekends and fix the bus", "en"),
             ("Nothing about that here", "en")]
    result = emerging_phrases(texts, small, min_count=3)
    top = result[0]
    assert (top["phrase"], top["count"], top["lang"]) == ("food pantry", 3, "en")
    assert top["examples"] == [t for t, _ in texts[:3]]
    # "food" and "pantry" alone occur in the same 3 texts: subsumed, not listed.
    assert [p["phrase"] for p in result] == ["food pantry"]


def test_emerging_skips_codebook_terms_and_stopword_edges(small):
    texts = [("the bus is late", "en")] * 4
    phrases = [p["phrase"] for p in emerging_phrases(texts, small, min_count=2)]
    assert "bus" not in phrases and "the" not in phrases and "is late" not in phrases
    assert phrases == ["late"]


def test_emerging_stems_spanish_ngrams(small):
    # farmacias/farmacia -> "farmaci", cerradas/cerrada -> "cerr": one key, 2 texts;
    # the unigrams occur in the same 2 texts and are subsumed; "las"/"la" are stopwords.
    texts = [{"text": "Las farmacias cerradas", "lang": "es"},
             {"text": "la farmacia cerrada", "lang": "es"}]
    result = emerging_phrases(texts, small, min_count=2)
    assert [(p["phrase"], p["count"]) for p in result] == [("farmacia cerrada", 2)]


def test_emerging_chinese_character_ngrams(small):
    texts = [("社区需要老年活动", "zh"), ("老年活动太少", "zh"), ("多办老年活动", "zh")]
    # 老年活动 is in all 3 texts; its 2- and 3-character parts too, so they are
    # subsumed; 需要 contains the function character 要, 太少 contains 太.
    result = emerging_phrases(texts, small, min_count=3)
    assert [(p["phrase"], p["count"]) for p in result] == [("老年活动", 3)]


def test_emerging_limit_and_bad_input(small):
    texts = [("alpha", "en"), ("beta", "en"), ("gamma", "en")]
    assert len(emerging_phrases(texts, small, min_count=1, limit=2)) == 2
    with pytest.raises(ItemError):
        emerging_phrases(["just text"], small)
    with pytest.raises(ValueError):
        emerging_phrases(texts, small, min_count=0)


def test_emerging_skips_languages_the_codebook_lacks(small):
    assert emerging_phrases([("uma frase qualquer", "pt")] * 3, small) == []


# --- representative quotes --------------------------------------------------------

def tagged(text, score, **extra):
    return {"text": text, "themes": [{"theme": "t", "score": score}], **extra}


def test_quotes_prefer_high_scores_then_short():
    items = [tagged("long enough quote about buses", 0.2, id=1),
             tagged("buses late", 0.5, id=2),
             tagged("fix buses now", 0.5, id=3)]
    assert [q["id"] for q in representative_quotes(items, "t")] == [2, 3, 1]


def test_quotes_skip_near_duplicates():
    # {the, buses, are, late} vs {the, buses, are, always, late}: 4/5 = 0.8 >= 0.5
    items = [tagged("The buses are late", 0.5, id=1),
             tagged("The buses are always late", 0.4, id=2),
             tagged("No shelter at the stop", 0.3, id=3)]
    assert [q["id"] for q in representative_quotes(items, "t")] == [1, 3]


def test_quotes_prefer_other_respondents_and_groups():
    items = [tagged("buses late", 0.9, id=1, group="a", respondent="r1"),
             tagged("rent high", 0.8, id=2, group="a", respondent="r1"),
             tagged("parks dirty", 0.7, id=3, group="a", respondent="r2"),
             tagged("no lights", 0.6, id=4, group="b", respondent="r3")]
    assert [q["id"] for q in representative_quotes(items, "t")] == [1, 4, 3]


def test_long_quotes_only_fill_and_are_cut():
    long_text = "word " * 100
    items = [tagged(long_text, 0.9, id=1), tagged("short one", 0.1, id=2)]
    result = representative_quotes(items, "t", max_length=40)
    assert [q["id"] for q in result] == [2, 1]
    assert result[1]["truncated"] and len(result[1]["text"]) <= 40
    assert result[1]["text"].endswith(quotes.ELLIPSIS)


def test_quotes_for_absent_theme():
    assert representative_quotes([tagged("x", 1.0)], "other") == []


# --- report -------------------------------------------------------------------------

ITEMS = [
    {"id": 1, "text": "The bus stop has no shelter.", "lang": "en", "group": "north"},
    {"id": 2, "text": "I love the new playground!", "lang": "en", "group": "south"},
    {"id": 3, "text": "El alquiler es muy caro.", "lang": "es", "group": "north"},
    {"id": 4, "text": "The rent is terrible and the bus is slow.", "lang": "en"},
    {"id": 5, "text": "Uma frase em português.", "lang": "pt"},
]


def test_report_counts_sentiment_and_unsupported(small):
    result = themes_report(ITEMS, small)
    by_key = {t["key"]: t for t in result["themes"]}
    assert (result["n"], result["n_tagged"], result["unsupported_languages"]) == (5, 4, {"pt": 1})
    # transport: items 1 (via bus_stops) and 4; housing: items 3 and 4; share over 4 supported
    assert [(k, by_key[k]["count"], by_key[k]["share"]) for k in by_key] == [
        ("transport", 2, 0.5), ("bus_stops", 1, 0.25), ("housing", 2, 0.5), ("parks", 1, 0.25)]
    # housing sentiment: only item 4 is English -> n = 1, its own polarity
    assert by_key["housing"]["sentiment"]["n"] == 1
    expected = sentiment(ITEMS[3]["text"], "en")["polarity"]
    assert by_key["housing"]["sentiment"]["mean_polarity"] == expected
    assert by_key["parks"]["quotes"][0]["id"] == 2
    json.dumps(result)


def test_report_agreement_against_human_tags(small):
    human = {1: {"bus_stops"}, 2: {"parks"}, 3: set(), 4: {"housing"}}
    rows = {r["theme"]: r for r in themes_report(ITEMS, small, human_tags=human)["agreement"]}
    # transport: tagger [1,0,0,1], human [1 (bus_stops rolls up),0,0,0]
    #   p_o = 3/4; p_t = .5, p_h = .25: p_e = .5*.25 + .5*.75 = .5 -> kappa = .25/.5 = 0.5
    # housing: tagger [0,0,1,1], human [0,0,0,1]: same arithmetic -> 0.5
    assert (rows["transport"]["kappa"], rows["transport"]["percent_agreement"]) == (0.5, 0.75)
    assert rows["housing"]["kappa"] == 0.5
    assert rows["parks"]["kappa"] == 1.0 and rows["parks"]["n"] == 4


@pytest.mark.parametrize("human", [{1: {"nope"}}, {1: "parks"}, [1, 2]])
def test_report_rejects_bad_human_tags(small, human):
    with pytest.raises(UnknownThemeError):
        themes_report(ITEMS, small, human_tags=human)


@pytest.mark.parametrize("items", [[{"id": 1, "lang": "en"}], [{"id": 1, "text": "x"}],
                                   [{"id": 1, "text": 3, "lang": "en"}], ["text"],
                                   [{"id": 1, "text": "x", "lang": "??"}]])
def test_report_rejects_bad_items(small, items):
    with pytest.raises(ItemError, match="item 0"):
        themes_report(items, small)


def test_report_does_not_mutate_items(small):
    items = copy.deepcopy(ITEMS)
    themes_report(items, small, human_tags={1: {"transport"}})
    assert items == ITEMS


def test_tag_items_marks_unsupported_languages(small):
    records = tag_items(ITEMS, small)
    assert [r["supported"] for r in records] == [True, True, True, True, False]
    assert records[2]["sentiment"]["available"] is False


@pytest.mark.parametrize("module", [
    themes, normalise, codebook, _codebook_parse, matcher, english, emerging, quotes,
    pipeline, report,
])
def test_doctests(module):
    assert doctest.testmod(module).failed == 0
