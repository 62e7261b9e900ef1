from django.db.models import Prefetch
from django.shortcuts import render

from moderation.models import Rule
from moderation.selectors import convention_current


def convention(request):
    """The community convention in force, as a public page."""
    version = convention_current()
    categories = []
    if version is not None:
        categories = version.categories.prefetch_related(Prefetch("rules", queryset=Rule.objects.order_by("position")))
    return render(request, "moderation/convention.html", {"convention": version, "categories": categories})
