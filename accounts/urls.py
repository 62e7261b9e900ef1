from django.contrib.auth import views as auth_views
from django.urls import path

from accounts import views

# Included at the site root: the sign-in pages live under /accounts/, the author
# programme at /become-author/ (PRODUCT §12).
app_name = "accounts"
urlpatterns = [
    path("accounts/login/", views.SignInView.as_view(), name="login"),
    path("accounts/logout/", views.SignOutView.as_view(), name="logout"),
    path("accounts/signup/", views.signup, name="signup"),
    path("accounts/verify-email/resend/", views.verify_email_resend, name="verify_email_resend"),
    path("accounts/verify-email/<str:token>/", views.verify_email, name="verify_email"),
    path("accounts/me/", views.me, name="me"),
    path("accounts/me/edit/", views.me_edit, name="me_edit"),
    path("accounts/me/notices/", views.notices, name="notices"),
    path("accounts/me/notices/read/", views.notices_mark_read, name="notices_mark_read"),
    path("accounts/password/change/", views.PasswordChangeView.as_view(), name="password_change"),
    path("accounts/password/reset/", views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "accounts/password/reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "accounts/password/reset/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "accounts/password/reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("become-author/", views.become_author, name="become_author"),
    path("become-author/withdraw/<int:pk>/", views.application_withdraw, name="application_withdraw"),
    path("become-author/review/", views.review_list, name="review"),
    path("become-author/review/<int:pk>/", views.review_decide, name="review_decide"),
]
