"""A tiny HTML form reader for tests: what a browser with JavaScript off would post."""
from html.parser import HTMLParser


class _FormParser(HTMLParser):
    def __init__(self):
        super().__init__()
        self.forms: list[dict] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.forms.append({"action": attrs.get("action"), "method": attrs.get("method", "get"), "fields": {}})
        elif tag == "input" and self.forms and attrs.get("type") == "hidden" and "disabled" not in attrs:
            self.forms[-1]["fields"][attrs["name"]] = attrs.get("value", "")


def hidden_fields(html: str, index: int = 0) -> dict:
    """The hidden inputs (CSRF token, submission id) of the `index`th form on the page."""
    parser = _FormParser()
    parser.feed(html)
    return dict(parser.forms[index]["fields"])


def form_action(html: str, index: int = 0) -> str:
    parser = _FormParser()
    parser.feed(html)
    return parser.forms[index]["action"]
