"""Build the explainer site: `python build.py --help`."""

from explainer.cli import run

if __name__ == "__main__":
    run()
