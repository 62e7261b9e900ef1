app_name = "moderation-api"
urlpatterns: list = []
