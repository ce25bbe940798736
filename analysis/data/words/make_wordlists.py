"""Write the word lists in this folder from wordfreq (run by hand; nothing runs it at run time).

    pip install --target /tmp/wf wordfreq==3.1.1
    PYTHONPATH=/tmp/wf python analysis/data/words/make_wordlists.py

Each ``<lang>.txt`` holds the TOP_N most frequent words of the language in wordfreq's "small"
list that are made of letters only (no digits, no apostrophes or hyphens, at least two letters),
one per line, most frequent first. ``analysis.text.wordlist`` reads them: the codebook check
looks for other words a keyword's stem also matches, and one-edit matching leaves alone a word
that is itself in the list.

Source and licence: wordfreq 3.1.1 by Robyn Speer (https://pypi.org/project/wordfreq/), code
Apache-2.0, data CC BY-SA 4.0, built from Wikipedia, subtitles, news, books, web text and
social media (see its README). These lists are a derived work under CC BY-SA 4.0 too. wordfreq
has no Somali list; Somali and Chinese keywords are not stemmed, so they need none.
"""
import re
import sys
from pathlib import Path

#: Words per language: enough for the words people write in comments, small enough to ship.
TOP_N = 10_000
LANGUAGES = ("en", "es", "fr", "ar", "vi")
_WORD = re.compile(r"^[^\W\d_]{2,}$")


def main() -> None:
    from wordfreq import top_n_list
    here = Path(__file__).parent
    for lang in LANGUAGES:
        # Vietnamese is written in syllables separated by spaces: its list holds syllables.
        words = [w for w in top_n_list(lang, TOP_N * 2, wordlist="small") if _WORD.match(w)][:TOP_N]
        header = f"# {lang}: top {len(words)} words of wordfreq 3.1.1 (CC BY-SA 4.0); see make_wordlists.py\n"
        (here / f"{lang}.txt").write_text(header + "\n".join(words) + "\n", encoding="utf-8")
        print(lang, len(words), file=sys.stderr)


if __name__ == "__main__":
    main()
