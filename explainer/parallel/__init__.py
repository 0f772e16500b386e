"""Worker processes around the stages: the page, key and Markdown workers of `build` (`pagepool`, `prerender`),
the load workers (`loadpool`), the feed writer (`sidewrite`), serve's first-build workers (`previewpool`), all
forked by `forks`; how a forked child takes signals (`childsignals`) and the collector's settings for a build
(`gctune`). The stages never import this package."""
