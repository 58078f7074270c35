"""Run every benchmark: the slot engine alone, the trainer pages on the demo data (SQLite),
then (on PostgreSQL) the slots endpoint and the client search. Each script builds its own
data in a database of its own and drops it afterwards.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres make bench
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> int:
    failed = 0
    scripts = ["slots_engine.py", "pages.py"]
    if os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        scripts += ["slots_api.py", "clients_search.py"]
    else:
        print("DATABASE_URL is not PostgreSQL: running the engine and page benchmarks only.")
    for script in scripts:
        print(f"\n== bench/{script}", flush=True)
        failed |= subprocess.call([sys.executable, str(HERE / script)])
    return failed


if __name__ == "__main__":
    sys.exit(main())
