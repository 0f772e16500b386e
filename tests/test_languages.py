"""A site in its own language (issue 18, A1): built-in strings through gettext catalogues, dates, numbers and
plurals by CLDR through Babel, `language:` checked, a site's own wording in content/i18n/<lang>.po."""

from __future__ import annotations

import datetime
import shutil
import subprocess
from pathlib import Path

import pytest
from babel import Locale
from babel.dates import format_date, format_interval, format_skeleton
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po
from babel.numbers import format_decimal
from conftest import REPO, example_in_one_language, run_build, soup

from explainer.dates import parse_date
from explainer.i18n import LOCALES, Words

SHIPPED = ("en", "es", "fr", "de", "ru", "uk", "ar", "fa")
COUNTS = (0, 1, 2, 3, 5, 11, 21, 100, 101)
HEADINGS = ("Where they stand", "What they said", "Who and when", "Sources", "The issues", "Key actors")


def catalogue(language: str) -> Path:
    return LOCALES / language / "LC_MESSAGES" / "explainer.po"


def day(text: str) -> datetime.date:
    found = parse_date(text)
    return datetime.date(found.year, found.month or 1, found.day or 1)


# Dates, numbers and plurals match Babel's CLDR output, language by language.


@pytest.mark.parametrize("language", [lang for lang in SHIPPED if lang != "en"])
def test_dates_are_cldrs(language: str) -> None:
    words = Words(language)
    assert words.date(parse_date("2022-01-10")) == format_date(day("2022-01-10"), "long", locale=language)
    assert words.date(parse_date("2021-12")) == format_skeleton("yMMMM", day("2021-12"), locale=language)
    assert words.date(parse_date("2008")) == format_skeleton("y", day("2008"), locale=language)
    for start, end, skeleton in [
        ("2018-07-06", "2018-07-09", "yMMMMd"),  # days of one month
        ("2018-07-06", "2018-08-09", "yMMMMd"),  # across months
        ("2018-07-06", "2019-08-09", "yMMMMd"),  # across years
        ("2019-03", "2019-05", "yMMMM"),  # months
        ("2017", "2019", "y"),  # years
    ]:
        expected = format_interval(day(start), day(end), skeleton, locale=language)
        assert words.range(parse_date(start), parse_date(end)) == expected, (start, end)


@pytest.mark.parametrize("language", [lang for lang in SHIPPED if lang != "en"])
def test_ranges_of_partial_dates_of_two_precisions_take_cldrs_fallback_pattern(language: str) -> None:
    words, locale = Words(language), Locale.parse(language)
    start, end = parse_date("2018"), parse_date("2018-09")
    expected = str(locale.interval_formats[None]).format(words.date(start), words.date(end))
    assert words.range(start, end) == expected


def test_english_keeps_the_house_forms() -> None:
    """`en` writes dates as the site always has (CLDR's en-GB for single dates; ranges without spaces, months in
    full); en-US takes CLDR's American forms."""
    words = Words("en")
    assert words.date(parse_date("2022-01-10")) == "10 January 2022"
    assert words.date(parse_date("2021-12")) == "December 2021"
    assert words.range(parse_date("2018-07-06"), parse_date("2018-07-09")) == "6–9 July 2018"
    assert words.range(parse_date("2019-03"), parse_date("2019-05")) == "March–May 2019"
    assert words.range(parse_date("2018-07-06"), parse_date("2018-08-09")) == "6 July–9 August 2018"
    assert Words("en-US").date(parse_date("2022-01-10")) == format_date(day("2022-01-10"), "long", locale="en_US")


@pytest.mark.parametrize("language", SHIPPED)
def test_numbers_are_cldrs(language: str) -> None:
    for value in (7, 1234, 1234567):
        assert Words(language).number(value) == format_decimal(value, locale=language, numbering_system="default")


@pytest.mark.parametrize("language", SHIPPED)
def test_plurals_follow_the_cldr_rule(language: str) -> None:
    """Each count takes the catalogue's form for its CLDR plural category (ru/uk: one, few, many; ar: six)."""
    locale = Locale.parse(language)
    wanted = ("%(count)s position", "%(count)s positions")
    entry = next(m for m in read_po(catalogue(language).open("rb")) if m.id == wanted)
    forms = dict(zip(plural_categories(language), entry.string, strict=True))
    for count in COUNTS:
        expected = forms[locale.plural_form(count)] % {"count": format_decimal(count, locale=language)}
        assert Words(language).ngettext("%(count)s position", "%(count)s positions", count) == expected, count


def plural_categories(language: str) -> tuple[str, ...]:
    """The CLDR categories of a language in the order of its gettext forms (Babel's Plural-Forms)."""
    return {
        "en": ("one", "other"), "de": ("one", "other"), "fa": ("one", "other"),
        "es": ("one", "many", "other"), "fr": ("one", "many", "other"),
        "ru": ("one", "few", "many"), "uk": ("one", "few", "many"),
        "ar": ("zero", "one", "two", "few", "many", "other"),
    }[language]  # fmt: skip


# The catalogues: complete, valid, compiled by GNU gettext.


def extracted_ids() -> set[str | tuple[str, ...]]:
    """Every msgid of the templates and the code, extracted now as `pybabel extract -F babel.cfg` does."""
    method_map = [("explainer/**.py", "python"), ("templates/**.html", "jinja2")]
    options = {"templates/**.html": {"extensions": "jinja2.ext.i18n", "trim_blocks": "True", "lstrip_blocks": "True"}}
    found = extract_from_dir(str(REPO), method_map, options, keywords={"_": None, "gettext": None,
                             "ngettext": (1, 2), "N_": None})  # fmt: skip
    return {message if isinstance(message, str) else tuple(message) for _, _, message, *_ in found}


def catalogue_ids(path: Path) -> set[str | tuple[str, ...]]:
    found = read_po(path.open("rb"))
    return {m.id for m in found if m.id and m.string and (not isinstance(m.string, tuple) or all(m.string))}


def test_the_template_catalogue_is_up_to_date() -> None:
    assert extracted_ids() == {m.id for m in read_po((LOCALES / "explainer.pot").open("rb")) if m.id}


@pytest.mark.parametrize("language", SHIPPED)
def test_every_shipped_catalogue_is_complete(language: str) -> None:
    missing = extracted_ids() - catalogue_ids(catalogue(language))
    assert not missing, f"{language}: no translation of {sorted(map(str, missing))}"


@pytest.mark.parametrize("language", SHIPPED)
def test_every_shipped_catalogue_compiles_with_msgfmt_check(language: str, tmp_path: Path) -> None:
    if shutil.which("msgfmt") is None:
        pytest.skip("GNU gettext's msgfmt is not installed (apt-get install gettext; .ci/run installs it)")
    done = subprocess.run(["msgfmt", "--check", "-o", str(tmp_path / "x.mo"), str(catalogue(language))],
                          capture_output=True, text=True)  # fmt: skip
    assert done.returncode == 0, done.stderr


# Sites built in other languages.


@pytest.fixture
def site_in(example_site: Path):  # type: ignore[no-untyped-def]
    def build(language: str, files: dict[str, str] | None = None,
              *options: str) -> tuple[Path, subprocess.CompletedProcess[str]]:  # fmt: skip
        example_in_one_language(example_site)  # `languages: [en, es]` would have to start with the language
        site_yaml = example_site / "content" / "site.yaml"
        lines = [line for line in site_yaml.read_text().splitlines() if not line.startswith("language:")]
        site_yaml.write_text("\n".join([*lines, f"language: {language}", ""]))
        for rel, text in (files or {}).items():
            (example_site / rel).parent.mkdir(parents=True, exist_ok=True)
            (example_site / rel).write_text(text)
        done = run_build(example_site, "--no-cache", "--no-search", *options)
        return example_site / "output", done

    return build


@pytest.mark.parametrize("language", ["fa", "es"])
def test_a_site_in_another_language_has_no_english_built_in_strings(site_in, language: str) -> None:  # type: ignore[no-untyped-def]
    output, done = site_in(language)
    assert done.returncode == 0, done.stderr
    words = Words(language)
    shown = set()
    for page in [output / "index.html", *sorted(output.glob("issues/*/index.html"))]:
        html = soup(page)
        assert html.html["lang"] == language
        shown |= {h.get_text() for h in html.find_all(["h2", "h3"])}
        assert "Skip to content" not in html.get_text()
        assert "Based on" not in html.find("footer").get_text()
    for heading in HEADINGS:
        assert heading not in shown
        assert words.gettext(heading) in shown and words.gettext(heading) != heading
    count = soup(output / "index.html").find(class_="count").get_text()
    assert "position" not in count


def test_a_sites_own_catalogue_overrides_a_built_in_string(site_in) -> None:  # type: ignore[no-untyped-def]
    po = 'msgid ""\nmsgstr ""\n\nmsgid "Where they stand"\nmsgstr "Quién defiende qué"\n'
    output, done = site_in("es", {"content/i18n/es.po": po})
    assert done.returncode == 0, done.stderr
    page = next(output.glob("issues/*/index.html"))
    assert soup(page).find(id="sec-positions").get_text() == "Quién defiende qué"
    assert soup(page).find(id="sec-quotes") is None or soup(page).find(id="sec-quotes").get_text() == "Lo que dijeron"


def test_an_invalid_site_catalogue_is_an_error_at_its_line(site_in) -> None:  # type: ignore[no-untyped-def]
    po = 'msgid ""\nmsgstr ""\n\nmsgid "Sources"\nmsgstr "Fuentes"\nnonsense here\n'
    _, done = site_in("es", {"content/i18n/es.po": po})
    assert done.returncode == 1
    assert "content/i18n/es.po:6: error: not a valid .po file: Unknown or misformatted keyword" in done.stderr
    assert "Traceback" not in done.stderr


def test_a_string_missing_from_the_catalogue_is_a_warning_naming_it(site_in, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    po = 'msgid ""\nmsgstr ""\n\nmsgid "Sources"\nmsgstr "Fontes"\n'
    output, done = site_in("pt", {"content/i18n/pt.po": po}, "--verbose")
    assert done.returncode == 0, done.stderr
    assert "content/i18n/pt.po: warning: no 'pt' translation of 'Where they stand': shown in English" in done.stderr
    page = next(output.glob("issues/*/index.html"))
    assert soup(page).find(id="sec-positions").get_text() == "Where they stand"
    assert soup(page).find(id="sec-sources").get_text() == "Fontes"


def test_a_language_without_a_catalogue_is_one_warning_and_english_words(site_in) -> None:  # type: ignore[no-untyped-def]
    output, done = site_in("sw")
    assert done.returncode == 0, done.stderr
    assert done.stderr.count("no catalogue of built-in strings in 'sw'") == 1
    html = soup(output / "index.html")
    assert html.find(id="sec-issues").get_text() == "The issues"
    updated = html.find("header").find_next("time")
    assert updated is not None and updated.get_text() == Words("sw").date(parse_date(updated["datetime"]))


@pytest.mark.parametrize(
    ("tag", "message"),
    [
        ("xx", "error: unknown language 'xx'"),
        ("pt_BR", "error: 'pt_BR' is not a BCP 47 language tag: write it like 'en', 'pt-BR' or 'sr-Latn'"
                  " — did you mean 'pt-BR'?"),
        ("frr-", "error: 'frr-' is not a BCP 47 language tag"),
    ],
)  # fmt: skip
def test_a_bad_language_tag_is_an_error_at_its_line(site_in, tag: str, message: str) -> None:  # type: ignore[no-untyped-def]
    output, done = site_in(tag)
    assert done.returncode == 1
    site_yaml = (output.parent / "content" / "site.yaml").read_text().splitlines()
    line = site_yaml.index(f"language: {tag}") + 1
    assert f"content/site.yaml:{line}: {message}" in done.stderr
    assert "Traceback" not in done.stderr
