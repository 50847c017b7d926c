from django.urls import path

from advisors.proconnect import views

# Under /compte/ with allauth's own URLs (allauth.urls collects every provider's urlpatterns).
urlpatterns = [
    path("proconnect/connexion/", views.login, name="proconnect_login"),
    path("proconnect/connexion/retour/", views.callback, name="proconnect_callback"),
]
