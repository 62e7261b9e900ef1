from django.db import migrations, models


def render_published_bodies(apps, schema_editor):
    """Articles published before this migration get their stored HTML now."""
    from articles.rendering import markdown_to_html

    Article = apps.get_model("articles", "Article")
    for article in Article.objects.filter(status="published", body_html="").only("id", "body").iterator():
        Article.objects.filter(pk=article.pk).update(body_html=markdown_to_html(article.body))


class Migration(migrations.Migration):

    dependencies = [
        ('articles', '0003_search_text_gin'),
    ]

    operations = [
        migrations.AddField(
            model_name='article',
            name='body_html',
            field=models.TextField(blank=True, editable=False, verbose_name='正文（HTML）'),
        ),
        migrations.RunPython(render_published_bodies, migrations.RunPython.noop),
    ]
