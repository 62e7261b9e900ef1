"""PostgreSQL only: a GIN index over to_tsvector('simple', search_text) for Chinese search.

The expression must stay identical to articles.search._SimpleTsVector, or PostgreSQL will
not use the index. SQLite has no tsvector; there the search falls back to icontains, so
this migration does nothing on other databases.
"""

from django.db import migrations

INDEX = "article_search_text_gin"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {INDEX} ON articles_article "
        "USING GIN (to_tsvector('simple'::regconfig, search_text))"
    )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0002_workflow_models"),
    ]

    operations = [
        migrations.RunPython(create_index, drop_index, elidable=False),
    ]
