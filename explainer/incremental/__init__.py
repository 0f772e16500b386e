"""Rebuilding only what changed, around the stages: the build cache on disk (`buildcache`), what `serve` keeps
in memory between saves (`memory`), and the pieces both use (`bodyreads`, `relink`, `cardedits`, `kept`,
`spliced`). The stages never import this package."""
