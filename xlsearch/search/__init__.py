"""Search, in rooms of their own: query analysis (``query``), ranking policy (``ranking``),
keyword expressions (``lexical``), fusion (``fusion``), language balancing (``calibrate``)
and snippets (``snippet``). The engine wires them together and owns no policy itself."""
