"""What a person reads on a page: its visible text, without markup, scripts, styles or JSON data blocks."""

from __future__ import annotations

from html.parser import HTMLParser

HIDDEN = {"script", "style", "template", "head"}


class _Text(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in HIDDEN:
            self.hidden += 1
        self.parts.append(" ")  # an element boundary separates words, as the layout would

    def handle_endtag(self, tag):
        if tag in HIDDEN and self.hidden:
            self.hidden -= 1
        self.parts.append(" ")

    def handle_data(self, data):
        if not self.hidden:
            self.parts.append(data)


def visible_text(html: str) -> str:
    """The page's text as one line, every run of whitespace (and every tag boundary) one space."""
    parser = _Text()
    parser.feed(html)
    return " ".join("".join(parser.parts).split())
