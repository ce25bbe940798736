"""Issue 12: why a tag was suggested (span, how), negation, exclusions, surface forms, the codebook
check and per-theme sentiment, on small hand-made sets with figures worked out by hand."""
import doctest
from pathlib import Path

import pytest

import analysis.text.check as check_module
import analysis.text.evidence as evidence_module
import analysis.text.forms as forms_module
import analysis.text.negation as negation_module
import analysis.text.sentiment as sentiment_module
import analysis.text.wordlist as wordlist_module
from analysis.text.check import check_codebook, keyword_lines, stem_collisions
from analysis.themes import HOW, HOW_WEIGHTS, Codebook, CodebookError, sentiment_accuracy, tag, theme_sentiment

SHIPPED = Path(__file__).resolve().parents[2] / "surveys" / "codebooks" / "community-themes.yaml"

TRUST = Codebook.from_dict({"themes": [
    {"key": "trust", "labels": {"en": "Trusts students"}, "negated": "distrust",
     "keywords": {"en": ["trust"], "es": ["confianza"], "fr": ["confiance"], "so": ["kalsoon"], "ar": ["ثقة"],
                  "vi": ["tin tưởng"], "zh": ["信任"]}},
    {"key": "distrust", "labels": {"en": "Distrusts students"}, "keywords": {"en": ["distrust"]}},
    {"key": "parks", "labels": {"en": "Parks"},
     "keywords": {"en": ["=park"], "es": ["=parque"], "fr": ["=parc"], "zh": ["公园"]},
     "exclude": {"en": ["car park"], "zh": ["公园路"]}},
    {"key": "housing", "labels": {"en": "Housing"}, "negated": "keep",
     "keywords": {"en": ["apartment", "lockdown", "bed bug", "hospital"]}, "exclude": {"en": ["falling apart"]}},
]})


def found(text, lang="en", codebook=TRUST):
    return [(m["theme"], m["how"], m["span"], m["matched"]) for m in tag(text, codebook, lang)]


@pytest.mark.parametrize("module", [check_module, evidence_module, forms_module, negation_module,
                                    sentiment_module, wordlist_module])
def test_doctests(module):
    assert doctest.testmod(module).failed == 0


@pytest.mark.parametrize("lang, text, theme, span", [
    ("en", "I do not trust them", "distrust", (9, 14)),
    ("en", "I dont trust them", "distrust", (7, 12)),          # no apostrophe
    ("en", "I don’t really trust them", "distrust", (15, 20)),  # typographic apostrophe, a word between
    ("en", "Never trust, always verify", "distrust", (6, 11)),
    ("en", "I trust them. Not the others", "trust", (2, 7)),  # the negation is after the match
    ("en", "Not now, I trust them", "trust", (11, 16)),       # a comma ends the window
    ("en", "no one here can say that I trust them", "trust", (27, 32)),  # more than 3 words before
    ("es", "No tengo confianza en ellos", "distrust", (9, 18)),
    ("es", "Sin confianza", "distrust", (4, 13)),
    ("es", "Tengo confianza", "trust", (6, 15)),
    ("fr", "Je n'ai pas confiance", "distrust", (12, 21)),
    ("fr", "Je ne fais pas confiance", "distrust", (15, 24)),
    ("fr", "J'ai confiance", "trust", (5, 14)),
    ("so", "Ma jiro kalsoon", "distrust", (8, 15)),
    ("ar", "لا ثقة في الشرطة", "distrust", (3, 6)),
    ("ar", "ثقة كبيرة", "trust", (0, 3)),
    ("vi", "Tôi không tin tưởng họ", "distrust", (10, 19)),
    ("vi", "Tôi tin tưởng họ", "trust", (4, 13)),
    ("zh", "我不信任他们", "distrust", (2, 4)),
    ("zh", "我信任他们", "trust", (1, 3)),
])
def test_a_negated_match_goes_to_the_counterpart(lang, text, theme, span):
    (result,) = tag(text, TRUST, lang)
    assert (result["theme"], result["span"]) == (theme, span)
    assert text[span[0]:span[1]] == result["matched"]
    assert result["matches"][0]["negated"] is (theme == "distrust")


def test_a_negated_match_is_dropped_by_default_and_kept_when_the_theme_says_so():
    plain = Codebook.from_dict({"themes": [{"key": "trust", "labels": {"en": "Trust"}, "keywords": {"en": ["trust"]}}]})
    assert tag("I do not trust them", plain, "en") == []
    assert found("I dont want an apartment") == [("housing", "exact", (15, 24), "apartment")]
    assert tag("I dont want an apartment", TRUST, "en")[0]["matches"][0]["negated"] is True


def test_exclusions_cancel_matches_inside_them_only():
    assert found("The car park is full, the park is nice") == [("parks", "exact", (26, 30), "park")]
    assert found("The place is falling apart") == []
    assert found("公园路很远，公园很好", "zh") == [("parks", "exact", (6, 8), "公园")]


def test_how_and_score_of_each_kind_of_match():
    # 5 tokens; "apartments" is a plural form of the keyword: weight 1.
    assert found("Apartments are too costly") == [("housing", "inflection", (0, 10), "Apartments")]
    assert tag("Apartments are too costly", TRUST, "en")[0]["score"] == pytest.approx(1 / 4)
    # "apart" shares only the Snowball stem of "apartment": weight 0.4 of 3 tokens.
    result = tag("We live apart", TRUST, "en")[0]
    assert (result["how"], result["matched"], result["score"]) == ("stem", "apart", pytest.approx(0.4 / 3))
    # hospitality -> hospit, like hospital
    assert found("hospitality jobs") == [("housing", "stem", (0, 11), "hospitality")]
    assert HOW == ("exact", "inflection", "fuzzy", "stem", "learned")
    assert HOW_WEIGHTS == {"exact": 1.0, "inflection": 1.0, "fuzzy": 0.7, "stem": 0.4}


def test_a_theme_takes_its_strongest_match_and_lists_every_match():
    result = tag("apart from the apartment", TRUST, "en")[0]
    assert (result["how"], result["span"], result["matched"]) == ("exact", (15, 24), "apartment")
    assert [(m["how"], m["span"], m["keyword"]) for m in result["matches"]] == [
        ("stem", (0, 5), "apartment"), ("exact", (15, 24), "apartment")]
    assert result["score"] == pytest.approx((0.4 + 1.0) / 4)


def test_compounds_hyphenated_and_joined():
    assert found("the lock-down was hard") == [("housing", "inflection", (4, 13), "lock-down")]
    assert found("bedbugs everywhere") == [("housing", "inflection", (0, 7), "bedbugs")]
    assert found("a bed bug") == [("housing", "exact", (2, 9), "bed bug")]


def test_one_edit_on_long_keywords_only_and_never_onto_a_real_word():
    assert found("the hospitl is far") == [("housing", "fuzzy", (4, 11), "hospitl")]
    assert found("the lcokdown ended") == [("housing", "fuzzy", (4, 12), "lcokdown")]
    assert tag("the hospitl is far", TRUST, "en")[0]["score"] == pytest.approx(0.7 / 4)
    assert found("I trst them") == []          # "trust" has 5 letters: no one-edit match
    assert found("dogs barking") == []         # "=park" is short, and "barking" is a word
    assert found("the hosptial") == [("housing", "fuzzy", (4, 12), "hosptial")]  # two letters swapped


def test_stem_collisions_of_the_issue_are_found():
    assert stem_collisions("apartment", "en") == ["apart"]
    assert stem_collisions("transit", "en") == ["transition"]
    assert stem_collisions("kid", "en") == ["kidding"]
    assert stem_collisions("hospital", "en") == ["hospitality"]
    assert "lightly" in stem_collisions("lighting", "en")
    assert "speed" in stem_collisions("speeding", "en")
    assert "access" in stem_collisions("accessible", "en")
    assert stem_collisions("parc", "fr") == ["parce"]
    assert stem_collisions("comida", "es")[0] == "como"
    assert stem_collisions("park", "en", allowed={"parking", "parked"}) == []


def test_check_reports_collisions_and_shared_keywords_with_lines():
    text = ("themes:\n  - key: housing\n    labels: {en: Housing}\n    keywords:\n      en: [apartment, =rent]\n"
            "  - key: costs\n    labels: {en: Costs}\n    keywords:\n      en: [=rent, =bill]\n")
    problems = check_codebook(Codebook.from_yaml(text))
    assert [(p.kind, p.keyword, p.themes, p.words, p.suggestion) for p in problems] == [
        ("collision", "apartment", ("housing",), ("apart",), "=apartment"),
        ("shared", "=rent", ("housing", "costs"), (), None)]
    assert keyword_lines(text) == {("housing", "en"): 5, ("costs", "en"): 9}


def test_the_shipped_codebook_passes_its_own_check():
    codebook = Codebook.from_yaml(SHIPPED)
    assert check_codebook(codebook) == []
    # and the issue's examples are no longer tagged
    for text, lang in (("¿Cómo puedo ayudar?", "es"), ("parce que c'est loin", "fr"), ("It is falling apart", "en"),
                       ("a transition period", "en"), ("slow down, no need to speed", "en"),
                       ("lightly used", "en"), ("great hospitality", "en"), ("no kidding", "en"),
                       ("access to the building", "en")):
        assert tag(text, codebook, lang) == [], text


def test_codebook_keys_are_validated():
    base = {"key": "a", "labels": {"en": "A"}, "keywords": {"en": ["x"]}}
    with pytest.raises(CodebookError, match="negated: 'nowhere' must be 'drop', 'keep' or the key"):
        Codebook.from_dict({"themes": [{**base, "negated": "nowhere"}]})
    with pytest.raises(CodebookError, match="exclude for 'en' must be a non-empty list"):
        Codebook.from_dict({"themes": [{**base, "exclude": {"en": "falling apart"}}]})
    cb = Codebook.from_dict({"themes": [{**base, "exclude": {"en": ["x y"]}, "negated": "keep"}]})
    assert Codebook.from_dict(cb.to_dict()) == cb
    assert cb.to_dict()["themes"][0]["exclude"] == {"en": ["x y"]}


def test_sentiment_is_scored_on_the_clause_around_each_theme():
    codebook = Codebook.from_dict({"themes": [
        {"key": "buses", "labels": {"en": "Buses"}, "keywords": {"en": ["bus"]}},
        {"key": "rent", "labels": {"en": "Rent"}, "keywords": {"en": ["=rent"]}}]})
    text = "The buses are great but the rent is terrible."
    moods = theme_sentiment(text, tag(text, codebook, "en"), "en")
    assert (moods["buses"]["polarity"], moods["rent"]["polarity"]) == (0.8, -1.0)
    assert moods["rent"]["clauses"] == ["the rent is terrible"]
    spanish = theme_sentiment("El alquiler es terrible", [{"theme": "rent", "matches": [{"span": (3, 11)}]}], "es")
    assert spanish["rent"]["available"] is False and spanish["rent"]["polarity"] is None


def test_sentiment_accuracy_on_the_shipped_labelled_set():
    figures = sentiment_accuracy()
    # 58 rows: 45 right per clause, 32 for the whole sentence, 25 labelled positive.
    assert figures["n"] == 58
    assert (figures["clause"], figures["sentence"], figures["always_positive"]) == (
        pytest.approx(45 / 58), pytest.approx(32 / 58), pytest.approx(25 / 58))
