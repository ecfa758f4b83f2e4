from django.db import migrations

# SQLite plans the allowed-documents query of a search (visibility and filters) from table statistics: without
# them a status filter reads every note's wide row through its kind (~90 ms at archive scale), with them it starts
# from the items' status index (~6 ms). `search_reindex` refreshes them after a rebuild; this gives them to
# databases that already hold an index.


def analyze(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute("ANALYZE assessments_searchdocument")


class Migration(migrations.Migration):
    dependencies = [
        ("assessments", "0015_cycle_opening"),
    ]

    operations = [migrations.RunPython(analyze, migrations.RunPython.noop, elidable=True)]
