"""`_()` and `gettext()` in the templates: what Jinja's i18n extension does with newstyle gettext, with the
result of a text without variables kept for the build.

Jinja's `_("Sources")` goes through three of its `Context.call`s (`_` looks up `gettext` in the context, which
translates the text, wraps it in Markup and formats it with `%`, always): ~5 % of a clean build's CPU, for
~40 texts a page that are the same on every page. The result here is the same value: the translation, Markup
when the template autoescapes, `%` the variables (so `%%` is `%`), each text without variables worked out
once. The Renderer's Context calls `Gettext.call` directly (render.py)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import jinja2.ext
import jinja2.runtime
from markupsafe import Markup


class ContextCallable:
    """Called as Jinja calls a function that takes the context (a Context but the Renderer's: `call` below).
    Callable, it is also no value of the render key (parallel/pagepool.render_key): the translations are, as
    the global `words`."""

    __slots__ = ()

    @jinja2.pass_context
    def __call__(self, context: jinja2.runtime.Context, *args: Any, **kwargs: Any) -> Any:
        return call(context, self, args, kwargs)  # type: ignore[arg-type]


class Gettext(ContextCallable):
    """The templates' `gettext`: newstyle gettext over translate (the site's translations)."""

    __slots__ = ("known", "translate")

    def __init__(self, translate: Callable[[str], str]):
        self.translate = translate
        self.known: dict[str, Markup] = {}  # text → its translation formatted without variables, autoescaped

    def call(self, context: jinja2.runtime.Context, text: str, variables: dict[str, Any]) -> Any:
        if context.eval_ctx.autoescape:
            if not variables:
                done = self.known.get(text)
                if done is None:
                    done = self.known[text] = Markup(self.translate(text)) % {}
                return done
            return Markup(self.translate(text)) % variables
        return self.translate(text) % variables


class GettextAlias(ContextCallable):
    """The templates' `_`: whatever `gettext` is where it is called (Jinja's _gettext_alias)."""

    __slots__ = ()


ALIAS = GettextAlias()
LOCAL = ("_loop_vars", "_block_vars")  # what Jinja passes a context-taking call: the variables set in loops, blocks


def call(context: jinja2.runtime.Context, obj: Gettext | GettextAlias, args: tuple[Any, ...],
         kwargs: dict[str, Any]) -> Any:  # fmt: skip
    """context.call(obj, *args, **kwargs) as Jinja makes it for its own gettext and _gettext_alias, which both
    take the context: the one derived with the loop's and block's variables, where one of those is set."""
    for name in LOCAL:
        local = kwargs.pop(name, None)
        if local:
            context = context.derived(local)
    gettext = context.resolve_or_missing("gettext") if type(obj) is GettextAlias else obj
    if type(gettext) is not Gettext:
        return context.call(context.resolve("gettext"), *args, **kwargs)
    if len(args) != 1:  # Jinja's own gettext says what is wrong
        return jinja2.ext._make_new_gettext(gettext.translate)(context, *args, **kwargs)
    return gettext.call(context, args[0], kwargs)
