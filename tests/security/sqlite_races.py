"""`python -m tests.security.sqlite_races DB_FILE [TRIALS]`: the races of races.py on a new SQLite file.

Migrates the file, loads the demo data, runs every scenario and prints the summaries as JSON on stdout.
"""

import json
import os
import sys
from dataclasses import asdict


def main(database_path: str, trials: int) -> None:
    os.environ["DATABASE_URL"] = f"sqlite:///{database_path}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "r2p.settings.test")
    import django

    django.setup()
    from django.core.management import call_command

    from assessments.demo.loader import demo_load
    from tests.security.races import run_all

    call_command("migrate", verbosity=0)
    demo_load()
    print(json.dumps([asdict(summary) for summary in run_all(trials)]))


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 20)
