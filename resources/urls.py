from django.urls import path

from resources.views import community, library, publish  # noqa: F401 — filled area by area

app_name = "resources"

urlpatterns = [
    # The library and the resource page (views/library.py)
    path("", library.index, name="index"),
    path("<int:pk>/", library.detail, name="detail"),
    path("<int:pk>/notice.json", library.export, name="export"),
    # Publishing, editing, history, files (views/publish.py)
    path("nouvelle/", publish.create, name="create"),
    path("<int:pk>/modifier/", publish.edit, name="edit"),
    path("<int:pk>/publier/", publish.publish, name="publish"),
    path("<int:pk>/historique/", publish.history, name="history"),
    path("<int:pk>/historique/<int:number>/", publish.version, name="version"),
    path("<int:pk>/historique/<int:number>/restaurer/", publish.restore, name="restore"),
    path("<int:pk>/fichiers/<int:file_pk>/", publish.file, name="file"),
    path("<int:pk>/fichiers/<int:file_pk>/retirer/", publish.file_remove, name="file_remove"),
    # « Utile », comments, reports and moderation (views/community.py)
    path("<int:pk>/utile/", community.useful, name="useful"),
    path("<int:pk>/commentaires/", community.comment, name="comment"),
    path("<int:pk>/commentaires/masquer/", community.comment_hide, name="comment_hide"),
    path("<int:pk>/signaler/", community.report, name="report"),
    path("signalements/", community.reports, name="reports"),
    path("signalements/<int:pk>/traiter/", community.report_resolve, name="report_resolve"),
]
