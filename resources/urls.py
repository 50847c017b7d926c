from django.urls import path

from resources.views import community, library, publish  # noqa: F401 — filled area by area

app_name = "resources"

urlpatterns = [
    # The library and the resource page (views/library.py)
    path("", library.index, name="index"),
    path("<int:pk>/", library.detail, name="detail"),
    # Publishing, editing, history, files (views/publish.py)
    # « Utile », comments, reports and moderation (views/community.py)
]
