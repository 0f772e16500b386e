"""Reading typed fields out of a YAML mapping, reporting each mistake with its line."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from .dates import PartialDate, parse_date
from .diagnostics import Diagnostics, did_you_mean
from .languages import TAG
from .load import Document
from .model import Ref, Text
from .refs import ID_RE, make_text
from .typography import typeset

_TYPE_NAMES = {
    dict: "a mapping (key: value lines)",
    list: "a list",
    str: "text",
    int: "a number",
    float: "a number",
    bool: "true or false",
    type(None): "empty",
}


def describe(value: Any) -> str:
    return _TYPE_NAMES.get(type(value), type(value).__name__)


@dataclass(slots=True)
class Fields:
    """The fields of one mapping (a card's front matter, one actor, one quote...)."""

    doc: Document
    data: dict[str, Any]
    prefix: tuple[str | int, ...]
    diags: Diagnostics
    what: str  # e.g. "issue", "actor 'putin'", "quote 2"
    smart_quotes: bool = True  # the site's setting: prose() fields get typographic quotes
    languages: tuple[str, ...] = ()  # site.yaml's `languages:`, the default first: by_language() reads them
    by_lang: list[tuple[str, str, Any]] = field(default_factory=list)  # (language, key, text) by_language() read
    mapped: list[str] = field(default_factory=list)  # the keys by_language() found given by language

    def line(self, *key: str | int) -> int:
        return self.doc.line(*self.prefix, *key)

    def error(self, key: str | int | None, message: str) -> None:
        line = self.line(key) if key is not None else self.line()
        self.diags.error(self.doc.path, line, message)

    def check_known(self, allowed: Iterable[str]) -> None:
        allowed = list(allowed)
        for key in self.data:
            if key not in allowed:
                self.diags.warning(
                    self.doc.path,
                    self.line(key),
                    f"unknown field '{key}' in {self.what} is ignored{did_you_mean(key, allowed)}",
                )

    def raw(self, key: str, required: bool) -> Any:
        value = self.data.get(key)
        if value is None and required:
            where = self.line(key) if key in self.data else self.line()
            self.diags.error(self.doc.path, where, f"{self.what} needs a '{key}'")
        return value

    def text(self, key: str, required: bool = False) -> str | None:
        """Plain text; numbers are taken as text (`title: 1997`)."""
        value = self.raw(key, required)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            self.error(key, f"'{key}' must be text, not {describe(value)}")
            return None
        text = str(value).strip()
        if not text and required:
            self.error(key, f"'{key}' is empty")
            return None
        return text or None

    def prose(self, key: str, required: bool = False) -> str | None:
        """Plain text a reader sees (a title, a name, a label), typeset by the site's `smart_quotes`;
        a `[[` in it is a warning at its line (plain text shows it as written)."""
        text = self.plain(key, required)
        return typeset(text, self.smart_quotes) if text else text

    def plain(self, key: str, required: bool = False) -> str | None:
        """Plain text kept as written (`status`, also a CSS class): a `[[` in it is a warning at its line."""
        text = self.text(key, required)
        if text and "[[" in text:
            self.warn_plain(key, self.bracket_line(key))
        return text

    def warn_plain(self, key: str, line: int) -> None:
        message = f"'{key}' of {self.what} is plain text: '[[' shows as written; write the name instead"
        self.diags.warning(self.doc.path, line, message)

    def bracket_line(self, *key: str | int) -> int:
        """The line of the first `[[` in the value at key, as written (a folded value spans lines)."""
        written = self.doc.ref_source(*self.prefix, *key)
        if written is None:
            return self.line(*key)
        first, source = written
        return first + source.count("\n", 0, max(source.find("[["), 0))

    def markdown(self, key: str, required: bool = False) -> Text | None:
        """Markdown text with its [[refs]]."""
        text = self.text(key, required)
        if not text:
            return None
        return make_text(text, self.doc.path, self.line(key), self.doc.ref_source(*self.prefix, key))

    def integer(self, key: str) -> int | None:
        value = self.raw(key, False)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            self.error(key, f"'{key}' must be a whole number, not {describe(value)}")
            return None
        return value

    def boolean(self, key: str) -> bool:
        value = self.raw(key, False)
        if value is None:
            return False
        if not isinstance(value, bool):
            self.error(key, f"'{key}' must be true or false, not {value!r}")
            return False
        return value

    def date(self, key: str, required: bool = False, approximate: bool = False) -> PartialDate | None:
        value = self.raw(key, False)
        if required and (value is None or value == ""):  # `date:` as a skeleton leaves it, or left out
            where = self.line(key) if key in self.data else self.line()
            self.diags.error(
                self.doc.path, where, f"{self.what} has no {key}: write it as YYYY-MM-DD (or YYYY-MM, or YYYY)"
            )
            return None
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, str | int):
            self.error(key, f"'{key}' must be a date (YYYY, YYYY-MM or YYYY-MM-DD), not {describe(value)}")
            return None
        try:
            return parse_date(str(value), approximate)
        except ValueError as error:
            self.error(key, f"bad date in '{key}': {error}")
            return None

    def ref(self, key: str, required: bool = False) -> Ref | None:
        value = self.text(key, required)
        if value is None:
            return None
        return Ref(value, self.doc.path, self.line(key))

    def listed(self, key: str, types: tuple[type, ...], what: str) -> list[tuple[str, int]]:
        """The items of a list (one bare value is a list of one) as (text, line); others reported."""
        value = self.raw(key, False)
        if value is None:
            return []
        items = value if isinstance(value, list) else [value]
        result = []
        for index, item in enumerate(items):
            line = self.line(key, index) if isinstance(value, list) else self.line(key)
            if isinstance(item, bool) or not isinstance(item, types):
                self.diags.error(self.doc.path, line, f"'{key}' must list {what}, not {describe(item)}")
                continue
            result.append((str(item).strip(), line))
        return result

    def strings(self, key: str) -> tuple[str, ...]:
        """A list of plain text a reader sees (names), typeset like prose(); one bare value is a list of one."""
        listed = self.listed(key, (str, int, float), "text")
        for text, line in listed:
            if "[[" in text:
                self.warn_plain(key, line)
        return tuple(typeset(text, self.smart_quotes) for text, _line in listed)

    def refs(self, key: str) -> tuple[Ref, ...]:
        """A list of ids; one bare id is taken as a list of one."""
        return tuple(Ref(text, self.doc.path, line) for text, line in self.listed(key, (str, int), "ids"))

    def mapping(self, key: str) -> dict[str, Any]:
        value = self.raw(key, False)
        if value is None:
            return {}
        if not isinstance(value, dict):
            self.error(key, f"'{key}' must be a mapping (key: value lines), not {describe(value)}")
            return {}
        return value

    def items(self, key: str) -> list[tuple[int, dict[str, Any]]]:
        """A list of mappings (quotes, figures), each with its index."""
        value = self.raw(key, False)
        if value is None:
            return []
        if not isinstance(value, list):
            self.error(key, f"'{key}' must be a list of entries starting with '- ', not {describe(value)}")
            return []
        result = []
        for index, item in enumerate(value):
            if not isinstance(item, dict):
                self.diags.error(
                    self.doc.path, self.line(key, index), f"each of '{key}' must be a mapping, not {describe(item)}"
                )
                continue
            result.append((index, item))
        return result

    def sub(self, data: dict[str, Any], *key: str | int, what: str) -> Fields:
        return Fields(self.doc, data, (*self.prefix, *key), self.diags, what, self.smart_quotes, self.languages)

    def by_language(self, key: str, read: str, required: bool = False) -> Any:
        """A text field written once or by language (`name: {en: Hassan Rouhani, fa: حسن روحانی}`), read
        by the method named read (`prose`, `markdown`): the default language's text; the others' are kept
        in by_lang as (language, key, text), the key in mapped."""
        value = self.data.get(key)
        if not isinstance(value, dict):
            return getattr(self, read)(key, required)
        if not self.languages:
            self.error(key, f"'{key}' of {self.what} is given by language, but site.yaml has no 'languages:': "
                            "add 'languages:' (the default first, e.g. [en, es]), or write one text")  # fmt: skip
            return None
        self.mapped.append(key)
        default, texts = self.languages[0], self.sub(value, key, what=f"'{key}' of {self.what}")
        for lang in value:
            if lang not in self.languages:
                listed = ", ".join(self.languages)
                hint = did_you_mean(str(lang), self.languages)
                if not TAG.fullmatch(str(lang)):  # `{en: Geneva, Switzerland}`: a comma in a text in braces
                    hint += ": a text with a comma inside '{...}' needs quotes"
                self.error_at(texts.line(lang), f"'{lang}' in '{key}' of {self.what} is not one of the site's "
                                                f"languages ({listed}){hint}")  # fmt: skip
        for lang in self.languages[1:]:
            if lang in value:
                text = getattr(texts, read)(lang, True)
                if text is not None:
                    self.by_lang.append((lang, key, text))
        if default not in value:
            self.error(key, f"'{key}' of {self.what} has no '{default}' text: the default language's is needed")
            return None
        return getattr(texts, read)(default, required)

    def error_at(self, line: int, message: str) -> None:
        self.diags.error(self.doc.path, line, message)


def suggest_id(value: str) -> str | None:
    """A valid id close to value (`NATO Expansion` → `nato-expansion`), or None."""
    words = "".join(c if c.isalnum() else "-" for c in value.lower()).split("-")
    fixed = "-".join(word for word in words if word)
    return fixed if ID_RE.fullmatch(fixed) else None


def check_id(value: str, path: str, line: int, diags: Diagnostics, what: str) -> bool:
    """Report an id that is not lower-case words joined by hyphens."""
    if ID_RE.fullmatch(value):
        return True
    fixed = suggest_id(value)
    hint = f": use '{fixed}'" if fixed else ""
    diags.error(path, line, f"bad {what} '{value}': ids are lower-case letters and digits joined by hyphens{hint}")
    return False


def top_mapping(doc: Document, diags: Diagnostics, what: str, smart_quotes: bool = True) -> Fields | None:
    if doc.data is None:
        if doc.kind in ("site", "issue"):
            needs = "a 'title' and a 'description'" if doc.kind == "site" else "a 'title' and a 'summary'"
            diags.error(doc.path, 1, f"{what} is empty: it needs {needs}")
        return None
    if not isinstance(doc.data, dict):
        diags.error(doc.path, doc.line(), f"{what} must be a mapping (key: value lines), not {describe(doc.data)}")
        return None
    return Fields(doc, doc.data, (), diags, what, smart_quotes)
