"""Ranking: how keyword and meaning candidates become one list. The policy as data
(``policy``), the pure functions over a query's candidates (``ranking``), fusing two
lists (``fusion``) and the index's language balance (``balance``)."""
