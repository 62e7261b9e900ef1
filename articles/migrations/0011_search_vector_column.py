"""PostgreSQL only: the segmented search text as a stored tsvector column.

`search_vector` is GENERATED ALWAYS AS (to_tsvector('simple', search_text)) STORED, so
PostgreSQL keeps it current on every write (no service has to), and a GIN index over it
replaces 0003's index over the expression: matching reads the index, and ranking reads
the stored vector instead of segmenting search_text again for every matching row. The
column is not a model field (SQLite has no tsvector); articles.search names it in SQL.
This migration does nothing on other databases.
"""

from django.db import migrations

OLD_INDEX = "article_search_text_gin"
INDEX = "article_search_vector_gin"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        "ALTER TABLE articles_article ADD COLUMN IF NOT EXISTS search_vector tsvector "
        "GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, search_text)) STORED"
    )
    schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {INDEX} ON articles_article USING GIN (search_vector)")
    schema_editor.execute(f"DROP INDEX IF EXISTS {OLD_INDEX}")


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS {OLD_INDEX} ON articles_article "
        "USING GIN (to_tsvector('simple'::regconfig, search_text))"
    )
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")
    schema_editor.execute("ALTER TABLE articles_article DROP COLUMN IF EXISTS search_vector")


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0010_comment_replies_under_review"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards, elidable=False),
    ]
