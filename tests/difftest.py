"""The differential test's machinery (issue 16): seeded random edits of every kind of input, and after each step a
cached `build` and a running `serve` compared with clean builds, byte for byte.

The example site is held as plain data (`Content`): site.yaml, each card's front matter and body, each actor,
event and source with the file it lives in, and the theme's files as bytes. An edit changes that data (a field of a
record set to a new valid value of its type, a record added, removed, renamed or moved, a template or static file
changed), and every step writes the files whose bytes differ. Field edits are driven by the record readers' `*_FIELDS`
tuples (and parties.py's): each field needs only a value generator in `VALUES`, and `missing_generators()` names
any field that has none. An error step writes a broken file over the model for one step only; the next step writes
the model again, which fixes it.

`Sequence.step()` then runs, in this process, through the command line's own code:
1. `build` with the cache (one output folder and one cache for the whole sequence) and `build --no-cache` into a
   fresh folder, compared file by file (`--no-search`: Pagefind's bundle is not byte-stable between two clean
   builds, so it is left out of both);
2. `serve`'s rebuild loop: the `Rebuilder` that `serve.run` makes, handed after each step the files that
   `serve.scan` (the watcher thread's scan) sees changed, exactly what the watcher would hand it; then a fresh
   `Rebuilder` (a freshly started serve: drafts, no fingerprints, no search, its base URL handling) builds the
   same content into a fresh folder, and the two trees (and the base path they are served under) are compared.
   Driving the rebuilds from the test thread instead of the watcher's polling thread makes each step wait for
   exactly one rebuild without sleeping; the HTTP side only reads the folder (test_serve.py covers it).
After an error step both must fail: `build` exits 1 with the error and leaves the last output as it was (bytes and
modification times), and serve keeps its last good files and holds the error page.
"""

from __future__ import annotations

import contextlib
import copy
import difflib
import io
import os
import random
import re
import shutil
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from explainer import facts, parties, parts, roles, siteconfig, translated, validate
from explainer.diagnostics import Diagnostics
from explainer.load import document_of
from explainer.model import ACTOR_KINDS, PARTY_KINDS, SOURCE_KINDS, STANCES
from explainer.refs import CITE_RE, REF_RE
from explainer.translations import FACT_TEXT_FIELDS

REPO = Path(__file__).resolve().parent.parent
REMOVE = object()  # a generated value: take the field out
FACTS = {"actor": "actors", "event": "events", "source": "sources"}  # kind → section (file or folder name)
REQUIRED = {
    "site": ("title", "description"),
    "issue": ("title", "summary"),
    "actor": ("name", "kind"),
    "event": ("title", "date"),
    "source": ("title",),
    "quote": ("by", "text"),
    "figure": ("value", "label"),
    "change": ("date", "text"),
    "correction": ("date", "text"),
    "author": ("name",),
    "publisher": ("name",),
    "translation": ("title", "summary"),
    "image": ("src",),
    "role": ("title",),
    "position": ("text",),
    "membership": ("id",),
}
MINIMUM = {"issue": 3, "actor": 4, "event": 3, "source": 1}  # records kept of each kind: removals stop there

WORDS = [
    "talks",
    "treaty",
    "missiles",
    "border",
    "troops",
    "alliance",
    "guarantee",
    "pledge",
    "Geneva",
    "Brussels",
    "Vienna",
    "winter",
    "drills",
    "inspections",
    "envoy",
    "sanctions",
    "deadline",
    "proposal",
    "draft",
    "council",
    "summit",
    "pressure",
    "answer",
    "region",
    "security",
]


def fields_tuples() -> dict[str, tuple[str, ...]]:
    """Every `*_FIELDS` tuple of the modules that read records, by record kind (`SITE_FIELDS` → `site`)."""
    found = {}
    for module in (validate, parts, facts, siteconfig, parties, translated, roles):
        for name, value in vars(module).items():
            if name.endswith("_FIELDS") and isinstance(value, tuple):
                found[name.removesuffix("_FIELDS").lower()] = value
    return found


# ---------------------------------------------------------------------------------------------------------------
# The content, as data


@dataclass
class Content:
    """The site as plain data; `files()` is every file of it, by path relative to the site folder."""

    site: dict[str, Any]
    issues: dict[str, tuple[dict[str, Any], str]]  # id → (front matter, body)
    facts: dict[str, dict[str, dict[str, Any]]]  # kind → id → entry
    homes: dict[str, str]  # fact id → its file under content/
    theme: dict[str, bytes]  # templates/… and static/… files
    original_theme: dict[str, bytes]
    counter: int = 0  # for new ids, words and markers: unique within a sequence
    catalogues: dict[str, dict[str, str]] = field(default_factory=dict)  # content/i18n/<lang>.po: msgid → msgstr
    # content/issues/<id>.<lang>.md: (id, lang) → (front matter, body); written only while the card and the
    # language are there, cut to what the card has (a translation of what the card no longer has is an error)
    translations: dict[tuple[str, str], tuple[dict[str, Any], str]] = field(default_factory=dict)
    media: dict[str, bytes] = field(default_factory=dict)  # content/media/… files (`media/x.png` → bytes)

    def languages(self) -> list[str]:
        """site.yaml's `languages:`, the default first ([] when not given)."""
        listed = self.site.get("languages")
        return [str(tag) for tag in listed] if isinstance(listed, list) else []

    def fresh(self, stem: str) -> str:
        self.counter += 1
        return f"{stem}-{self.counter}"

    def ids(self, kind: str) -> list[str]:
        return list(self.issues) if kind == "issue" else list(self.facts[kind])

    def linkable(self) -> list[str]:
        return [*self.issues, *self.facts["actor"], *self.facts["event"]]

    def files(self) -> dict[str, bytes]:
        languages = self.languages()
        files = {"content/site.yaml": dump(in_languages(self.site, "site", languages)).encode()}
        for issue_id, (front, body) in self.issues.items():
            files[f"content/issues/{issue_id}.md"] = f"---\n{dump(front)}---\n{body}".encode()
        for (issue_id, language), (front, body) in self.translations.items():
            if issue_id in self.issues and language in languages[1:]:
                named = card_names(*self.issues[issue_id])
                cut, text = cut_to_card(front, self.issues[issue_id][0], named), cut_refs(body, named)
                files[f"content/issues/{issue_id}.{language}.md"] = f"---\n{dump(cut)}---\n{text}".encode()
        grouped: dict[str, dict[str, Any]] = {}
        for kind, entries in self.facts.items():
            for fact_id, entry in entries.items():
                grouped.setdefault(self.homes[fact_id], {})[fact_id] = in_languages(entry, FACTS[kind], languages)
        for home, entries in grouped.items():
            files[f"content/{home}"] = dump(entries).encode()
        for language, messages in self.catalogues.items():
            files[f"content/i18n/{language}.po"] = po_text(language, messages).encode()
        files |= {f"content/{name}": data for name, data in self.media.items()}
        return files | self.theme

    def images(self) -> list[str]:
        """The names of the image files (not a licence beside them), as content names them: `media/x.png`."""
        return [name for name in self.media if name.endswith((".png", ".jpg"))]


def in_languages(record: dict[str, Any], section: str, languages: list[str]) -> dict[str, Any]:
    """record with each text written by language (`name: {en: …, es: …}`) as the site's languages allow: by the
    default and the other languages it has, or (a site in one language) as its first text alone."""
    shown = dict(record)
    for key in FACT_TEXT_FIELDS[section]:
        value = record.get(key)
        if not isinstance(value, dict):
            continue
        shown[key] = texts_in(value, languages)
    if section == "actors" and isinstance(record.get("roles"), list):  # a role's title, too
        shown["roles"] = [
            item | {"title": texts_in(item["title"], languages)} if isinstance(item.get("title"), dict) else item
            for item in record["roles"]
        ]
    return shown


def texts_in(value: dict[str, Any], languages: list[str]) -> Any:
    """A text by language as the site's languages allow (in_languages)."""
    texts = list(value.values())
    if len(languages) < 2:
        return texts[0]
    others = {tag: value[tag] for tag in languages[1:] if tag in value}
    return {languages[0]: value.get(languages[0], texts[0])} | others


def card_names(card: dict[str, Any], body: str) -> set[str]:
    """Every id a card names (its lists, positions, quotes' speakers and sources, figures' sources, [[links]]): all a
    translation of it may link."""
    named: set[str] = set()
    for key in ("actors", "events", "sources"):
        listed = card.get(key) or []
        named.update(map(str, listed if isinstance(listed, list) else [listed]))
    stances = card.get("positions") or {}
    named.update(map(str, stances))
    texts = [body, *map(position_text, stances.values())]
    for name in ("quotes", "figures"):
        items = card.get(name) or []
        for item in items if isinstance(items, list) else [items]:
            if isinstance(item, dict):
                named.update(str(item[key]) for key in ("by", "source") if item.get(key))
                texts += [str(item[key]) for key in ("text", "context") if item.get(key)]
    named.update(match.group(1).strip() for text in texts for match in REF_RE.finditer(text))
    return named


def cut_refs(text: str, named: set[str]) -> str:
    """text with each [[link]] to an id its card does not name made plain text (its label, or the id's words)."""

    def one(match: re.Match[str]) -> str:
        target = match.group(1).strip()
        if target in named:
            return match.group(0)
        return match.group(2) if match.group(2) is not None else target.replace("-", " ")

    return REF_RE.sub(one, text) if "[[" in text else text


def cut_to_card(front: dict[str, Any], card: dict[str, Any], named: set[str]) -> dict[str, Any]:
    """A translation's front matter holding only what its card has: the positions of the card's actors, as many
    quotes, figures and change notes as the card (a quote's context only where the card's has one), and [[links]]
    only to what the card names."""
    cut = {key: front[key] for key in ("title", "summary") if key in front}
    stances = card.get("positions") or {}
    if front.get("positions"):
        kept = {actor: cut_refs(str(text), named) for actor, text in front["positions"].items() if actor in stances}
        if kept:
            cut["positions"] = kept
    for name in ("quotes", "figures", "changes"):
        theirs = card.get(name) or []
        theirs = theirs if isinstance(theirs, list) else [theirs]
        mine = [dict(item) for item in front.get(name) or []][: len(theirs)]
        for item, said in zip(mine, theirs, strict=False):
            if name == "quotes" and not (isinstance(said, dict) and said.get("context")):
                item.pop("context", None)
            for key in ("text", "context") if name == "quotes" else ():
                if key in item:
                    item[key] = cut_refs(str(item[key]), named)
        if mine:
            cut[name] = mine
    if "updated" in front:
        cut["updated"] = front["updated"]
    return cut


PLURAL_FORMS = {"en": 2, "de": 2, "fa": 2, "fr": 3}  # the languages catalogue edits write, with their plural forms
CATALOGUE_IDS = ("Where they stand", "Who’s who", "Sources", "Updated %(date)s", "%(count)s position")
PLURALS = {"%(count)s position": "%(count)s positions"}


def po_text(language: str, messages: dict[str, str]) -> str:
    """A site's .po file for language: msgid → msgstr (a plural's every form the same but for its number)."""
    lines = ['msgid ""', 'msgstr ""', '"Content-Type: text/plain; charset=utf-8\\n"', ""]
    for msgid, text in messages.items():
        lines.append(f'msgid "{msgid}"')
        if msgid in PLURALS:
            lines.append(f'msgid_plural "{PLURALS[msgid]}"')
            lines += [f'msgstr[{n}] "{text} {n}"' for n in range(PLURAL_FORMS[language])]
        else:
            lines.append(f'msgstr "{text}"')
        lines.append("")
    return "\n".join(lines)


class Dumper(yaml.SafeDumper):
    pass


def represent_text(dumper: yaml.SafeDumper, text: str) -> yaml.ScalarNode:
    style = "|" if "\n" in text else None  # PyYAML falls back to quotes where a block cannot hold the text
    return dumper.represent_scalar("tag:yaml.org,2002:str", text, style=style)


Dumper.add_representer(str, represent_text)


def dump(data: Any) -> str:
    return yaml.dump(data, Dumper=Dumper, sort_keys=False, allow_unicode=True)


def load_content(site: Path) -> Content:
    """The example site under site (content/, templates/, static/) as data, read by explainer's own loader (dates
    and `no` stay text, as the build reads them)."""
    diags = Diagnostics()

    def read(kind: str, path: Path) -> Any:
        doc = document_of(kind, path.read_bytes(), path.as_posix(), diags)
        assert doc.readable, diags.items
        return doc

    root = site / "content"
    site_data = read("site", root / "site.yaml").data
    issues, translations = {}, {}
    for path in sorted((root / "issues").glob("*.md")):
        if "." in path.stem:  # issues/<id>.<lang>.md
            doc = read("translation", path)
            issue_id, _, language = path.stem.partition(".")
            translations[(issue_id, language)] = (doc.data, doc.body)
            continue
        doc = read("issue", path)
        issues[path.stem] = (doc.data, doc.body)
    facts: dict[str, dict[str, dict[str, Any]]] = {kind: {} for kind in FACTS}
    homes = {}
    for kind, section in FACTS.items():
        paths = [root / f"{section}.yaml", *sorted((root / section).glob("*.yaml"))]
        for path in paths:
            if path.is_file():
                for fact_id, entry in (read(section, path).data or {}).items():
                    facts[kind][fact_id] = entry
                    homes[fact_id] = path.relative_to(root).as_posix()
    theme = {
        path.relative_to(site).as_posix(): path.read_bytes()
        for folder in ("templates", "static")
        for path in sorted((site / folder).rglob("*"))
        if path.is_file()
    }
    media = {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in sorted((root / "media").rglob("*"))
        if path.is_file()
    }
    return Content(site_data, issues, facts, homes, theme, dict(theme), translations=translations, media=media)


# ---------------------------------------------------------------------------------------------------------------
# Values: one generator per field of every kind. A generator gets (rng, content, the record being edited) and gives
# a new valid value, or REMOVE (only for fields that are not required: `edit_field` asks again otherwise).

Gen = Callable[[random.Random, Content, dict[str, Any]], Any]


def words(rng: random.Random, low: int = 2, high: int = 7) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(low, high)))


def prose(rng: random.Random, content: Content, record: dict[str, Any] | None = None) -> str:
    """Plain text a reader sees; now and then with what smart quotes change (quotes, apostrophes, dashes)."""
    text = words(rng).capitalize()
    extra = rng.choice(["", "", f' "{rng.choice(WORDS)}"', " it's", " -- then", "...", f" ({content.fresh('n')})"])
    return text + extra


def inline(rng: random.Random, content: Content, record: dict[str, Any] | None = None, links: bool = True) -> str:
    """One line of inline Markdown, maybe with a [[ref]], emphasis, code or quotes."""
    parts = [words(rng, 1, 4)]
    choice = rng.randrange(7)
    if choice == 0 and links:
        parts.append(f"[[{rng.choice(content.linkable())}]]")
    elif choice == 1 and links:
        parts.append(f"[[{rng.choice(content.linkable())}|{words(rng, 1, 3)}]]")
    elif choice == 2:
        parts.append(f"*{rng.choice(WORDS)}*")
    elif choice == 3:
        parts.append(f"`{rng.choice(WORDS)}`")
    elif choice == 4:
        parts.append(f'"{rng.choice(WORDS)}" -- {rng.choice(WORDS)}')
    elif choice == 5:
        parts.append(f"<em>{rng.choice(WORDS)}</em>")  # raw HTML: left out with a warning unless allow_html
    parts.append(words(rng, 1, 4) + ".")
    return " ".join(parts)


def wrapped_ref(rng: random.Random, content: Content) -> str:
    """`[[id|label\\nlabel]]`: a ref whose label wraps onto the next line."""
    return f"[[{rng.choice(content.linkable())}|{words(rng, 1, 2)}\n{words(rng, 1, 2)}]]"


def markdown(rng: random.Random, content: Content, record: dict[str, Any] | None = None) -> str:
    """A Markdown text of one to three paragraphs (a ref may wrap across a line)."""
    paragraphs = []
    for _ in range(rng.randint(1, 3)):
        text = inline(rng, content)
        if rng.random() < 0.25:
            text += f"\nSee {wrapped_ref(rng, content)} too."
        paragraphs.append(text)
    return "\n\n".join(paragraphs)


def citation(rng: random.Random, content: Content) -> str:
    """`[[@source-id]]` or `[[@source-id, locator]]` (a link when there is no source to cite)."""
    sources = content.ids("source")
    if not sources:
        return f"[[{rng.choice(content.linkable())}]]"
    locator = rng.choice(["", "", ", p. 3", f", {words(rng, 1, 2)}", ", annex I"])
    return f"[[@{rng.choice(sources)}{locator}]]"


def card_markdown(rng: random.Random, content: Content, record: dict[str, Any] | None = None) -> str:
    """Markdown of an issue card (a position, a quote): now and then with a citation at a claim."""
    text = markdown(rng, content)
    return text + citation(rng, content) if rng.random() < 0.4 else text


def date(rng: random.Random, low: int = 1990, high: int = 2023) -> str:
    year = rng.randint(low, high)
    precision = rng.randrange(3)
    if precision == 0:
        return str(year)
    if precision == 1:
        return f"{year}-{rng.randint(1, 12):02d}"
    return f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"


def optional(gen: Gen, remove: float = 0.25) -> Gen:
    return lambda rng, content, record: REMOVE if rng.random() < remove else gen(rng, content, record)


def some(kind: str, most: int = 4, exclude: Callable[[dict[str, Any]], set[str]] = lambda record: set()) -> Gen:
    """A list of ids of kind (maybe empty)."""

    def gen(rng: random.Random, content: Content, record: dict[str, Any]) -> Any:
        choices = [i for i in content.ids(kind) if i not in exclude(record)]
        return rng.sample(choices, rng.randint(0, min(most, len(choices))))

    return optional(gen, 0.15)


def one(kind: str) -> Gen:
    return lambda rng, content, record: rng.choice(content.ids(kind))


def url(rng: random.Random, content: Content, record: dict[str, Any] | None = None) -> str:
    return f"https://{rng.choice(['example.org', 'news.example.com'])}/{content.fresh('page')}"


def snapshot(rng: random.Random, content: Content, record: dict[str, Any] | None = None) -> str:
    """A Wayback Machine address of the record's url (or another), its time stamp or none."""
    stamp = rng.choice(["2022011009", "20220110093000", ""])
    return f"https://web.archive.org/web/{stamp}/{(record or {}).get('url') or url(rng, content)}"


def date_gen(rng: random.Random, content: Content, record: dict[str, Any]) -> str:
    return date(rng)


def end_date(rng: random.Random, content: Content, record: dict[str, Any]) -> str:
    if rng.random() < 0.15:
        return "ongoing"
    return about(rng, date(rng, year_of(record["date"]) + 1, year_of(record["date"]) + 3))  # never before `date`


def event_date(rng: random.Random, content: Content, record: dict[str, Any]) -> str:
    """An event's date, now and then approximate (`~2003`, `~2003-05`)."""
    return about(rng, date(rng))


def about(rng: random.Random, when: str) -> str:
    """when, or now and then (not to the day) `~when`."""
    return f"~{when}" if when.count("-") < 2 and rng.random() < 0.2 else when


def year_of(when: Any) -> int:
    return int(str(when).removeprefix("~")[:4])


def choice(*values: Any) -> Gen:
    return lambda rng, content, record: rng.choice(values)


def author(rng: random.Random, content: Content, record: dict[str, Any] | None = None) -> Any:
    """A name (a person), or a mapping with some of AUTHOR_FIELDS."""
    if rng.random() < 0.4:
        return prose(rng, content)
    return new_record(rng, content, "author")


def authors(rng: random.Random, content: Content, record: dict[str, Any]) -> Any:
    shape = rng.randrange(4)
    if shape == 0:
        return author(rng, content)  # one entry alone
    if shape == 1:
        return [prose(rng, content) for _ in range(rng.randint(1, 3))]  # names
    return edit_records(rng, content, record.get("authors"), "author")  # an entry added, removed or edited


def publisher(rng: random.Random, content: Content, record: dict[str, Any]) -> Any:
    current = record.get("publisher")
    if rng.random() < 0.3 or not isinstance(current, dict):
        return prose(rng, content) if rng.random() < 0.4 else new_record(rng, content, "publisher")
    changed = dict(current)
    edit_field(rng, content, "publisher", changed, rng.choice(PUBLISHER_FIELDS))
    return changed


def position_text(position: Any) -> str:
    """A position's text: the value, or a `{text, stance}` mapping's text."""
    return str(position.get("text", "")) if isinstance(position, dict) else str(position)


def with_text(position: Any, change: Callable[[str], str]) -> Any:
    """position with its text made change(text), in the form it is written."""
    return position | {"text": change(position_text(position))} if isinstance(position, dict) else change(str(position))


def stance_of(rng: random.Random, content: Content) -> Any:
    """A position: Markdown text, or now and then `{text, stance}`."""
    text = card_markdown(rng, content)
    return {"text": text, "stance": rng.choice(STANCES)} if rng.random() < 0.35 else text


def position_edit(name: str) -> Edit:
    """A field of one position written `{text, stance}` (a plain one made so first)."""

    def apply(rng: random.Random, content: Content) -> str:
        issue_id = rng.choice(content.ids("issue"))
        front = content.issues[issue_id][0]
        stances = front.setdefault("positions", {})
        if not stances:
            stances[rng.choice(content.ids("actor"))] = markdown(rng, content)
        actor = rng.choice(list(stances))
        item = stances[actor] if isinstance(stances[actor], dict) else {"text": stances[actor]}
        edit_field(rng, content, "position", item, name)
        stances[actor] = item
        return f"position of {actor} on {issue_id}.{name} = {item.get(name, '(removed)')!r}"

    return apply


def positions(rng: random.Random, content: Content, record: dict[str, Any]) -> Any:
    """Positions: one added, one removed, one's text edited, or a new mapping."""
    current = dict(record.get("positions") or {})
    op = rng.choice(["add", "remove", "edit", "edit", "new"])
    absent = [a for a in content.ids("actor") if a not in current]
    if (op == "add" and absent) or not current:
        current[rng.choice(absent)] = stance_of(rng, content)
    elif op == "remove":
        del current[rng.choice(list(current))]
    elif op == "edit":
        current[rng.choice(list(current))] = stance_of(rng, content)
    else:
        actors = rng.sample(content.ids("actor"), rng.randint(0, 3))
        current = {actor: stance_of(rng, content) for actor in actors}
    return current or REMOVE


def records_of(kind: str) -> Gen:
    return lambda rng, content, record: edit_records(rng, content, record.get(f"{kind}s"), kind) or REMOVE


def links(rng: random.Random, content: Content, record: dict[str, Any]) -> Any:
    return {words(rng, 1, 2).capitalize(): url(rng, content) for _ in range(rng.randint(0, 2))} or REMOVE


def aliases(rng: random.Random, content: Content, record: dict[str, Any]) -> Any:
    return [prose(rng, content) for _ in range(rng.randint(0, 3))] or REMOVE


def memberships(rng: random.Random, content: Content, record: dict[str, Any]) -> Any:
    """`member_of`: ids (not the actor's own), now and then one as `{id, from, to}`."""
    ids = some("actor", 2, exclude=lambda record: {record["@id"]})(rng, content, record)
    if ids is REMOVE:
        return REMOVE
    return [i if rng.random() < 0.6 else new_record(rng, content, "membership") | {"id": i} for i in ids]


def site_languages(rng: random.Random, content: Content, record: dict[str, Any]) -> Any:
    """`languages:`, the site's language first (edit_field keeps it first when `language` changes after)."""
    others = rng.sample(["es", "fa", "fr", "de", "ar"], rng.randint(0, 2))
    first = record.get("language", "en")
    return [first, *[tag for tag in others if tag != first]]


def picture(rng: random.Random) -> tuple[str, bytes]:
    """A new image file's suffix and bytes: a drawing of a random size (some wider than 480 px) and colour."""
    from PIL import Image, ImageDraw

    width, height = rng.randint(120, 1100), rng.randint(90, 700)
    image = Image.new("RGB", (width, height), tuple(rng.randrange(256) for _ in range(3)))
    box = sorted(rng.sample(range(width), 2)), sorted(rng.sample(range(height), 2))
    ImageDraw.Draw(image).rectangle((box[0][0], box[1][0], box[0][1], box[1][1]),
                                    fill=tuple(rng.randrange(256) for _ in range(3)))  # fmt: skip
    suffix = rng.choice([".png", ".jpg"])
    out = io.BytesIO()
    image.save(out, "PNG" if suffix == ".png" else "JPEG", quality=85)
    return suffix, out.getvalue()


def image_value(rng: random.Random, content: Content, record: dict[str, Any]) -> Any:
    """A card's, actor's or event's `image:` naming one of the image files (a new one if there is none)."""
    if not content.images():
        media_add(rng, content)
    return new_record(rng, content, "image")


def by_language(gen: Gen) -> Gen:
    """A text field's value: gen's text, or now and then (a site in several languages) a mapping by language,
    the default's text first and some of the others'."""

    def mapped(rng: random.Random, content: Content, record: dict[str, Any]) -> Any:
        value = gen(rng, content, record)
        languages = content.languages()
        if value is REMOVE or len(languages) < 2 or rng.random() < 0.5:
            return value
        others = [tag for tag in languages[1:] if rng.random() < 0.7]
        return {languages[0]: value} | {tag: gen(rng, content, record) for tag in others}

    return mapped


def translated_positions(rng: random.Random, content: Content, record: dict[str, Any]) -> Any:
    """Some of the card's positions in other words (files() leaves out any the card no longer has)."""
    stances = list(content.issues[record["@id"]][0].get("positions") or {})
    chosen = [actor for actor in stances if rng.random() < 0.8]
    return {actor: markdown(rng, content) for actor in chosen} or REMOVE


def translated_items(kind: str) -> Gen:
    """As many quotes, figures or change notes as the card has (now and then fewer), their texts in other words."""

    def gen(rng: random.Random, content: Content, record: dict[str, Any]) -> Any:
        theirs = content.issues[record["@id"]][0].get(f"{kind}s") or []
        items = []
        for said in (theirs if isinstance(theirs, list) else [theirs])[: rng.randint(0, 4)]:
            if kind == "quote":
                item = {"text": markdown(rng, content)}
                if isinstance(said, dict) and said.get("context"):
                    item["context"] = inline(rng, content)
            else:
                item = {"label" if kind == "figure" else "text": prose(rng, content)}
            items.append(item)
        return items or REMOVE

    return gen


ISSUE_STATUSES = ("deadlocked", "open", "under discussion", "agreed", "talks")

VALUES: dict[str, dict[str, Gen]] = {
    "site": {
        "title": by_language(prose),
        "description": by_language(prose),
        "subtitle": optional(by_language(prose)),
        "language": optional(choice("en", "en-GB", "fr", "de", "fa", "ar")),
        "languages": optional(site_languages),
        "base_url": optional(
            choice("https://example.org/", "https://news.example.com/explainers/russia/", "/", "/sub/")
        ),
        "updated": optional(date_gen),
        "authors": optional(authors),
        "publisher": optional(publisher),
        "smart_quotes": optional(choice(True, False)),
        "allow_html": optional(choice(True, False)),
        "map_agreement": optional(choice(1, 2, 3)),
    },
    "author": {"name": prose, "kind": optional(choice(*PARTY_KINDS)), "url": optional(url)},
    "publisher": {"name": prose, "url": optional(url), "logo": optional(url)},
    "issue": {
        "title": prose,
        "summary": prose,
        "order": optional(lambda rng, content, record: rng.randint(-2, 12)),
        "status": optional(choice(*ISSUE_STATUSES)),
        "actors": some("actor"),
        "events": some("event"),
        "positions": positions,
        "quotes": records_of("quote"),
        "figures": records_of("figure"),
        "sources": some("source"),
        "updated": optional(date_gen),
        "published": optional(date_gen),
        "draft": optional(choice(True, False)),
        "changes": records_of("change"),
        "corrections": records_of("correction"),
        "image": optional(image_value),
    },
    "quote": {
        "by": one("actor"),
        "text": card_markdown,
        "date": optional(date_gen),
        "source": optional(one("source")),
        "context": optional(inline),
        "original": optional(markdown),
        "lang": optional(choice("en", "ru", "uk", "fa", "ar")),
    },
    "figure": {
        "value": choice("42", "2008", "1,500 km", "3 %", "about 100,000", "two"),
        "label": prose,
        "source": optional(one("source")),
    },
    "change": {"date": date_gen, "text": prose},
    "correction": {"date": date_gen, "text": prose},
    "actor": {
        "name": by_language(prose),
        "short": optional(by_language(lambda rng, content, record: rng.choice(WORDS).capitalize())),
        "kind": choice(*ACTOR_KINDS),
        "role": optional(by_language(prose)),
        "roles": records_of("role"),
        "member_of": memberships,
        "aliases": aliases,
        "summary": optional(by_language(markdown)),
        "links": links,
        "image": optional(image_value),
    },
    "position": {"text": markdown, "stance": optional(choice(*STANCES))},
    "role": {"title": by_language(prose), "from": optional(date_gen), "to": optional(date_gen)},
    "membership": {"id": one("actor"), "from": optional(date_gen), "to": optional(date_gen)},
    "event": {
        "title": by_language(prose),
        "short": optional(by_language(lambda rng, content, record: words(rng, 1, 2).capitalize())),
        "date": event_date,
        "end": optional(end_date),
        "place": optional(by_language(prose)),
        "actors": some("actor"),
        "issues": some("issue", 2),
        "summary": optional(by_language(markdown)),
        "sources": some("source", 2),
        "image": optional(image_value),
    },
    "image": {
        "src": lambda rng, content, record: rng.choice(content.images()),
        "alt": lambda rng, content, record: rng.choice([prose(rng, content), prose(rng, content), ""]),
        "caption": optional(prose),
        "credit": optional(lambda rng, content, record: f"Photo: {words(rng, 1, 3).capitalize()}"),
    },
    "source": {
        "title": by_language(prose),
        "publisher": optional(by_language(prose)),
        "url": optional(url),
        "date": optional(date_gen),
        "archived": optional(snapshot),
        "accessed": optional(date_gen),
        "author": optional(prose),
        "kind": optional(choice(*SOURCE_KINDS)),
        "quote": optional(prose),
    },
    "translation": {  # issues/<id>.<lang>.md; "@id" is its card's
        "title": prose,
        "summary": prose,
        "positions": translated_positions,
        "quotes": translated_items("quote"),
        "figures": translated_items("figure"),
        "changes": translated_items("change"),
        "updated": optional(date_gen),
    },
}
PUBLISHER_FIELDS = parties.PUBLISHER_FIELDS


def missing_generators() -> list[str]:
    """`kind.field` for every field of a `*_FIELDS` tuple that has no value generator (and every kind with none)."""
    return [
        f"{kind}.{name}"
        for kind, names in fields_tuples().items()
        for name in names
        if name not in VALUES.get(kind, {})
    ]


def edit_field(rng: random.Random, content: Content, kind: str, record: dict[str, Any], name: str) -> None:
    """Set field name of record (of kind) to a new valid value, or take it out; then mend what depends on it."""
    value = VALUES[kind][name](rng, content, record)
    while value is REMOVE and name in REQUIRED[kind]:
        value = VALUES[kind][name](rng, content, record)
    if value is REMOVE:
        record.pop(name, None)
    else:
        record[name] = value
    end = record.get("end", "ongoing")
    if kind == "event" and end != "ongoing" and year_of(end) <= year_of(record["date"]):
        del record["end"]  # `end` before `date` is an error: a new date past it takes it out
    if kind == "site" and "languages" in record and "language" in record:  # the default language comes first
        record["languages"] = [record["language"], *[t for t in record["languages"] if t != record["language"]]]
    if kind in ("role", "membership") and "to" in record and year_of(record["to"]) <= year_of(record.get("from", 0)):
        del record["to"]  # `to` before `from` is an error
    if kind == "quote" and "original" in record and "lang" not in record:
        record["lang"] = rng.choice(["en", "fa"])  # an original without its language is an error


def new_record(rng: random.Random, content: Content, kind: str, record_id: str | None = None) -> dict[str, Any]:
    """A record of kind with its required fields and some optional ones, in the tuple's order."""
    record: dict[str, Any] = {"@id": record_id} if record_id else {}
    for name in fields_tuples()[kind]:
        if name in REQUIRED[kind] or rng.random() < 0.4:
            edit_field(rng, content, kind, record, name)
    record.pop("@id", None)
    return record


def edit_records(rng: random.Random, content: Content, current: Any, kind: str) -> list[Any]:
    """A list of records (quotes, figures, changes, authors): one added, removed, or one field of one edited."""
    items = copy.deepcopy(current if isinstance(current, list) else [current] if current else [])
    op = rng.choice(["add", "remove", "edit", "edit"])
    if op == "add" or not items:
        items.insert(rng.randint(0, len(items)), new_record(rng, content, kind))
    elif op == "remove":
        items.pop(rng.randrange(len(items)))
    else:
        index = rng.randrange(len(items))
        if not isinstance(items[index], dict):  # an author given by name alone
            items[index] = {"name": items[index]}
        edit_field(rng, content, kind, items[index], rng.choice(fields_tuples()[kind]))
    return items


# ---------------------------------------------------------------------------------------------------------------
# References: every place an id is written, for removals and renames


def replace_refs(text: str, old: str, new: str | None, name: str) -> str:
    """Each [[old]] / [[old|label]] in a Markdown text made [[new…]], or (new None) its label or name as text."""

    def one(match: re.Match[str]) -> str:
        if match.group(1).strip() != old:
            return match.group(0)
        if new is None:
            return match.group(2) if match.group(2) is not None else name
        whole, start = match.group(0), match.start(0)
        return whole[: match.start(1) - start] + new + whole[match.end(1) - start :]

    return REF_RE.sub(one, text) if "[[" in text else text


def replace_cites(text: str, old: str, new: str | None) -> str:
    """Each [[@old…]] in a Markdown text made [[@new…]], or (new None) taken out."""

    def one(match: re.Match[str]) -> str:
        if match.group(1).strip() != old:
            return match.group(0)
        if new is None:
            return ""
        whole, start = match.group(0), match.start(0)
        return whole[: match.start(1) - start] + new + whole[match.end(1) - start :]

    return CITE_RE.sub(one, text) if "[[@" in text else text


ID_LISTS = {
    "issue": {"actors": "actor", "events": "event", "sources": "source"},
    "event": {"actors": "actor", "issues": "issue", "sources": "source"},
    "actor": {"member_of": "actor"},
}


def rewrite_id(content: Content, kind: str, old: str, new: str | None) -> None:
    """Every reference to old (of kind) made new, or (new None) taken out: lists, keys, quotes, [[refs]]."""
    name = old.replace("-", " ")

    def text(value: str) -> str:
        return replace_refs(value, old, new, name) if kind != "source" else replace_cites(value, old, new)

    def ids(values: Any) -> Any:  # a `member_of` entry may be `{id, from, to}`
        values = values if isinstance(values, list) else [values]
        named = [(v.get("id") if isinstance(v, dict) else v, v) for v in values]
        return [
            (v | {"id": new} if isinstance(v, dict) else new) if i == old else v
            for i, v in named
            if i != old or new is not None
        ]

    for issue_id, (front, body) in list(content.issues.items()):
        for name_, target in ID_LISTS["issue"].items():
            if target == kind and name_ in front:
                front[name_] = ids(front[name_])
        if "positions" in front:
            front["positions"] = {
                (new if actor == old and kind == "actor" else actor): with_text(stance, text)
                for actor, stance in front["positions"].items()
                if not (actor == old and kind == "actor" and new is None)
            }
        for list_name in ("quotes", "figures"):
            kept = []
            for item in front.get(list_name, []):
                if kind == "actor" and item.get("by") == old:
                    if new is None:
                        continue
                    item["by"] = new
                if kind == "source" and item.get("source") == old:
                    item.pop("source") if new is None else item.__setitem__("source", new)
                for key in ("text", "context", "original"):
                    if key in item:
                        item[key] = text(str(item[key]))
                kept.append(item)
            if list_name in front:
                front[list_name] = kept
        content.issues[issue_id] = (front, text(body))
    for fact_kind, entries in content.facts.items():
        for entry in entries.values():
            for name_, target in ID_LISTS.get(fact_kind, {}).items():
                if target == kind and name_ in entry:
                    entry[name_] = ids(entry[name_])
            if "summary" in entry and fact_kind != "source":
                summary = entry["summary"]  # one text, or one by language
                entry["summary"] = {k: text(str(v)) for k, v in summary.items()} if isinstance(summary, dict) else text(
                    str(summary)
                )
    for key, (front, body) in list(content.translations.items()):
        if kind == "issue" and key[0] == old:
            del content.translations[key]
            if new is None:
                continue
            key = (new, key[1])
        if "positions" in front:
            front["positions"] = {
                (new if actor == old and kind == "actor" and new else actor): text(str(stance))
                for actor, stance in front["positions"].items()
            }
        for item in front.get("quotes") or []:
            for name_ in ("text", "context"):
                if name_ in item:
                    item[name_] = text(str(item[name_]))
        content.translations[key] = (front, text(body))


# ---------------------------------------------------------------------------------------------------------------
# Edits: each applies one change to the content and says what it did


@dataclass
class Override:
    """An error step's files, written over the model's for one step; what build and serve must report."""

    files: dict[str, bytes | None]
    expect: str  # a fragment of the error message


Edit = Callable[[random.Random, Content], "str | Override"]


def field_edit(kind: str, name: str) -> Edit:
    def apply(rng: random.Random, content: Content) -> str:
        if kind == "site":
            edit_field(rng, content, "site", content.site, name)
            return f"site.{name} = {content.site.get(name, '(removed)')!r}"
        record_id = rng.choice(content.ids(kind))
        record = content.issues[record_id][0] if kind == "issue" else content.facts[kind][record_id]
        record["@id"] = record_id
        edit_field(rng, content, kind, record, name)
        del record["@id"]
        return f"{kind} {record_id}.{name} = {record.get(name, '(removed)')!r}"

    return apply


def sub_edit(kind: str, name: str) -> Edit:
    """A field of one quote, figure or change of a card, or of an author or the publisher of site.yaml."""

    def apply(rng: random.Random, content: Content) -> str:
        if kind in ("author", "publisher"):
            current = content.site.get(f"{kind}s" if kind == "author" else kind)
            items = current if isinstance(current, list) else [current] if current else []
            if not items:
                items = [new_record(rng, content, kind)]
            index = rng.randrange(len(items))
            item = items[index] if isinstance(items[index], dict) else {"name": items[index]}
            edit_field(rng, content, kind, item, name)
            items[index] = item
            content.site["authors" if kind == "author" else "publisher"] = items if kind == "author" else item
            return f"site {kind} {index}.{name} = {item.get(name, '(removed)')!r}"
        if kind == "image":
            return image_field_edit(rng, content, name)
        issue_id = rng.choice(content.ids("issue"))
        front = content.issues[issue_id][0]
        items = front.setdefault(f"{kind}s", [])
        if not items:
            items.append(new_record(rng, content, kind))
        index = rng.randrange(len(items))
        edit_field(rng, content, kind, items[index], name)
        return f"{kind} {index} of {issue_id}.{name} = {items[index].get(name, '(removed)')!r}"

    return apply


def actor_item_edit(kind: str, name: str) -> Edit:
    """A field of one of an actor's dated roles (`roles`) or memberships (`member_of`, a plain id made `{id: …}`)."""
    key = "roles" if kind == "role" else "member_of"

    def apply(rng: random.Random, content: Content) -> str:
        actor_id = rng.choice(content.ids("actor"))
        record = content.facts["actor"][actor_id]
        record["@id"] = actor_id
        current = record.get(key)
        items = current if isinstance(current, list) else [current] if current else []
        others = [i for i in content.ids("actor") if i != actor_id]
        if not items:
            items = [new_record(rng, content, kind) | ({"id": rng.choice(others)} if kind == "membership" else {})]
        index = rng.randrange(len(items))
        item = items[index] if isinstance(items[index], dict) else {"id": items[index]}
        edit_field(rng, content, kind, item, name)
        if kind == "membership" and item["id"] == actor_id:  # no actor is a member of itself
            item["id"] = rng.choice(others)
        items[index] = item
        record[key] = items
        del record["@id"]
        return f"actor {actor_id} {kind} {index}.{name} = {item.get(name, '(removed)')!r}"

    return apply


def body_edit(how: str) -> Edit:
    def apply(rng: random.Random, content: Content) -> str:
        issue_id = rng.choice(content.ids("issue"))
        front, body = content.issues[issue_id]
        paragraphs = body.rstrip("\n").split("\n\n") if body.strip() else []
        if how == "ref":
            new = f"{inline(rng, content, links=False)} See [[{rng.choice(content.linkable())}]]."
        elif how == "cite":
            new = f"{inline(rng, content, links=False)}{citation(rng, content)} {words(rng)}.{citation(rng, content)}"
        elif how == "image":
            if not content.images():
                media_add(rng, content)
            title = rng.choice(["", f' "{words(rng).capitalize()}. Photo: {words(rng, 1, 2).capitalize()}"'])
            new = f"![{words(rng)}]({rng.choice(content.images())}{title})"
            if rng.random() < 0.3:  # inside a sentence, not a figure
                new = f"{words(rng)} {new} {words(rng)}."
        elif how == "wrapped-ref":
            new = f"{words(rng)} {wrapped_ref(rng, content)} {words(rng)}."
        else:
            new = rng.choice(
                [markdown(rng, content), f"## {words(rng, 1, 3).capitalize()}", f"- {words(rng)}\n- {words(rng)}"]
            )
        op = rng.choice(["insert", "replace", "delete"]) if how == "text" and paragraphs else "insert"
        at = rng.randrange(len(paragraphs) + (op == "insert"))
        if op == "insert":
            paragraphs.insert(at, new)
        elif op == "replace":
            paragraphs[at] = new
        else:
            paragraphs.pop(at)
        content.issues[issue_id] = (front, "\n\n".join(paragraphs) + "\n")
        return f"issue {issue_id} body: {op} paragraph {at} ({how})"

    return apply


def some_languages(rng: random.Random, content: Content) -> list[str]:
    """The site's languages but the default; a site in one language is given a second (es, or fr) first."""
    languages = content.languages()
    if len(languages) < 2:
        first = str(content.site.get("language", languages[0] if languages else "en"))
        languages = [first, "es" if first != "es" else "fr"]
        content.site["languages"] = languages
    return languages[1:]


def new_translation(rng: random.Random, content: Content, issue_id: str) -> tuple[dict[str, Any], str]:
    front: dict[str, Any] = {"@id": issue_id}
    for name in fields_tuples()["translation"]:
        if name in REQUIRED["translation"] or rng.random() < 0.6:
            edit_field(rng, content, "translation", front, name)
    del front["@id"]
    return front, (markdown(rng, content) + "\n" if rng.random() < 0.8 else "")


def add_translation(rng: random.Random, content: Content) -> str:
    language = rng.choice(some_languages(rng, content))
    issue_id = rng.choice(content.ids("issue"))
    content.translations[(issue_id, language)] = new_translation(rng, content, issue_id)
    return f"translation {issue_id}.{language}.md added"


def shown_translations(content: Content) -> list[tuple[str, str]]:
    """The translations written as files: of a card that is there, into one of the site's other languages."""
    others = content.languages()[1:]
    return [key for key in content.translations if key[0] in content.issues and key[1] in others]


def remove_translation(rng: random.Random, content: Content) -> str:
    shown = shown_translations(content)
    if not shown:
        return add_translation(rng, content)
    issue_id, language = rng.choice(shown)
    del content.translations[(issue_id, language)]
    return f"translation {issue_id}.{language}.md removed"


def rename_translation(rng: random.Random, content: Content) -> str:
    """A translation's file named for another card (its texts kept where that card has the same)."""
    shown = shown_translations(content)
    if not shown:
        return add_translation(rng, content)
    issue_id, language = rng.choice(shown)
    other = rng.choice(content.ids("issue"))
    content.translations[(other, language)] = content.translations.pop((issue_id, language))
    return f"translation {issue_id}.{language}.md renamed {other}.{language}.md"


def translation_edit(name: str) -> Edit:
    """A field of a translation (or its body) given a new text, or taken out."""

    def apply(rng: random.Random, content: Content) -> str:
        shown = shown_translations(content)
        if not shown:
            return add_translation(rng, content)
        issue_id, language = rng.choice(shown)
        front, body = content.translations[(issue_id, language)]
        if name == "body":
            body = rng.choice(["", markdown(rng, content) + "\n", body + "\n" + inline(rng, content) + "\n"])
            content.translations[(issue_id, language)] = (front, body)
            return f"translation {issue_id}.{language}.md body: {len(body)} characters"
        front["@id"] = issue_id
        edit_field(rng, content, "translation", front, name)
        del front["@id"]
        return f"translation {issue_id}.{language}.md {name} = {front.get(name, '(removed)')!r}"

    return apply


def add_card(rng: random.Random, content: Content) -> str:
    issue_id = content.fresh("new-issue")
    content.issues[issue_id] = (new_record(rng, content, "issue", issue_id), markdown(rng, content) + "\n")
    return f"card {issue_id} added"


def remove_card(rng: random.Random, content: Content) -> str:
    if len(content.issues) <= MINIMUM["issue"]:
        return add_card(rng, content)
    issue_id = rng.choice(content.ids("issue"))
    del content.issues[issue_id]
    rewrite_id(content, "issue", issue_id, None)
    return f"card {issue_id} removed, its references with it"


def rename_card(rng: random.Random, content: Content) -> str:
    old = rng.choice(content.ids("issue"))
    new = content.fresh("renamed")
    content.issues = {new if key == old else key: value for key, value in content.issues.items()}
    rewrite_id(content, "issue", old, new)
    return f"card {old} renamed {new}, its references with it"


def home_for(rng: random.Random, kind: str, fact_id: str) -> str:
    section = FACTS[kind]
    return rng.choice([f"{section}.yaml", f"{section}/more.yaml", f"{section}/{fact_id}.yaml"])


def add_fact(kind: str) -> Edit:
    def apply(rng: random.Random, content: Content) -> str:
        fact_id = content.fresh(f"new-{kind}")
        content.facts[kind][fact_id] = new_record(rng, content, kind, fact_id)
        content.homes[fact_id] = home_for(rng, kind, fact_id)
        return f"{kind} {fact_id} added in {content.homes[fact_id]}"

    return apply


def remove_fact(kind: str) -> Edit:
    def apply(rng: random.Random, content: Content) -> str:
        if len(content.facts[kind]) <= MINIMUM[kind]:
            return add_fact(kind)(rng, content)
        fact_id = rng.choice(content.ids(kind))
        del content.facts[kind][fact_id], content.homes[fact_id]
        rewrite_id(content, kind, fact_id, None)
        return f"{kind} {fact_id} removed, its references with it"

    return apply


def rename_fact(rng: random.Random, content: Content) -> str:
    kind = rng.choice(list(FACTS))
    old = rng.choice(content.ids(kind))
    new = content.fresh(f"renamed-{kind}")
    content.facts[kind] = {new if key == old else key: value for key, value in content.facts[kind].items()}
    content.homes[new] = content.homes.pop(old)
    rewrite_id(content, kind, old, new)
    return f"{kind} {old} renamed {new}, its references with it"


def move_fact(rng: random.Random, content: Content) -> str:
    """A record moved between its section's file and the per-file folder (`actors.yaml` ↔ `actors/x.yaml`)."""
    kind = rng.choice(list(FACTS))
    fact_id = rng.choice(content.ids(kind))
    before = content.homes[fact_id]
    content.homes[fact_id] = home_for(rng, kind, fact_id)
    return f"{kind} {fact_id} moved from {before} to {content.homes[fact_id]}"


def media_add(rng: random.Random, content: Content) -> str:
    suffix, data = picture(rng)
    name = f"media/{rng.choice(['', 'maps/'])}{content.fresh('picture')}{suffix}"
    content.media[name] = data
    return f"{name} added"


def media_replace(rng: random.Random, content: Content) -> str:
    """An image saved again with other bytes (and perhaps another size) under its name."""
    if not content.images():
        return media_add(rng, content)
    name = rng.choice(content.images())
    suffix, data = picture(rng)
    while suffix != name[-4:]:
        suffix, data = picture(rng)
    content.media[name] = data
    return f"{name} replaced"


def media_rename(rng: random.Random, content: Content) -> str:
    if not content.images():
        return media_add(rng, content)
    old = rng.choice(content.images())
    new = f"media/{rng.choice(['', 'maps/'])}{content.fresh('renamed-picture')}{old[-4:]}"
    content.media[new] = content.media.pop(old)
    rewrite_image(content, old, new)
    return f"{old} renamed {new}, its uses with it"


def media_remove(rng: random.Random, content: Content) -> str:
    if not content.images():
        return media_add(rng, content)
    name = rng.choice(content.images())
    del content.media[name]
    rewrite_image(content, name, None)
    return f"{name} removed, its uses with it"


def rewrite_image(content: Content, old: str, new: str | None) -> None:
    """Every use of image old named new, or (new None) taken out: `image:` fields and Markdown images."""
    written = re.compile(r"!\[([^\]\n]*)\]\(" + re.escape(old) + r"((?:\s+\"[^\"]*\")?)\)")

    def text(value: str) -> str:
        if new is None:
            return written.sub(lambda m: m.group(1), value)
        return written.sub(lambda m: f"![{m.group(1)}]({new}{m.group(2)})", value)

    records = [front for front, _ in content.issues.values()]
    records += [entry for entries in content.facts.values() for entry in entries.values()]
    for record in records:
        image = record.get("image")
        if isinstance(image, dict) and image.get("src") == old:
            record.pop("image") if new is None else image.__setitem__("src", new)
        if isinstance(record.get("summary"), str):
            record["summary"] = text(record["summary"])
        for quote in record.get("quotes", []) if isinstance(record.get("quotes"), list) else []:
            for key in ("text", "context", "original"):
                if isinstance(quote.get(key), str):
                    quote[key] = text(quote[key])
    for issue_id, (front, body) in content.issues.items():
        content.issues[issue_id] = (front, text(body))


def image_field_edit(rng: random.Random, content: Content, name: str) -> str:
    """One field of the image of a card, actor or event (an image given to one that has none)."""
    kind = rng.choice(["issue", "actor", "event"])
    record_id = rng.choice(content.ids(kind))
    record = content.issues[record_id][0] if kind == "issue" else content.facts[kind][record_id]
    if not isinstance(record.get("image"), dict):
        record["image"] = image_value(rng, content, record)
    edit_field(rng, content, "image", record["image"], name)
    return f"{kind} {record_id} image.{name} = {record['image'].get(name, '(removed)')!r}"


TEMPLATE_ANCHOR = re.compile(r"\{% (?:block main|macro (?:status|date|source_item)\([^)]*\)) -?%\}")


def template_edit(rng: random.Random, content: Content) -> str:
    names = sorted(
        rel
        for rel in content.theme
        if rel.startswith("templates/") and TEMPLATE_ANCHOR.search(content.theme[rel].decode())
    )
    rel = rng.choice(names)
    text = content.theme[rel].decode()
    marker = rng.choice(
        [f"<!--{content.fresh('marker')}-->", f"<span hidden>{content.fresh('m')} {{{{ site.title }}}}</span>"]
    )
    anchor = TEMPLATE_ANCHOR.search(text)
    assert anchor
    at = anchor.start() if rel == "templates/base.html" else anchor.end()  # base's own block main is overridden
    content.theme[rel] = (text[:at] + marker + text[at:]).encode()
    return f"{rel}: {marker} inserted"


def theme_restore(folder: str) -> Edit:
    def apply(rng: random.Random, content: Content) -> str:
        changed = sorted(
            rel for rel in content.theme.keys() | content.original_theme.keys()
            if rel.startswith(folder) and content.theme.get(rel) != content.original_theme.get(rel)
        )  # fmt: skip
        if not changed:
            return "nothing to restore in " + folder
        rel = rng.choice(changed)
        if rel in content.original_theme:
            content.theme[rel] = content.original_theme[rel]
            return f"{rel} restored"
        del content.theme[rel]
        return f"{rel} removed"

    return apply


def static_edit(rng: random.Random, content: Content) -> str:
    rule = f".{content.fresh('rule')} {{ color: #{rng.randrange(0x1000000):06x}; }}\n"
    content.theme["static/style.css"] += rule.encode()
    return f"static/style.css: {rule.strip()}"


def static_add(rng: random.Random, content: Content) -> str:
    rel = f"static/{content.fresh('extra')}.{rng.choice(['css', 'txt', 'svg'])}"
    content.theme[rel] = f"/* {words(rng)} */\n".encode()
    return f"{rel} added"


def touch(rng: random.Random, content: Content) -> str:
    return "nothing changed (every file as it was; one written again with the same bytes)"


# Error steps: the broken files (over the model's, this step only) and a fragment of the error they give.


def error_unknown_id(rng: random.Random, content: Content) -> Override:
    """A [[ref]] to no id, in a card that is not a draft (`build` leaves drafts out, unchecked) or an event."""
    shown = [i for i, (front, _) in content.issues.items() if front.get("draft") is not True]
    if shown and rng.random() < 0.7:
        path = f"content/issues/{rng.choice(shown)}.md"
        text = content.files()[path].decode() + "\nSee [[no-such-thing]].\n"
        return Override({path: text.encode()}, "unknown issue, actor or event 'no-such-thing'")
    broken = copy.deepcopy(content)
    event_id = rng.choice(content.ids("event"))
    broken.facts["event"][event_id]["actors"] = ["no-such-thing"]
    path = f"content/{content.homes[event_id]}"
    return Override({path: broken.files()[path]}, "unknown actor 'no-such-thing'")


def error_bad_yaml(rng: random.Random, content: Content) -> Override:
    path = rng.choice(["content/site.yaml", *sorted({f"content/{home}" for home in content.homes.values()})])
    return Override({path: content.files()[path] + b"broken: [unclosed\n"}, "bad YAML")


def error_bad_date(rng: random.Random, content: Content) -> Override:
    broken = copy.deepcopy(content)
    event_id = rng.choice(content.ids("event"))
    broken.facts["event"][event_id]["date"] = "2022-13-45"
    path = f"content/{content.homes[event_id]}"
    return Override({path: broken.files()[path]}, "bad date in 'date'")


def error_template(rng: random.Random, content: Content) -> Override:
    rel = rng.choice(["templates/base.html", "templates/issue.html", "templates/macros.html"])
    return Override({rel: content.theme[rel] + b"{% if %}"}, rel.removeprefix("templates/"))


def error_translation(rng: random.Random, content: Content) -> Override:
    """A translation naming an actor its card gives no position, or one into a language the site has not."""
    issue_id = rng.choice(content.ids("issue"))
    if rng.random() < 0.5:
        language = rng.choice(some_languages(rng, content))
        front = {"title": prose(rng, content), "summary": prose(rng, content), "positions": {"no-such-actor": "x"}}
        path = f"content/issues/{issue_id}.{language}.md"
        return Override({path: f"---\n{dump(front)}---\n".encode()}, "'no-such-actor' has no position in the card")
    some_languages(rng, content)  # the site in several languages: xx is not one of them
    path = f"content/issues/{issue_id}.xx.md"
    return Override({path: b"---\ntitle: x\nsummary: y\n---\n"}, "'xx' is not one of the site's languages")
def error_image(rng: random.Random, content: Content) -> Override:
    """An image that names no file, in a card that is not a draft."""
    shown = [i for i, (front, _) in content.issues.items() if front.get("draft") is not True]
    path = f"content/issues/{rng.choice(shown)}.md"
    text = content.files()[path].decode() + "\n![A map](media/no-such-picture.png)\n"
    return Override({path: text.encode()}, "image 'media/no-such-picture.png' not found")


def catalogue_edit(rng: random.Random, content: Content) -> str:
    """A site's own wording of a built-in string, in its language or another (content/i18n/<lang>.po)."""
    language = rng.choice([content.site.get("language", "en"), *PLURAL_FORMS])
    language = language if language in PLURAL_FORMS else "en"
    msgid = rng.choice(CATALOGUE_IDS)
    text = content.fresh("wording")
    content.catalogues.setdefault(language, {})[msgid] = text
    return f"content/i18n/{language}.po: {msgid!r} worded {text!r}"


def catalogue_remove(rng: random.Random, content: Content) -> str:
    if not content.catalogues:
        return catalogue_edit(rng, content)
    language = rng.choice(sorted(content.catalogues))
    del content.catalogues[language]
    return f"content/i18n/{language}.po removed"


def edit_kinds() -> dict[str, Edit]:
    """Every kind of edit, by name: the deck each sequence draws from."""
    kinds: dict[str, Edit] = {}
    for kind, names in fields_tuples().items():
        for name in names:
            sub = kind in ("quote", "figure", "change", "correction", "author", "publisher", "image")
            kinds[f"{kind}.{name}"] = sub_edit(kind, name) if sub else field_edit(kind, name)
            if kind in ("role", "membership"):
                kinds[f"{kind}.{name}"] = actor_item_edit(kind, name)
            if kind == "position":
                kinds[f"{kind}.{name}"] = position_edit(name)
            if kind == "translation":
                kinds[f"{kind}.{name}"] = translation_edit(name)
    kinds |= {"translation.body": translation_edit("body"), "translation+": add_translation}
    kinds |= {"translation-": remove_translation, "translation-rename": rename_translation}
    kinds |= {"error:translation": error_translation}
    kinds |= {f"issue.body:{how}": body_edit(how) for how in ("text", "ref", "wrapped-ref", "cite", "image")}
    kinds |= {"media+": media_add, "media-": media_remove, "media-rename": media_rename, "media-replace": media_replace}
    kinds |= {"card+": add_card, "card-": remove_card, "card-rename": rename_card}
    for kind in FACTS:
        kinds |= {f"{kind}+": add_fact(kind), f"{kind}-": remove_fact(kind)}
    kinds |= {"fact-rename": rename_fact, "fact-move": move_fact}
    kinds |= {"template-edit": template_edit, "template-restore": theme_restore("templates/")}
    kinds |= {"static-edit": static_edit, "static+": static_add, "static-restore": theme_restore("static/")}
    kinds |= {"touch": touch, "catalogue-edit": catalogue_edit, "catalogue-": catalogue_remove}
    kinds |= {"error:unknown-id": error_unknown_id, "error:bad-yaml": error_bad_yaml}
    kinds |= {"error:bad-date": error_bad_date, "error:template": error_template, "error:image": error_image}
    return kinds


# ---------------------------------------------------------------------------------------------------------------
# The builds


def tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def stamped(folder: Path) -> dict[str, tuple[bytes, int]]:
    return {
        p.relative_to(folder).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns)
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def cli(site: Path, *args: str) -> tuple[int, str, str]:
    """explainer.cli.main in this process, in site (tests/conftest.run_main without pytest)."""
    from explainer.cli import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.chdir(site), contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = main(list(args))
    return status, out.getvalue(), err.getvalue()


def differences(mine: dict[str, bytes], clean: dict[str, bytes], limit: int = 30) -> str:
    """The files that differ, and a short diff of the first one; '' if none."""
    differ = sorted(p for p in mine.keys() | clean.keys() if mine.get(p) != clean.get(p))
    if not differ:
        return ""
    first = differ[0]
    if first in mine and first in clean:
        lines = difflib.unified_diff(
            clean[first].decode("utf-8", "replace").splitlines(),
            mine[first].decode("utf-8", "replace").splitlines(),
            "clean/" + first, "incremental/" + first, n=1, lineterm="",
        )  # fmt: skip
        diff = "\n".join(list(lines)[:limit])
    else:
        diff = f"{first}: only in {'the incremental output' if first in mine else 'the clean build'}"
    return f"{len(differ)} file(s) differ: {differ[:10]}\n{diff}"


class Mismatch(AssertionError):
    """A cached or incremental result that is not the clean build's."""

    sequence: Sequence | None = None


@dataclass
class Sequence:
    """One seeded sequence of edits to a copy of the example site in folder, with its build and its serve."""

    seed: int
    folder: Path
    jobs: str | None = None  # --jobs for every build (None: the command line's default, every core)
    swap: bool = False  # (for the replay line) cached builds swap in a new tree, never update in place
    serve: bool = True
    build: bool = True
    kinds: list[str] | None = None  # the deck (None: every kind)
    counts: Counter[str] = field(default_factory=Counter)
    log: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.rng = random.Random(self.seed)  # the edits: the same whether or not anything is built (dry_run)
        self.writes = random.Random(f"{self.seed}-writes")  # how files are saved
        for name in ("content", "templates", "static"):
            shutil.copytree(REPO / name, self.folder / name)
        self.content = load_content(self.folder)
        self.written = self.content.files()
        self.sync(self.written)  # the model's own formatting, before the first build
        self.all_kinds = edit_kinds()
        self.deck: list[str] = []
        self.passes = 0
        self.rebuilder: Any = None
        self.number = 0
        self.after_error = False
        self.jobs_args = ("--jobs", self.jobs) if self.jobs else ()

    # -- edits

    def draw(self) -> str:
        """The next kind of edit: every kind once before any twice. The first pass goes round one fixed order from
        a third of the way round per seed, so any three consecutive seeds together apply every kind even in short
        sequences (test_differential checks the default run's); later passes are shuffled by the seed."""
        if not self.deck:
            self.deck = sorted(self.kinds or self.all_kinds)
            if self.passes == 0:
                random.Random("difftest-deck").shuffle(self.deck)
                start = (self.seed - 1) % 3 * len(self.deck) // 3
                self.deck = (self.deck[start:] + self.deck[:start])[::-1]  # drawn from the end
            else:
                self.rng.shuffle(self.deck)
            self.passes += 1
        return self.deck.pop()

    def edits(self) -> tuple[list[str], Override | None]:
        """Apply the next step's edits to the model: one error alone, or one to five other edits. The step after
        an error step writes the model's files back (the fix), with no other edit or with some, never an error."""
        after_error, self.after_error = self.after_error, False
        done: list[str] = ["fix: the broken files written back as they were"] if after_error else []
        count = len(done) + self.rng.choice([1, 1, 2, 3, 4, 5])
        while len(done) < count:
            kind = self.draw()
            if kind.startswith("error:"):
                if done:  # an error step is alone, and never right after another: the next step's first edit
                    self.deck.append(kind)
                    break
                override = self.all_kinds[kind](self.rng, self.content)
                assert isinstance(override, Override)
                self.counts[kind] += 1
                self.after_error = True
                return [f"{kind}: {sorted(override.files)} ({override.expect})"], override
            described = self.all_kinds[kind](self.rng, self.content)
            self.counts[kind] += 1
            done.append(f"{kind}: {described}")
        return done, None

    def sync(self, files: dict[str, bytes | None]) -> None:
        """Write the files whose bytes differ from the disk's (in place or by a rename, as editors do), delete
        the ones gone from content/, templates/ and static/."""
        on_disk = {
            p.relative_to(self.folder).as_posix()
            for name in ("content", "templates", "static")
            for p in (self.folder / name).rglob("*")
            if p.is_file()
        }
        for rel in sorted(on_disk - {r for r, data in files.items() if data is not None}):
            (self.folder / rel).unlink()
            with contextlib.suppress(OSError):
                (self.folder / rel).parent.rmdir()  # a per-file folder left empty
        for rel, data in sorted(files.items()):
            path = self.folder / rel
            if data is None or (rel in on_disk and path.read_bytes() == data):
                continue
            path.parent.mkdir(parents=True, exist_ok=True)
            if self.writes.random() < 0.5:
                path.write_bytes(data)
            else:  # a new inode, as an editor that saves to a temporary file and renames it
                handle, tmp = tempfile.mkstemp(dir=path.parent, prefix=".save-")
                with os.fdopen(handle, "wb") as stream:
                    stream.write(data)
                os.replace(tmp, path)

    # -- builds

    def where(self, edits: list[str]) -> str:
        replay = (
            f"python bench/differential.py --seed {self.seed} --steps {self.number} --jobs {self.jobs or 0}"
            + " --swap" * self.swap
        )
        history = "\n".join(self.log[-12:])
        return (
            f"seed {self.seed}, step {self.number} (jobs {self.jobs or 'default'}); replay: {replay}\n"
            f"this step: {edits}\nearlier steps (last 12):\n{history}"
        )

    def step(self) -> None:
        """One step: edits, then every comparison; raises Mismatch with the seed, step and edits on a difference."""
        self.number += 1
        edits, override = self.edits()
        files: dict[str, bytes | None] = {**self.content.files(), **(override.files if override else {})}
        self.sync(files)
        if any(edit.startswith("touch:") for edit in edits):
            rel = self.writes.choice(sorted(r for r in files if r.startswith("content/")))
            os.utime(self.folder / rel)  # the same bytes with a new modification time
        try:
            if self.build:
                self.compare_build(edits, override)
            if self.serve:
                self.compare_serve(edits, override)
        finally:
            self.log.append(f"step {self.number}: {edits}")

    def compare_build(self, edits: list[str], override: Override | None) -> None:
        cached_dir = self.folder / "cached"
        before = stamped(cached_dir) if cached_dir.exists() else {}
        status, _, err = cli(self.folder, "--no-search", *self.jobs_args, "--output", "cached")
        if override:
            if status != 1 or override.expect not in err:
                raise Mismatch(f"the error step built with status {status}: {err}\n{self.where(edits)}")
            if stamped(cached_dir) != before:
                raise Mismatch(f"a failed cached build changed the last output\n{self.where(edits)}")
            return
        shutil.rmtree(self.folder / "clean", ignore_errors=True)
        clean_status, _, clean_err = cli(self.folder, "--no-search", *self.jobs_args, "--no-cache", "--output", "clean")
        if clean_status != 0:
            raise AssertionError(f"the test made invalid content: {clean_err}\n{self.where(edits)}")
        if status != 0:
            raise Mismatch(f"the cached build failed where a clean one did not: {err}\n{self.where(edits)}")
        found = differences(tree(cached_dir), tree(self.folder / "clean"))
        if found:
            raise Mismatch(f"cached build ≠ clean build: {found}\n{self.where(edits)}")

    def start_serve(self, output: str) -> Any:
        """What `serve.run` makes for `build.py serve --output output`: the options, the state and the rebuilder."""
        from explainer.cli import build_options, make_serve_parser
        from explainer.render import base_path
        from explainer.serve.loop import Rebuilder, preview_options
        from explainer.serve.preview import PreviewState

        args = make_serve_parser().parse_args(["--output", output, *self.jobs_args])
        with contextlib.chdir(self.folder):
            options = preview_options(build_options(args))
        state = PreviewState(options.output, base_path(options.base_url or "/"), 0)
        return Rebuilder(options, state, quiet=True)

    def serve_build(self, rebuilder: Any, changed: set[str] | None) -> str:
        err = io.StringIO()
        with contextlib.chdir(self.folder), contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
            rebuilder.build(changed)
        return err.getvalue()

    def watched(self) -> Any:
        from explainer.serve.loop import scan
        from explainer.theme import watched_folders

        options = self.rebuilder.options
        with contextlib.chdir(self.folder):
            return scan([options.content, *watched_folders(options.templates, options.static)])

    def compare_serve(self, edits: list[str], override: Override | None) -> None:
        from explainer.serve.preview import error_page

        if self.rebuilder is None:  # started once per sequence, on the content before the first edit
            self.rebuilder = self.start_serve("served")
            self.scanned = self.watched()
            self.serve_build(self.rebuilder, None)
        served = self.folder / "served"
        before = stamped(served)
        now = self.watched()
        changed = {path for path in self.scanned.keys() | now.keys() if self.scanned.get(path) != now.get(path)}
        self.scanned = now
        if changed:  # the watcher rebuilds only when it sees a change
            self.serve_build(self.rebuilder, changed)
        state = self.rebuilder.state
        if override:
            page = error_page(state.errors or [], state.stylesheets).decode()
            if state.errors is None or override.expect not in page:
                raise Mismatch(f"serve shows no error page for the error step: {state.errors}\n{self.where(edits)}")
            if stamped(served) != before:
                raise Mismatch(f"a failed rebuild changed serve's last good files\n{self.where(edits)}")
            return
        if state.errors is not None:
            raise Mismatch(f"serve still shows errors after a good step: {state.errors}\n{self.where(edits)}")
        shutil.rmtree(self.folder / "fresh", ignore_errors=True)
        fresh = self.start_serve("fresh")
        err = self.serve_build(fresh, None)
        if fresh.state.errors is not None:
            raise AssertionError(f"the test made invalid content: {err}\n{self.where(edits)}")
        found = differences(tree(served), tree(self.folder / "fresh"))
        if not found and state.base != fresh.state.base:
            found = f"served under {state.base}, a fresh serve under {fresh.state.base}"
        if found:
            raise Mismatch(f"running serve ≠ freshly started serve: {found}\n{self.where(edits)}")

    def final_check(self) -> None:
        """The in-process clean build against one in a new interpreter: nothing kept in memory between builds
        may make every in-process build alike but wrong."""
        import subprocess
        import sys

        if not self.build:
            return
        self.sync(self.content.files())  # after an error step, the files the last good build read
        shutil.rmtree(self.folder / "clean-subprocess", ignore_errors=True)
        command = [sys.executable, str(REPO / "build.py"), "--no-search", "--no-cache", "--output", "clean-subprocess"]
        done = subprocess.run(command, cwd=self.folder, capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stderr
        found = differences(tree(self.folder / "cached"), tree(self.folder / "clean-subprocess"))
        if found:
            raise Mismatch(f"cached build ≠ a clean build in a new process: {found}\n{self.where([])}")


@contextlib.contextmanager
def write_mode(swap: bool) -> Iterator[None]:
    """swap: every cached build writes a new tree and swaps it in (the in-place update's threshold set to no page)."""
    from explainer import inplace

    if not swap:
        yield
        return
    saved = inplace.SMALL, inplace.SHARE
    inplace.SMALL, inplace.SHARE = 0, 0.0
    try:
        yield
    finally:
        inplace.SMALL, inplace.SHARE = saved


def run_sequence(seed: int, steps: int, folder: Path, jobs: str | None = None, swap: bool = False,
                 kinds: list[str] | None = None, serve: bool = True, build: bool = True,
                 progress: Callable[[str], None] | None = None) -> Sequence:  # fmt: skip
    """Run steps of seed in folder; raises Mismatch (with the seed, step and edits) at the first difference."""
    sequence = Sequence(seed, folder, jobs, swap, serve, build, kinds)
    started = time.perf_counter()
    try:
        with write_mode(swap):
            if build:
                status, _, err = cli(folder, "--no-search", *sequence.jobs_args, "--output", "cached")
                assert status == 0, err
            for _ in range(steps):
                sequence.step()
                if progress:
                    seconds = time.perf_counter() - started
                    progress(f"seed {seed} step {sequence.number} ({seconds:.0f} s): {sequence.log[-1]}")
            sequence.final_check()
    except Exception as error:
        with contextlib.suppress(AttributeError):
            error.sequence = sequence  # type: ignore[attr-defined]  # for the long run's counts
        raise
    return sequence


# (--jobs (None: the command line's default, every core), swap: cached builds never update in place) by seed
CONFIGS = {1: ("1", False), 2: (None, False), 3: (None, True), 4: ("1", True)}


def config(seed: int) -> tuple[str | None, bool]:
    """The --jobs and write mode a seed runs with: both jobs settings and both write modes among the seeds."""
    return CONFIGS.get(seed, ("1" if seed % 2 else None, seed % 3 == 0))


def dry_run(seed: int, steps: int, folder: Path, kinds: list[str] | None = None) -> Counter[str]:
    """The edit kinds seed's first steps apply, without building: the edits depend on the seed alone."""
    sequence = Sequence(seed, folder, kinds=kinds)
    for _ in range(steps):
        sequence.number += 1
        edits, override = sequence.edits()
        sequence.log.append(f"step {sequence.number}: {edits}")
        files = {**sequence.content.files(), **(override.files if override else {})}
        assert all(isinstance(data, bytes) for data in files.values())
        # the model stays valid YAML in every step
        for rel, data in files.items():
            if rel.endswith(".yaml") and not override:
                yaml.safe_load(data)
    return sequence.counts
