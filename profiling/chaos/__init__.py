"""
The fault suite (`make chaos`, `manage.py chaos`): faults an unlucky operator or an attacker brings, against real
PostgreSQL, real Redis, gunicorn and the sandbox upstream, each a row of a table: what happened, the requests
sent, the 5xx seen, the rows lost, and whether the fault's aim was met (README.md, "Faults: what an operator sees").

One module per family of faults, each with `run(context) -> [Row]`:

- `upstream.py`: upstream errors and bad payloads, through the sandbox's fault modes;
- `kills.py`: kill -TERM and kill -9 of a fetch_articles process mid-run;
- `locks.py`: three fetch_articles started at once;
- `database.py`: PostgreSQL stopped (and crashed) mid-ingest, and unreachable under API load, on a throwaway cluster;
- `cache.py`: Redis killed and frozen under API load;
- `inputs.py`: bad inputs on every parameter of every endpoint, bad Host headers, wrong methods, made-up keys.

`harness.py` holds what they share, `table.py` the report, `suite.py` the run.
"""
