from django.core.paginator import Paginator
from django.shortcuts import render

from articles import selectors
from articles.rendering import markdown_to_html

HOME_PAGE_SIZE = 10


def home(request):
    articles = selectors.article_list_published()
    page = Paginator(articles, HOME_PAGE_SIZE).get_page(request.GET.get("page"))
    featured = list(articles.filter(featured=True)[:3]) if page.number == 1 else []
    return render(request, "articles/home.html", {"page": page, "featured": featured})


def submit(request):
    """/submit/: the submission form for authors; everyone else learns how to submit."""
    if request.user.has_perm("articles.submit_article"):
        return author_submit(request)
    return render(request, "accounts/submit_notice.html", status=200)


def author_submit(request):
    """The author submission form (articles.submit_views)."""
    from articles.submit_views import author_submit as form_view

    return form_view(request)


def article_detail(request, slug: str):
    article = selectors.article_get_published(slug=slug)
    return render(request, "articles/detail.html", {"article": article, "body_html": markdown_to_html(article.body)})
