"""Rebuilding only what changed, around the stages: the build cache on disk (`buildcache`), what `serve` keeps
in memory between saves (`memory`, `relink`), and the pieces both use (`changes`: what changed and what to redo;
`pagereads`, `viewparts`). The stages never import this package."""
