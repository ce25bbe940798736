"""Shared pieces of the fuzz tests: hostile strings, JSON values, and a form reader that sees
every field a browser would post (tests/forms.py reads only the hidden ones)."""
from __future__ import annotations

from html.parser import HTMLParser

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

#: Bounded, repeatable runs: CI sees the same examples every time, and no example database.
FUZZ = settings(deadline=None, derandomize=True, database=None, print_blob=True,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much,
                                       HealthCheck.data_too_large])

#: Strings that broke servers like this one before: NUL, a lone surrogate, calendar ends,
#: numbers past a float, huge ids, markup, formulas, very long text, right-to-left marks.
HOSTILE = ["\x00", "a\x00b", "\ud800", "9999-12-31", "0001-01-01", "1e400", "-1e400",
           "99999999999999999999", "-9223372036854775809", "<script>alert(1)</script>", "=1+1",
           "x" * 5000, "\u202e", " ", "", "../../etc/passwd", "%00", "\\", "null", "[]", "{}"]

#: What a form field can carry over the wire (no lone surrogates: they cannot be encoded).
FORM_TEXT = st.one_of(st.sampled_from([h for h in HOSTILE if "\ud800" not in h]), st.text(max_size=40))
JSON_TEXT = st.one_of(st.sampled_from(HOSTILE), st.text(max_size=40))
JSON_SCALAR = st.one_of(st.none(), st.booleans(), st.integers(min_value=-(2**70), max_value=2**70),
                        st.floats(allow_nan=False, allow_infinity=False), JSON_TEXT)
JSON_VALUE = st.recursive(JSON_SCALAR, lambda inner: st.lists(inner, max_size=4)
                          | st.dictionaries(JSON_TEXT, inner, max_size=4), max_leaves=12)


class FormReader(HTMLParser):
    """Every form on a page: action, method, hidden fields, and each other field's name with the
    values the page offers for it (options, checkboxes, radio buttons, named buttons)."""

    def __init__(self):
        super().__init__()
        self.forms: list[dict] = []
        self._select = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.forms.append({"action": attrs.get("action") or "", "method": (attrs.get("method") or "get").lower(),
                               "fields": {}, "hidden": {}})
        elif tag == "option" and self._select is not None:
            self._select.append(attrs.get("value") or "")
        elif self.forms and attrs.get("name"):
            form, name, kind = self.forms[-1], attrs["name"], attrs.get("type")
            if tag == "input" and kind == "hidden":
                form["hidden"][name] = attrs.get("value") or ""
            elif (tag == "input" and kind in ("checkbox", "radio")) or (tag == "button" and attrs.get("value")):
                form["fields"].setdefault(name, []).append(attrs.get("value") or "on")
            elif tag == "select":
                self._select = form["fields"].setdefault(name, [])
            elif tag in ("input", "textarea"):
                form["fields"].setdefault(name, [])

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None


def post_forms(html: str) -> list[dict]:
    """The POST forms of a page, leaving out signing out."""
    reader = FormReader()
    reader.feed(html)
    return [f for f in reader.forms if f["method"] == "post" and not f["action"].endswith("/logout")]


def form_values(form: dict):
    """A strategy for one posting of `form`: its hidden fields kept, every other field an offered
    value or hostile text, sometimes left out, and now and then a field it does not have."""
    fields = {name: st.one_of(st.sampled_from(options), FORM_TEXT) if options else FORM_TEXT
              for name, options in form["fields"].items()}
    return st.fixed_dictionaries({}, optional=fields).flatmap(
        lambda data: st.dictionaries(FORM_TEXT, FORM_TEXT, max_size=2).map(lambda extra: {**extra, **data, **form["hidden"]}))
