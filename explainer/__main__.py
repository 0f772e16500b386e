"""`python -m explainer`: the `explainer` command (and `python build.py`) for an installed package."""

from .cli import run

if __name__ == "__main__":
    run()
