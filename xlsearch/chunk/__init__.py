"""Text into passages: sentences grouped into chunks with their places (``sections``),
and the text meaning search is better without (``degenerate``)."""
