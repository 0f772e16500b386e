"""Packaging that pyproject.toml cannot declare: the default theme shipped from where it lives.

The theme stays in the repository's templates/ and static/ (a user restyles by editing those two folders),
and the installed package carries them as explainer/_theme/templates and explainer/_theme/static, which
explainer/theme.py finds. pyproject.toml's package discovery only finds folders that are packages where they
are, and its package-dir cannot add a package that discovery did not find: so the list is made here, with
the same discovery (every subpackage of explainer) plus the two mapped folders.
"""

from setuptools import find_packages, setup

THEME = {"explainer._theme.templates": "templates", "explainer._theme.static": "static"}

setup(
    packages=[*find_packages(include=["explainer*"]), *THEME],
    package_dir=THEME,
    package_data={"explainer": ["locales/*.pot", "locales/*/LC_MESSAGES/*.po"], **{name: ["**/*"] for name in THEME}},
)
