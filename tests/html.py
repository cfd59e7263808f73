"""A small reader of rendered pages for tests: the elements of one region, their attributes and text."""

from html.parser import HTMLParser

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class _Node:
    def __init__(self, tag: str, attrs: dict, parent=None):
        self.tag, self.attrs, self.parent = tag, attrs, parent
        self.children: list = []

    @property
    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text for c in self.children).strip()

    def iter(self):
        for c in self.children:
            if not isinstance(c, str):
                yield c
                yield from c.iter()

    def matches(self, selector: str) -> bool:
        """`tag`, `#id`, `.class`, `tag.class`, `[attr]`, `[attr=value]` or `tag[attr=value]` — one simple
        selector."""
        if selector.startswith("#"):
            return self.attrs.get("id") == selector[1:]
        if "[" in selector:
            tag, _, cond = selector[:-1].partition("[")
            name, _, value = cond.partition("=")
            if tag and self.tag != tag:
                return False
            return name in self.attrs and (not value or self.attrs[name] == value)
        tag, _, cls = selector.partition(".")
        return (not tag or self.tag == tag) and (not cls or cls in (self.attrs.get("class") or "").split())

    def find_all(self, selector: str) -> list["_Node"]:
        """Descendants matching a space-separated chain of simple selectors."""
        first, *rest = selector.split()
        found = [n for n in self.iter() if n.matches(first)]
        for part in rest:
            found = [d for n in found for d in n.iter() if d.matches(part)]
        return list(dict.fromkeys(found))

    def find(self, selector: str) -> "_Node | None":
        nodes = self.find_all(selector)
        return nodes[0] if nodes else None

    def links(self) -> dict[str, str]:
        """{href: text} of the links inside."""
        return {a.attrs.get("href"): a.text for a in self.find_all("a")}


class _Builder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = self.cur = _Node("#document", {})

    def handle_starttag(self, tag, attrs):
        node = _Node(tag, {k: (v if v is not None else "") for k, v in attrs}, self.cur)
        self.cur.children.append(node)
        if tag not in VOID:
            self.cur = node

    def handle_startendtag(self, tag, attrs):
        self.cur.children.append(_Node(tag, {k: v or "" for k, v in attrs}, self.cur))

    def handle_endtag(self, tag):
        node = self.cur
        while node is not None and node.tag != tag:
            node = node.parent
        if node is not None and node.parent is not None:
            self.cur = node.parent

    def handle_data(self, data):
        self.cur.children.append(data)


def parse(response_or_html) -> _Node:
    html = response_or_html if isinstance(response_or_html, str) else response_or_html.content.decode()
    b = _Builder()
    b.feed(html)
    return b.root
