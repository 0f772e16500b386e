"""`python build.py serve`: the rebuild loop (`loop`) and the preview web server (`preview`). Only the command
line imports this package."""
