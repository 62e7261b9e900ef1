"""An index for the API's article list (newest change first, trash left out): without it,
GET /api/v1/articles/ sorted every article by updated_at for each page.

Plain SQL that PostgreSQL and SQLite both understand; the index is not in the model's Meta
(the ordering index of a list, like 0003/0011's search indexes).
"""

from django.db import migrations

INDEX = "article_updated_live"


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0011_search_vector_column"),
    ]

    operations = [
        migrations.RunSQL(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON articles_article (updated_at DESC, id DESC) "
            "WHERE trashed_at IS NULL",
            f"DROP INDEX IF EXISTS {INDEX}",
            elidable=False,
        ),
    ]
