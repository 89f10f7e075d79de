"""The peer of `wcokg query`: a bare pyoxigraph script that loads files and prints a query's rows.

python bench/bare_query.py QUERY.rq FILE...
"""

import sys

import pyoxigraph

from wcokg.names import prefixes

store = pyoxigraph.Store()
for path in sys.argv[2:]:
    store.bulk_load(path=path)
with open(sys.argv[1], encoding="utf-8") as query:
    rows = store.query(query.read(), prefixes=prefixes(), use_default_graph_as_union=True)
for row in rows:
    print("\t".join(str(term) for term in row))
