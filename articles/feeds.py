"""The Atom feed of the newest published articles (/feed/)."""

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from articles import selectors
from articles.models import Article

FEED_SIZE = 20


class LatestArticlesFeed(Feed):
    feed_type = Atom1Feed
    link = "/"
    feed_url = "/feed/"

    def title(self) -> str:
        return _("%(site)s · 最新文章") % {"site": settings.SITE_NAME}

    def subtitle(self) -> str:
        return _("营销、增长、产品与 AI：%(site)s最新发布的文章。") % {"site": settings.SITE_NAME}

    def items(self) -> list[Article]:
        return selectors.article_list_for_feed(limit=FEED_SIZE)

    def item_title(self, item: Article) -> str:
        return item.title

    def item_description(self, item: Article) -> str:
        return item.summary

    def item_link(self, item: Article) -> str:
        return item.get_absolute_url()

    def item_pubdate(self, item: Article):
        return item.published_at

    def item_updateddate(self, item: Article):
        return item.updated_at

    def item_author_name(self, item: Article) -> str:
        return item.byline or (item.author.display_name if item.author_id else settings.SITE_NAME)

    def item_categories(self, item: Article) -> list[str]:
        return [tag.name for tag in item.tags.all()]
