"""The templates' `_()` and `gettext()` (templatetext.py) give what Jinja's newstyle gettext gives, in every
way a template can call them; a text without variables is translated once a build."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jinja2
import pytest
from conftest import run_main

from explainer import templatetext
from explainer.i18n import translations_of
from explainer.render import make_environment

SNIPPETS = [
    '{{ _("Sources") }}|{{ gettext("Search") }}',
    '{{ _("%(count)s actors", count="<b>3</b>") }}',  # a variable is escaped
    '{{ _("100%% sure") }}|{{ _("Sources") ~ "<i>" }}',  # `%` always applies; the result is Markup
    '{% autoescape false %}{{ _("Sources") }}{{ _("a <b>%(x)s</b>", x="<i>") }}{% endautoescape %}',
    '{% for gettext in [upper] %}{{ _("Sources") }}{% endfor %}',  # `_` calls the gettext where it is
    '{% set gettext = upper %}{{ _("Sources") }}',
    '{% for x in ["<a>", "b"] %}{% trans %}Hello {{ x }}{% endtrans %}{{ _("%(v)s!", v=x) }}{% endfor %}',
    '{% macro m() %}{{ _("Sources") }}{% endmacro %}{{ m() }}{{ m() }}',
]


def environments(tmp_path: Path) -> tuple[jinja2.Environment, jinja2.Environment]:
    translations = translations_of("es", ())
    ours = make_environment(tmp_path)
    ours.install_gettext_translations(translations, newstyle=True)  # type: ignore[attr-defined]
    ours.globals.update(gettext=templatetext.Gettext(translations.gettext), _=templatetext.ALIAS)
    jinjas = jinja2.Environment(autoescape=True, extensions=["jinja2.ext.i18n"], undefined=jinja2.StrictUndefined)
    jinjas.install_gettext_translations(translations, newstyle=True)  # type: ignore[attr-defined]
    for env in ours, jinjas:
        env.globals["upper"] = lambda text, **variables: text.upper()
    return ours, jinjas


@pytest.mark.parametrize("snippet", SNIPPETS)
def test_gettext_in_a_template_is_jinja_s(tmp_path: Path, snippet: str) -> None:
    ours, jinjas = environments(tmp_path)
    expected = jinjas.from_string(snippet).render()
    assert ours.from_string(snippet).render() == expected
    assert ours.from_string(snippet).render() == expected  # the kept results too


def test_a_wrong_call_fails_as_jinja_s(tmp_path: Path) -> None:
    for env in environments(tmp_path):
        with pytest.raises(TypeError, match="gettext"):
            env.from_string('{{ _("a", "b") }}').render()


def test_a_text_is_translated_once(tmp_path: Path) -> None:
    """The Renderer's `_` and `gettext` are templatetext's: the translation of a text without variables is kept."""
    asked: list[str] = []
    gettext = templatetext.Gettext(lambda text: asked.append(text) or f"[{text}]")
    ours, _ = environments(tmp_path)
    ours.globals.update(gettext=gettext)
    page = ours.from_string('{{ _("Sources") }} {{ gettext("Sources") }} {{ _("%(n)s", n=1) }}')
    assert page.render() == page.render() == "[Sources] [Sources] [1]"
    assert asked == ["Sources", "%(n)s", "%(n)s"]


def test_gettext_is_called_as_jinja_s_own_by_a_stock_context() -> None:
    """Called by Jinja's own Context too; callable, it is no value of the render key (a repr by address would
    key every page again in each build: tests/test_change_model.py)."""
    translations = translations_of("es", ())
    env = jinja2.Environment(autoescape=True, extensions=["jinja2.ext.i18n"])
    env.install_gettext_translations(translations, newstyle=True)  # type: ignore[attr-defined]
    env.globals.update(gettext=templatetext.Gettext(translations.gettext), _=templatetext.ALIAS)
    snippet = '{% for x in [1] %}{{ _("Sources") }}{{ gettext("%(n)s actors", n=x) }}{% endfor %}'
    assert env.from_string(snippet).render() == "Fuentes1 actors"
    assert callable(templatetext.ALIAS) and callable(env.globals["gettext"])


def test_the_renderer_s_pages_use_it(example_site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A build's templates call templatetext's gettext (render.py installs it), and each text without variables
    is translated once per language's renderer, however many pages show it."""
    asked: list[str] = []
    call = templatetext.Gettext.call

    def counted(self: templatetext.Gettext, context: Any, text: str, variables: dict[str, Any]) -> Any:
        if not variables and text not in self.known:
            asked.append(text)
        return call(self, context, text, variables)

    monkeypatch.setattr(templatetext.Gettext, "call", counted)
    result = run_main(example_site, "--no-search", "--jobs", "1", "--no-cache", "--output", "out")
    assert result.returncode == 0, result.stderr
    assert asked.count("Sources") == 2  # English and Spanish: the sources page, every card's sources section
