"""`flask themes evaluate`: a human-coded sample measured against the codebook, with exact figures
worked out by hand, and clear errors for a bad file (nothing stored either way)."""
import sqlalchemy as sa

from app.core.extensions import db
from app.models import ThemeTag

#: Six texts coded by two people. With the test codebook (housing: housing, landlord; rent, a
#: sub-theme of housing: rent; transport: bus, train; parks: park) the tagger finds:
#:   1 {transport}  2 {housing, rent}  3 {parks}  4 {transport}  5 {}  6 {parks} ("parking" stems to park)
#: Coder 1 with parents: 1 {transport} 2 {rent, housing} 3 {parks} 4 {transport} 5 {housing} 6 {}
#: Coder 2 with parents: 1 {transport} 2 {housing} 3 {} 4 {transport} 5 {housing} 6 {}
SAMPLE = """text,themes,themes_2
The bus is late,transport,transport
My landlord raised the rent,rent,housing
The park is dirty,parks,
Trains never run on time,transport,transport
We cannot afford a place to live,housing,housing
I love the parking lot,,
"""


def run(runner, tmp_path, body, *args):
    path = tmp_path / "sample.csv"
    path.write_text(body, encoding="utf-8")
    return runner.invoke(args=["themes", "evaluate", str(path), *args])


def lines(output):
    return [line.rstrip() for line in output.splitlines()]


def test_the_tagger_against_two_coders_with_exact_figures(themes_app, runner, tmp_path):
    result = run(runner, tmp_path, SAMPLE)
    assert result.exit_code == 0, result.output
    out = lines(result.output)
    assert out[0] == "sample.csv: 6 texts in en, codebook from the database (4 themes)"
    tagger = out[out.index("Tagger (codebook) against the first coder (column themes):") + 1:][:7]
    # housing: tp 1 (text 2), fn 1 (text 5), fp 0 -> P 1, R 1/2, F1 2/3; kappa: agree 5 of 6,
    #   chance S = 2*1 + 4*5 = 22 -> (6*5 - 22) / (36 - 22) = 8/14 = 0.571
    # rent, transport: the same as coder 1 -> 1, 1, 1, kappa 1
    # parks: tp 1 (text 3), fp 1 (text 6) -> P 1/2, R 1, F1 2/3; kappa as housing, 8/14
    # micro: tp 5, fp 1, fn 1 -> P = R = F1 = 5/6; macro P (1+1+1+.5)/4 = .875, R .875,
    #   F1 (2/3+1+1+2/3)/4 = .833, kappa (4/7+1+1+4/7)/4 = .786
    assert tagger == [
        "theme         n  precision  recall     F1   kappa",
        "housing       2      1.000   0.500  0.667   0.571",
        "rent          1      1.000   1.000  1.000   1.000",
        "transport     2      1.000   1.000  1.000   1.000",
        "parks         1      0.500   1.000  0.667   0.571",
        "micro                0.833   0.833  0.833",
        "macro                0.875   0.875  0.833   0.786",
    ]
    people = out[out.index("Second coder (column themes_2) against the first coder:") + 1:][:7]
    # coder 2 never says rent or parks: precision undefined (-), recall 0, F1 0, and kappa
    #   (6*5 - (1*0 + 5*6)) / (36 - 30) = 0; housing and transport agree fully.
    # micro: tp 4, fp 0, fn 2 -> P 1, R 4/6, F1 8/10; macro over defined values: P 1,
    #   R (1+0+1+0)/4 = .5, F1 .5, kappa .5
    assert people == [
        "theme         n  precision  recall     F1   kappa",
        "housing       2      1.000   1.000  1.000   1.000",
        "rent          1          -   0.000  0.000   0.000",
        "transport     2      1.000   1.000  1.000   1.000",
        "parks         1          -   0.000  0.000   0.000",
        "micro                1.000   0.667  0.800",
        "macro                1.000   0.500  0.500   0.500",
    ]
    assert not any(line.startswith("Learned tagger") for line in out)


def test_learn_cross_validates_and_backs_off_to_the_codebook_on_a_tiny_sample(themes_app, runner, tmp_path):
    # Each training fold holds 3 texts: fewer than 5 with any theme, so every theme follows the
    # codebook and the cross-validated figures are the codebook's (worked out above).
    result = run(runner, tmp_path, SAMPLE, "--learn", "2")
    assert result.exit_code == 0, result.output
    out = lines(result.output)
    learned = out[out.index("Learned tagger (codebook + review), 2-fold cross-validation, against the first coder:") + 1:][:7]
    assert learned[5:] == ["micro                0.833   0.833  0.833", "macro                0.875   0.875  0.833   0.786"]


def test_a_codebook_file_can_be_named(themes_app, runner, tmp_path):
    codebook = tmp_path / "other.yaml"
    codebook.write_text("themes:\n  - {key: parks, labels: {en: Parks}, keywords: {en: [park]}}\n", encoding="utf-8")
    result = run(runner, tmp_path, "text,themes\nThe park,parks\nThe road,\n", "--codebook", str(codebook))
    assert result.exit_code == 0, result.output
    out = lines(result.output)
    assert out[0] == "sample.csv: 2 texts in en, codebook from other.yaml (1 themes)"
    assert "parks     1      1.000   1.000  1.000   1.000" in out  # the column is as wide as "parks"


def test_a_missing_column_is_named_and_nothing_is_stored(themes_app, runner, tmp_path):
    result = run(runner, tmp_path, "text,codes\nThe bus,transport\n")
    assert result.exit_code == 1
    assert "sample.csv: missing column: themes (the columns are text, themes and, for a second coder, themes_2; " \
           "found: text, codes)" in result.output
    assert "nothing was evaluated" in result.output
    with themes_app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(ThemeTag)) == 0


def test_unknown_themes_are_listed_row_by_row(themes_app, runner, tmp_path):
    result = run(runner, tmp_path, "text,themes,themes_2\nThe bus,transprot,transport\nA park,parks,parks;zoo;bins\n")
    assert result.exit_code == 1
    assert "sample.csv: row 2: themes: transprot is not a theme of the codebook" in result.output
    assert "sample.csv: row 3: themes_2: bins, zoo are not themes of the codebook" in result.output


def test_a_bad_language_and_too_many_folds_are_refused(themes_app, runner, tmp_path):
    result = run(runner, tmp_path, SAMPLE, "--lang", "de")
    assert result.exit_code == 1 and "--lang de: the codebook has no keywords in 'de'" in result.output
    result = run(runner, tmp_path, "text,themes\nThe bus,transport\nA park,parks\n", "--learn", "3")
    assert result.exit_code == 1 and "--learn 3 needs at least 3 texts; the sample has 2" in result.output
