from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path

from config import views
from config.admin import AdminLoginForm

# The admin's login counts failed logins with the site's login (allauth's limits).
admin.site.login_form = AdminLoginForm

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("accessibilite/", views.page, {"template": "pages/accessibility.html"}, name="accessibility"),
    path("mentions-legales/", views.page, {"template": "pages/legal.html"}, name="legal"),
    path("sources-des-donnees/", views.page, {"template": "pages/data_sources.html"}, name="data_sources"),
    path("compte/", include("allauth.urls")),
    path("territoires/", include("territories.urls")),
    # After territories: the département page's "territoires/<code>/" would take its fixed paths.
    path("", include("overview.urls")),
    path("", include("advisors.urls")),
    path("competences/", include("skills.urls")),
    path("evenements/", include("events.urls")),
    path("ressources/", include("resources.urls")),
    path("orientations/", include("orientations.urls")),
    path("", include("animation.urls")),
    path("admin/", admin.site.urls),
]

# Uploaded files in development (the proxy serves them in production, README « Déployer »): the view
# answers only when DEBUG is on, read at each request rather than when this module is imported.
urlpatterns += [re_path(rf"^{settings.MEDIA_URL.strip('/')}/(?P<path>.*)$", views.media)]

handler403 = "config.views.permission_denied"
handler404 = "config.views.page_not_found"
handler500 = "config.views.server_error"
