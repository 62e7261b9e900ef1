from django.conf import settings


def site(request):
    """Values every page's chrome needs (site name, submission mailbox)."""
    return {
        "SITE_NAME": settings.SITE_NAME,
        "SUBMISSION_EMAIL": settings.SUBMISSION_EMAIL,
    }
