"""Reading the POST forms of a page as a browser would submit them, so that a smoke test can send
them back without knowing their fields (and with their CSRF token, like a browser)."""

from html.parser import HTMLParser


class _Forms(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms, self._form, self._select, self._textarea = [], None, None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            if (attrs.get("method") or "get").lower() == "post":
                self._form = {"action": attrs.get("action") or "", "data": {}, "files": False}
                self.forms.append(self._form)
            return
        if tag == "option" and self._select is not None:
            value = attrs.get("value", "")
            if self._select["first"] is None:
                self._select["first"] = value
            if "selected" in attrs:
                self._select["chosen"].append(value)
            return
        if self._form is None or "name" not in attrs or "disabled" in attrs:
            return
        data, name = self._form["data"], attrs["name"]
        if tag == "input":
            kind = (attrs.get("type") or "text").lower()
            if kind == "file":
                self._form["files"] = True
            elif kind in ("checkbox", "radio"):
                if "checked" in attrs:
                    value = attrs.get("value", "on")
                    data.setdefault(name, []).append(value or "")
            elif kind not in ("submit", "button", "reset", "image"):
                data.setdefault(name, []).append(attrs.get("value") or "")
        elif tag == "select":
            self._select = {"name": name, "multiple": "multiple" in attrs, "first": None, "chosen": []}
        elif tag == "textarea":
            self._textarea = name
            data.setdefault(name, []).append("")

    def handle_data(self, text):
        if self._form is not None and self._textarea is not None:
            values = self._form["data"][self._textarea]
            values[-1] += text

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select" and self._select is not None:
            select, self._select = self._select, None
            chosen = select["chosen"] or ([] if select["multiple"] or select["first"] is None else [select["first"]])
            if self._form is not None:
                self._form["data"].setdefault(select["name"], []).extend(chosen)
        elif tag == "textarea":
            if self._textarea is not None and self._form is not None:
                values = self._form["data"][self._textarea]
                values[-1] = values[-1].removeprefix("\n")
            self._textarea = None


def post_forms(html):
    """The page's POST forms: ``[{"action": …, "data": {name: [values]}, "files": bool}]``, each
    filled with what a browser would send if the person changed nothing."""
    parser = _Forms()
    parser.feed(html)
    return parser.forms
