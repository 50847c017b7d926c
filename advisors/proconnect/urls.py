from django.urls import path

from advisors.proconnect import logout, views

# Under /compte/ with allauth's own URLs (allauth.urls collects every provider's urlpatterns).
urlpatterns = [
    path("proconnect/connexion/", views.login, name="proconnect_login"),
    path("proconnect/connexion/retour/", views.callback, name="proconnect_callback"),
    # ProConnect's ``post_logout_redirect_uri`` (advisors.proconnect.logout), registered with ProConnect.
    path("proconnect/deconnexion/retour/", logout.callback, name="proconnect_logout_callback"),
]
