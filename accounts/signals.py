"""Signal receivers of the accounts app (connected in AccountsConfig.ready)."""

from accounts.client import client_ip, client_user_agent
from accounts.services import sign_in_record


def record_sign_in(sender, request, user, **kwargs) -> None:
    """user_logged_in(sender=user class, request, user): remember where the sign-in came from."""
    if request is None:
        return
    sign_in_record(user=user, ip_address=client_ip(request), user_agent=client_user_agent(request))
