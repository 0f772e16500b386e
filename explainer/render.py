"""Stage 5, render: pages → HTML with Jinja2 (autoescaped, strict) and Markdown."""

from __future__ import annotations

import dataclasses
import traceback
from collections.abc import Callable, MutableMapping
from pathlib import Path
from types import MethodType
from typing import Any
from urllib.parse import urlsplit

import jinja2
import jinja2.runtime
from jinja2.utils import internalcode
from markupsafe import Markup, escape

try:
    from markupsafe._speedups import _escape_inner
except ImportError:  # pragma: no cover  (MarkupSafe without its C speedups)
    from markupsafe._native import _escape_inner

from . import __version__, reads, templatetext
from .diagnostics import Diagnostics
from .hostfiles import absolute_base
from .languages import direction, display_name, language_prefix
from .link import Site
from .markdown_ext import LinkTarget, MarkdownRenderer
from .metadata import json_ld, structured_data
from .model import Entity, Image
from .pages import PageSpec, entity_url
from .pictures import Pictures
from .sharecards import ShareImage, share_image
from .templatetext import ALIAS, Gettext, GettextAlias
from .theme import template_folders
from .translations import site_languages
from .views.mapdraw import Relation
from .views.relmap import relation_text

NO_MARKS = Markup("")
SITE_TEXTS = ""  # among the untranslated ids (no entity's id is empty): site.yaml's title, subtitle, description


def capitalized(name: str) -> str:
    """A language's name as a switcher lists it: `Español`, `فارسی`."""
    return name[:1].upper() + name[1:]


# Files every language's site shares at the site's root: the static files, the images' variants, share cards.
SHARED = ("static/", "media/", "share/")


def base_path(base_url: str) -> str:
    """The path part of base_url, always ending in '/': `/explainer/`."""
    path = urlsplit(base_url).path or "/"
    return path if path.endswith("/") else path + "/"


class TemplateProblem(Exception):
    """A template that cannot be loaded or rendered, with its file and line."""

    def __init__(self, path: str, line: int | None, message: str):
        super().__init__(message)
        self.path = path
        self.line = line
        self.message = message


def output_escape(value: object) -> str:
    """markupsafe.escape() for what a template prints (`{{ value }}`), without wrapping the text in Markup.

    Jinja joins every printed piece into a plain str (a macro's result is then wrapped in Markup
    again), so the Markup wrapper of each piece is never used; making it costs more than escaping
    a short text. The bytes are escape()'s: the same _escape_inner for a str, int or float (as
    escape() does, of str(value)), escape() itself for anything else.
    """
    if type(value) is str:
        return _escape_inner(value)
    kind = type(value)
    if kind is Markup:
        return value  # type: ignore[return-value]
    if kind is int or kind is float:  # the charts' coordinates
        return _escape_inner(str(value))
    return escape(value)


class Template(jinja2.Template):
    """A Jinja template whose compiled code prints with output_escape() (see there)."""

    @classmethod
    def _from_namespace(cls, environment: jinja2.Environment, namespace: Any, globals: Any) -> jinja2.Template:
        # Jinja compiles `{{ value }}` to `escape(value)`, with escape imported into the template's
        # module namespace (`from jinja2.runtime import escape`) and used for nothing else.
        namespace["escape"] = output_escape
        return super()._from_namespace(environment, namespace, globals)


class Context(jinja2.runtime.Context):
    """A template context whose call() goes straight to the callables templates call most.

    Jinja's call() looks on every call for a pass_context, pass_environment or pass_eval_context
    mark (on the callable and on its __call__) to know what to pass first. The Renderer's own
    functions (url, url_for, ...) carry none, and a macro's __call__ takes the eval context, so
    they are called as Jinja's call() would call them, without the look; `_()` and `gettext()`
    go to templatetext.py; anything else goes through Jinja's call().
    """

    @internalcode
    def call(self, obj: Any, /, *args: Any, **kwargs: Any) -> Any:
        kind = type(obj)
        if kind is Gettext or kind is GettextAlias:  # `_()` and `gettext()`: templatetext.py
            return templatetext.call(self, obj, args, kwargs)
        if kind is jinja2.runtime.Macro:
            args = (self.eval_ctx, *args)
        elif not (kind is MethodType and type(obj.__self__) is Renderer):
            return super().call(obj, *args, **kwargs)  # which reads _loop_vars and _block_vars
        if kwargs:
            kwargs.pop("_block_vars", None)
            kwargs.pop("_loop_vars", None)
        try:
            return obj(*args, **kwargs)
        except StopIteration:
            return self.environment.undefined("value was undefined because a callable raised a StopIteration exception")


class Environment(jinja2.Environment):
    def make_globals(self, d: MutableMapping[str, Any] | None) -> MutableMapping[str, Any]:
        """A template's globals: one dict of the environment's and its own.

        Jinja makes a ChainMap, which every page's context then copies (dict(), set()) and every
        {% import %} compares with its own, key by key in Python: ~30 us a page. Jinja's own
        advice is not to change globals once a template is loaded; the Renderer sets them all
        before.
        """
        return {**self.globals, **(d or {})}


def make_environment(templates: Path) -> jinja2.Environment:
    """The environment of a site whose own templates are in `templates`: each file found there first, then in
    the default theme."""
    env = Environment(
        loader=jinja2.FileSystemLoader(template_folders(templates)),
        autoescape=True,
        extensions=["jinja2.ext.i18n"],  # _(), ngettext and {% trans %}: the built-in strings (i18n.py)
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        # An environment renders one build (every build makes a Renderer, and so an environment, of its
        # own): no need to stat each template file again on every page, for its extends and imports.
        auto_reload=False,
        cache_size=-1,  # a plain dict of the loaded templates, not an LRU cache with a lock: a site has a dozen
    )
    env.filters["direction"] = direction  # a quote original's `lang` → its `dir`
    env.template_class = Template
    env.context_class = Context
    return env


class Renderer:
    """Renders every page of one site with one Jinja environment."""

    def __init__(
        self,
        site: Site,
        templates: Path,
        base_url: str | None = None,
        assets: dict[str, str] | None = None,
        relative: bool = False,
        diags: Diagnostics | None = None,
        untranslated: frozenset[str] = frozenset(),
    ):
        self.site = site
        self.templates = templates
        self.folders = template_folders(templates)  # where the loader looks, first match wins
        # The site's root; another language's site sits under /<lang>/ (languages.language_prefix), but for
        # the static files, which every language shares at the root.
        self.root = base_path(base_url or site.config.base_url)
        self.language_prefix = language_prefix(site.config)
        self.up = "../" * self.language_prefix.count("/")  # from the language's root to the site's
        self.base = self.root + self.language_prefix
        self.assets = assets or {}  # static/style.css → static/style.3f2a1b9c.css
        self.relative = relative
        self.url_caches: dict[str, dict[str, str]] = {}  # prefix → path → url()
        self.urls: dict[str, str] = {}
        self.memo_caches: dict[str, dict[tuple[Any, ...], tuple[Any, tuple[Any, ...], Any]]] = {}  # prefix → once()
        self.memo: dict[tuple[Any, ...], tuple[Any, tuple[Any, ...], Any]] = {}
        self.prefix = ""  # with relative URLs: from the page being rendered to the site root, `../../`
        self.markdown_caches: dict[str, dict[str, Markup]] = {}
        self.env = make_environment(templates)
        self.markdown = MarkdownRenderer(
            self.resolve, site.config.smart_quotes, site.config.allow_html, diags, self.url
        )
        self.pictures = Pictures(site.media, self.url)
        self.markdown.pictures = self.pictures
        self.env.filters["markdown"] = self.markdown
        self.env.filters["markdown_inline"] = self.markdown.inline
        self.absolute_root = absolute_base(base_url or site.config.base_url)
        self.absolute_base = self.absolute_root + self.language_prefix if self.absolute_root else None
        self.untranslated = untranslated  # ids whose texts this language shows in the default one
        default = site_languages(site.config)[0]
        self.default_marks = Markup(' lang="{}" dir="{}"').format(default, direction(default))
        # the site's language comes with its Site (link): another Site, another language, the same code
        translations = site.words.translations
        self.env.install_gettext_translations(translations, newstyle=True)  # type: ignore[attr-defined]
        self.env.globals.update(gettext=Gettext(translations.gettext), _=ALIAS)  # the same, faster (templatetext.py)
        self.env.globals.update(
            site=site.config,
            url=self.url,
            url_for=self.url_for,
            absolute_url=self.absolute_url,
            structured_data=self.structured_data,
            once=self.once,
            relation_text=self.relation_text,
            picture=self.picture,
            share_image=self.share_image,
            thumbnail=self.thumbnail,
            sources_count=len(site.sources),
            direction=direction(site.config.language),
            words=site.words,  # dates, numbers and counted phrases in the site's language
            generator=f"explainer {__version__}",
        )
        # Several languages: the switcher's and alternates' links, and the marks of an untranslated entity's texts
        self.env.globals.update(
            shown=self.shown,
            shown_site=self.shown_site,
            language_url=self.language_url,
            untranslated_page=self.untranslated_page,
            original_language=self.original_language,
        )
        self.env.filters["in_default"] = self.in_default
        if len(site_languages(site.config)) > 1:  # a value global: part of the build cache's render key
            tags = site_languages(site.config)
            names = tuple((tag, capitalized(display_name(tag, tag)), direction(tag)) for tag in tags)
            self.env.globals.update(languages=names, untranslated=tuple(sorted(untranslated)))

    @property
    def prefix(self) -> str:
        return self._prefix

    @prefix.setter
    def prefix(self, prefix: str) -> None:
        self._prefix = prefix
        self.urls = self.url_caches.setdefault(prefix, {})  # what url() made for pages at this depth
        self.memo = self.memo_caches.setdefault(prefix, {})  # and once()

    def url(self, path: str = "") -> str:
        """The URL of a path relative to the site root: absolute-path, or page-relative with relative_urls.

        A static file's name is swapped for its fingerprinted one. Relative links to folders
        name their index.html, so the site also works opened from disk (file://).
        Each is made once per page depth: the same links are on every page.
        """
        known = self.urls.get(path)
        if known is None:
            known = self.urls[path] = self.make_url(path)
        return known

    def make_url(self, path: str) -> str:
        path, hash_mark, fragment = path.lstrip("/").partition("#")
        path = self.assets.get(path, path)
        shared = path.startswith(SHARED)  # one copy at the site's root for every language
        if not self.relative:
            return (self.root if shared else self.base) + path + hash_mark + fragment
        if path == "" or path.endswith("/"):
            path += "index.html"
        return self.prefix + (self.up if shared else "") + path + hash_mark + fragment

    def language_url(self, language: str, path: str = "", absolute: bool = False) -> str:
        """The URL of path (relative to a language's root) in another language's site: full with absolute when
        base_url names a host."""
        path = path.lstrip("/")
        target = language_prefix(self.site.config, language) + path
        if absolute and self.absolute_root:
            return self.absolute_root + target
        if not self.relative:
            return self.root + target
        if target == "" or target.endswith("/"):
            target += "index.html"
        return self.prefix + self.up + target

    def untranslated_page(self, page: PageSpec) -> bool:
        """Whether page is an issue's, actor's or event's page shown in the default language."""
        return page.kind in ("issue", "actor", "event") and page.url.split("/")[1] in self.untranslated

    def shown(self, entity: Entity) -> Markup:
        """` lang="en" dir="ltr"` for the element holding an untranslated entity's text, else nothing."""
        return self.shown_id(entity.id)

    def shown_id(self, entity_id: str) -> Markup:
        return self.default_marks if entity_id in self.untranslated else NO_MARKS

    def shown_site(self) -> Markup:
        """The same for the site's own texts (title, subtitle, description) when they are the default's."""
        return self.shown_id(SITE_TEXTS)

    def in_default(self, text: Any, entity: Entity, tag: str = "span") -> Any:
        """text, wrapped in a `tag` marked with the default language's lang and dir when it is an untranslated
        entity's (else as it is: a one-language site's pages are unchanged)."""
        if entity.id not in self.untranslated:
            return text
        return Markup(f"<{tag}{self.default_marks}>{escape(text)}</{tag}>")

    def original_language(self) -> str:
        """The default language's name, in this site's language: what an untranslated page is shown in."""
        return display_name(site_languages(self.site.config)[0], self.site.config.language)

    def once(self, macro: Callable[..., Any], *args: Any) -> Any:
        """`{{ once(macro, args...) }}`: macro(args...) made the first time, then remembered for the build.

        For macros of macros.html that many pages call with the same records (an event's dates):
        a macro imported without context sees only its arguments and the globals, which are the
        same all build long but for the links' prefix, and there is a memo per prefix. The
        arguments are kept with the result, so the id() of each stays theirs.
        """
        key = (macro, *map(id, args))
        known = self.memo.get(key)
        if known is None:
            result, noted = reads.memo(lambda: macro(*args))  # what it read is noted again on each hit
            known = self.memo[key] = (result, args, noted)
        else:
            reads.replay(known[2])
        return known[0]

    def picture(self, image: Image | None, lead: bool = False) -> Markup:
        """`{{ picture(issue.image, lead=true) }}`: a card's, actor's or event's image as a `<figure>`; lead: the
        first image on the page, loaded at once (the others wait until they near the screen)."""
        if image is None:
            return Markup("")
        return self.pictures.figure(image.src, image.alt, image.caption, image.credit, lead)

    def thumbnail(self, image: Image | None) -> Markup:
        """`{{ thumbnail(issue.image) }}`: a small copy for lists, decorative there (the link beside it names it)."""
        return Markup("") if image is None else self.pictures.thumbnail(image.src, "")

    def share_image(self, page: PageSpec) -> ShareImage | None:
        """`{% set share = share_image(page) %}`: the page's preview image (sharecards.py), its path made a full
        URL; None without a base_url naming a host (a preview needs a full URL) and for the 404 page."""
        root = self.absolute_root  # images and share cards sit at the site's root, for every language
        shown = share_image(self.site, page) if root is not None else None
        return None if shown is None or root is None else dataclasses.replace(shown, path=root + shown.path)

    def absolute_url(self, path: str = "") -> str | None:
        """The full URL of a path, when base_url names a host; else None."""
        return self.absolute_base + path.lstrip("/") if self.absolute_base else None

    def structured_data(self, page: PageSpec) -> Markup:
        if self.absolute_base is None:
            return Markup("")
        base = self.absolute_base
        data = structured_data(page, self.site.config, lambda path: base + path)
        shown = share_image(self.site, page) if data is not None else None
        if data is not None and shown is not None and self.absolute_root:
            data["image"] = self.absolute_root + shown.path  # images and share cards: at the site's root
        return json_ld(data)

    def url_for(self, entity: Entity) -> str:
        return self.url(entity_url(entity))

    def relation_text(self, relation: Relation) -> Markup:
        """`{{ relation_text(relation) }}`: a relation of the map in words, its actors and what they share linked."""
        return relation_text(relation, self.url_for, self.site.words.gettext)

    def resolve(self, entity_id: str) -> LinkTarget | None:
        entity = self.site.entities.get(entity_id)
        if entity is None:
            return None
        return LinkTarget(self.url_for(entity), entity.link_text, entity.section)

    def render(self, page: PageSpec) -> str:
        page = page.complete()  # its context, if it was planned lazily
        if self.relative:
            self.prefix = "../" * page.output_path.count("/")
            # a [[ref]] renders to a different relative link at another depth
            self.markdown.cache = self.markdown_caches.setdefault(self.prefix, {})
        try:
            template = self.env.get_template(page.template)
            return template.render(page=page, **page.context)
        except jinja2.TemplateSyntaxError as error:
            # error.filename already starts with the templates folder; error.name is the loader's name
            where = self.display(error.name) if error.name else error.filename or self.display(page.template)
            raise TemplateProblem(where, error.lineno, f"template syntax error: {error.message}") from None
        except jinja2.TemplateNotFound as error:
            path, line = self.template_frame(error)  # an {% include %} or {% extends %} of a missing file
            where = path or self.display(page.template)
            raise TemplateProblem(where, line, f"template not found: {error.name}") from None
        except Exception as error:  # an error raised while the template runs
            path, line = self.template_frame(error)
            if path is None:
                raise
            kind = "undefined value" if isinstance(error, jinja2.UndefinedError) else type(error).__name__
            raise TemplateProblem(path, line, f"{kind} while rendering {page.url or '/'}: {error}") from None

    def display(self, name: str) -> str:
        """The file a template name was loaded from (the site's own or the default theme's)."""
        path = Path(name)
        if path.is_absolute():
            return path.as_posix()
        found = next((folder / path for folder in self.folders if (folder / path).is_file()), self.folders[0] / path)
        return found.as_posix()

    def template_frame(self, error: Exception) -> tuple[str | None, int | None]:
        """The innermost template file and line of a traceback."""
        roots = [(folder, folder.resolve()) for folder in self.folders]
        for frame in reversed(traceback.extract_tb(error.__traceback__)):
            file = Path(frame.filename).resolve()
            for folder, root in roots:
                if file.is_relative_to(root):
                    return (folder / file.relative_to(root)).as_posix(), frame.lineno
        return None, None


def render_pages(site: Site, pages: list[PageSpec], templates: Path, diags: Diagnostics,
                 base_url: str | None = None, assets: dict[str, str] | None = None,
                 relative: bool = False) -> dict[str, bytes]:  # fmt: skip
    """Render each page to bytes by output path; template problems go to diags."""
    return render_each(Renderer(site, templates, base_url, assets, relative, diags), pages, diags)


def render_each(renderer: Renderer, pages: list[PageSpec], diags: Diagnostics) -> dict[str, bytes]:
    """Render pages with renderer, stopping at the first template problem (reported to diags)."""
    files: dict[str, bytes] = {}
    for page in pages:
        try:
            files[page.output_path] = renderer.render(page).encode("utf-8")
        except TemplateProblem as problem:
            diags.error(problem.path, problem.line, problem.message)
            break  # one broken template breaks every page that uses it: say it once
    return files
