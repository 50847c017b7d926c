"""Account pages (django-allauth) as a person meets them: in French, in the site's layout, accessible."""

import re
from html.parser import HTMLParser
from urllib.parse import quote

import pytest
from allauth.account.models import EmailAddress

from advisors.enums import MembershipStatus
from advisors.models import Membership, User
from tests.advisors.factories import DEFAULT_PASSWORD, InvitationFactory, UserFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Chemin-des-Écoliers-2026"
# allauth's English texts that must never reach a page.
ENGLISH = ["Sign In", "Sign Up", "Sign Out", "Password", "Email Address", "Forgot", "Remember Me", "Change Email"]


class PageParser(HTMLParser):
    """What a screen reader or a keyboard meets on a page: headings, form controls and their labels."""

    def __init__(self):
        super().__init__()
        self.headings = []
        self.controls = []
        self.label_targets = set()
        self.inline_code = []
        self.unstyled_buttons = []
        self.lang = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "html":
            self.lang = attrs.get("lang")
        if re.fullmatch(r"h[1-6]", tag):
            self.headings.append(int(tag[1]))
        if tag == "label" and attrs.get("for"):
            self.label_targets.add(attrs["for"])
        if tag in {"input", "select", "textarea"} and attrs.get("type") not in {"hidden", "submit", "button"}:
            self.controls.append(attrs)
        if tag == "button" and not {"button", "link-button"} & set((attrs.get("class") or "").split()):
            self.unstyled_buttons.append(attrs)
        if "style" in attrs or tag == "style" or (tag == "script" and "src" not in attrs):
            self.inline_code.append(tag)


def assert_account_page(response, french_text, status=200):
    """French, in the site's layout, one h1 and headings in order, every field labelled, no inline code."""
    assert response.status_code == status
    content = response.content.decode()
    parser = PageParser()
    parser.feed(content)
    assert parser.lang == "fr"
    assert french_text in content
    assert "Aller au contenu" in content  # the site's layout, not allauth's bare one
    assert parser.headings.count(1) == 1 and parser.headings[0] == 1
    for previous, heading in zip(parser.headings, parser.headings[1:], strict=False):
        assert heading <= previous + 1, f"h{previous} followed by h{heading}"
    for control in parser.controls:
        assert control.get("id") in parser.label_targets, f"field without a label: {control}"
    assert parser.inline_code == []
    assert parser.unstyled_buttons == []
    for english in ENGLISH:
        assert english not in content
    return content


def link_in(mail, path):
    match = re.search(rf"http://testserver{path}\S+", mail.body)
    assert match, mail.body
    return match.group(0).removeprefix("http://testserver")


def logged_in_user_id(client):
    return client.session.get("_auth_user_id")


def login(client, email, password=DEFAULT_PASSWORD):
    return client.post("/compte/login/", {"login": email, "password": password})


# Sign-up and email verification


def test_signup_needs_the_emailed_link_before_any_login(client, mailoutbox):
    response = client.get("/compte/signup/")
    content = assert_account_page(response, "Créer un compte")
    assert 'autocomplete="email"' in content and content.count('autocomplete="new-password"') == 2

    response = client.post(
        "/compte/signup/",
        {"email": "Amelie.Berthelot@exemple.fr", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert response.status_code == 302 and response.url == "/compte/confirm-email/"
    assert logged_in_user_id(client) is None
    assert_account_page(client.get(response.url), "Vérifiez votre adresse électronique")
    user = User.objects.get(email="amelie.berthelot@exemple.fr")
    assert not EmailAddress.objects.get(user=user).verified

    # Logging in before confirming leads back to the "check your inbox" page, not into the site.
    response = login(client, "amelie.berthelot@exemple.fr", NEW_PASSWORD)
    assert response.status_code == 302 and response.url == "/compte/confirm-email/"
    assert logged_in_user_id(client) is None
    assert client.get("/reseau/").status_code == 302

    [mail] = mailoutbox
    assert mail.to == ["amelie.berthelot@exemple.fr"]
    assert mail.subject == "[Maillage] Confirmez votre adresse électronique"
    assert "Bonjour, c'est Maillage !" in mail.body
    url = link_in(mail, "/compte/confirm-email/")
    content = assert_account_page(client.get(url), "Confirmer votre adresse électronique")
    assert "<strong>amelie.berthelot@exemple.fr</strong>" in content

    response = client.post(url)
    assert response.status_code == 302 and response.url == "/reseau/"
    assert logged_in_user_id(client) == str(user.pk)
    assert EmailAddress.objects.get(user=user).verified


def test_signup_errors_are_french_and_next_to_their_field(client):
    response = client.post(
        "/compte/signup/", {"email": "pas-une-adresse", "password1": "123456", "password2": "123456"}
    )
    content = assert_account_page(response, "Créer un compte")
    assert "<title>Erreur — Créer un compte — Maillage</title>" in content
    assert 'role="alert"' in content
    email_error = content.index('<ul class="errors" id="id_email_error"><li>Saisissez une adresse de courriel valide.')
    email_input = content.index('<input type="email" name="email" value="pas-une-adresse"')
    assert email_error < email_input
    assert re.search(
        r'<input type="email" name="email"[^>]*aria-invalid="true" aria-describedby="id_email_error"', content
    )
    assert "Ce mot de passe est entièrement numérique." in content
    assert re.search(r'name="password1"[^>]*aria-describedby="id_password1_helptext id_password1_error"', content)
    assert not User.objects.exists()


def test_confirmation_link_that_expired_says_so_in_french(client):
    assert_account_page(client.get("/compte/confirm-email/inconnu/"), "Ce lien de confirmation a expiré")


# Login


def test_login_with_email(client):
    user = UserFactory(email="gaelle.le-bihan@exemple.fr", first_name="Gaëlle", last_name="Le Bihan")
    content = assert_account_page(client.get("/compte/login/"), "Se connecter")
    assert 'autocomplete="email"' in content and 'autocomplete="current-password"' in content

    response = login(client, "Gaelle.Le-Bihan@exemple.fr")
    assert response.status_code == 302 and response.url == "/reseau/"
    assert logged_in_user_id(client) == str(user.pk)
    assert "Connexion avec Gaëlle Le Bihan réussie." in client.get(response.url).content.decode()


def test_wrong_password_shows_a_french_error_in_the_form(client):
    UserFactory(email="joel.ferrandiere@exemple.fr")
    response = login(client, "joel.ferrandiere@exemple.fr", "pas-le-bon-mot-de-passe")
    content = assert_account_page(response, "Se connecter")
    assert logged_in_user_id(client) is None
    assert "<title>Erreur — Se connecter — Maillage</title>" in content
    form = content[content.index('<form method="post" action="/compte/login/"') : content.index("</form>")]
    assert re.search(r'role="alert">\s*<ul><li>L’adresse électronique ou le mot de passe sont incorrects.</li>', form)
    # The address typed stays; the password does not.
    assert 'value="joel.ferrandiere@exemple.fr"' in form and 'value="pas-le-bon' not in form


def test_login_is_refused_after_five_failures_for_one_account(client):
    user = UserFactory(email="maryse.quere@exemple.fr")
    for _ in range(5):
        response = login(client, "maryse.quere@exemple.fr", "essai-au-hasard")
        assert "L’adresse électronique ou le mot de passe sont incorrects." in response.content.decode()

    # Even the right password is refused now: guessing has to pause.
    response = login(client, "maryse.quere@exemple.fr")
    # The message says how long the pause lasts (login_failed: 5/5m/key).
    assert_account_page(
        response, "Trop de tentatives de connexion échouées. Par sécurité, ce compte est bloqué pendant 5 minutes"
    )
    assert logged_in_user_id(client) is None
    # Another account is not locked by the failures on this one.
    other = UserFactory(email="yannick.morvan@exemple.fr")
    assert login(client, other.email).status_code == 302
    assert logged_in_user_id(client) == str(other.pk) != str(user.pk)


def test_too_many_login_requests_get_the_french_429_page(client):
    UserFactory(email="odile.dupre@exemple.fr")
    for attempt in range(30):
        response = login(client, f"essai{attempt}@exemple.fr", "essai-au-hasard")
        assert response.status_code == 200
    response = login(client, "odile.dupre@exemple.fr")
    content = assert_account_page(response, "Vous avez fait trop de demandes en peu de temps.", status=429)
    assert "cette action est suspendue pendant une minute." in content
    assert logged_in_user_id(client) is None


def test_inactive_account_gets_the_french_inactive_page(client):
    UserFactory(email="rene.cazals@exemple.fr", is_active=False)
    response = login(client, "rene.cazals@exemple.fr")
    assert response.status_code == 302 and response.url == "/compte/inactive/"
    assert_account_page(client.get(response.url), "Ce compte est inactif.")
    assert logged_in_user_id(client) is None


def test_login_and_signup_pages_run_few_queries(client, loire, django_assert_max_num_queries):
    # A visitor who chose a département: the header names it (one query); nothing else reads the database.
    client.cookies["maillage_dep"] = loire.code
    for url in ["/compte/login/", "/compte/signup/"]:
        with django_assert_max_num_queries(1):
            response = client.get(url)
        assert response.status_code == 200 and "Votre département" in response.content.decode()


# Password reset and change


def test_password_reset_through_the_emailed_link(client, mailoutbox):
    user = UserFactory(email="benedicte.ravel@exemple.fr")
    assert_account_page(client.get("/compte/password/reset/"), "Réinitialisation du mot de passe")

    response = client.post("/compte/password/reset/", {"email": "benedicte.ravel@exemple.fr"})
    assert response.status_code == 302 and response.url == "/compte/password/reset/done/"
    assert_account_page(client.get(response.url), "Nous vous avons envoyé un courriel.")

    [mail] = mailoutbox
    assert mail.to == ["benedicte.ravel@exemple.fr"] and mail.subject.startswith("[Maillage] ")
    response = client.get(link_in(mail, "/compte/password/reset/key/"))
    assert response.status_code == 302  # allauth moves the key from the URL into the session
    set_password_url = response.url
    content = assert_account_page(client.get(set_password_url), "Choisir un nouveau mot de passe")
    assert content.count('autocomplete="new-password"') == 2

    response = client.post(set_password_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert response.status_code == 302 and response.url == "/compte/password/reset/key/done/"
    assert_account_page(client.get(response.url), "Votre mot de passe a été modifié.")
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert login(client, "benedicte.ravel@exemple.fr", NEW_PASSWORD).status_code == 302


def test_used_password_reset_link_is_refused_in_french(client, mailoutbox):
    UserFactory(email="benedicte.ravel@exemple.fr")
    client.post("/compte/password/reset/", {"email": "benedicte.ravel@exemple.fr"})
    url = client.get(link_in(mailoutbox[0], "/compte/password/reset/key/")).url
    client.post(url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    response = client.get(link_in(mailoutbox[0], "/compte/password/reset/key/"), follow=True)
    assert_account_page(response, "Ce lien de réinitialisation du mot de passe n’est pas valide")


def test_password_change(client):
    user = UserFactory(email="herve.lemaitre@exemple.fr")
    client.force_login(user)
    content = assert_account_page(client.get("/compte/password/change/"), "Modifier mon mot de passe")
    assert 'autocomplete="current-password"' in content and content.count('autocomplete="new-password"') == 2

    response = client.post(
        "/compte/password/change/",
        {"oldpassword": "pas-le-bon", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    content = assert_account_page(response, "Merci d&#x27;indiquer votre mot de passe actuel.")
    assert re.search(
        r'name="oldpassword"[^>]*aria-invalid="true"[^>]*aria-describedby="[^"]*id_oldpassword_error', content
    )

    response = client.post(
        "/compte/password/change/",
        {"oldpassword": DEFAULT_PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    assert "Mot de passe modifié avec succès." in client.get(response.url).content.decode()
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert logged_in_user_id(client) == str(user.pk)


# Email change


def test_email_change_verified_through_the_link_becomes_the_login(client, mailoutbox):
    user = UserFactory(email="loic.kerjean@exemple.fr")
    client.force_login(user)
    assert_account_page(
        client.get("/compte/email/"), "Vous vous connectez avec <strong>loic.kerjean@exemple.fr</strong>"
    )

    response = client.post("/compte/email/", {"action_add": "", "email": "loic.kerjean@mediatheque-lannion.fr"})
    assert response.status_code == 302
    content = assert_account_page(client.get("/compte/email/"), "Changement en attente vers")
    assert "<strong>loic.kerjean@mediatheque-lannion.fr</strong>" in content
    # Until the new address is verified, the old one stays the login.
    user.refresh_from_db()
    assert user.email == "loic.kerjean@exemple.fr"

    [mail] = mailoutbox
    assert mail.to == ["loic.kerjean@mediatheque-lannion.fr"]
    response = client.post(link_in(mail, "/compte/confirm-email/"))
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.email == "loic.kerjean@mediatheque-lannion.fr"
    assert list(EmailAddress.objects.filter(user=user).values_list("email", "verified", "primary")) == [
        ("loic.kerjean@mediatheque-lannion.fr", True, True)
    ]
    client.logout()
    assert login(client, "loic.kerjean@mediatheque-lannion.fr").status_code == 302


def test_email_change_to_an_invalid_address_shows_the_error_at_the_field(client):
    client.force_login(UserFactory(email="loic.kerjean@exemple.fr"))
    response = client.post("/compte/email/", {"action_add": "", "email": "loic.kerjean@"})
    content = assert_account_page(response, "Saisissez une adresse de courriel valide.")
    assert re.search(r'name="email"[^>]*aria-invalid="true" aria-describedby="id_email_error"', content)


# Logout


def test_logout_is_a_post(client):
    user = UserFactory(email="solene.arnaud@exemple.fr")
    client.force_login(user)
    assert_account_page(client.get("/compte/logout/"), "Êtes-vous sûr(e) de vouloir vous déconnecter ?")
    assert logged_in_user_id(client) == str(user.pk)  # showing the page logs no one out

    response = client.post("/compte/logout/")
    assert response.status_code == 302
    assert logged_in_user_id(client) is None
    assert "Vous êtes déconnecté(e)." in client.get(response.url).content.decode()


# Invitations


def test_signup_from_an_invitation_needs_no_second_check_and_goes_back_to_it(client, loire, mailoutbox):
    invitation = InvitationFactory(departement=loire, email="soizic.kerouredan@exemple.fr")
    invitation_url = invitation.get_absolute_url()
    content = client.get(invitation_url).content.decode()
    signup_url = f"/compte/signup/?next={quote(invitation_url)}"
    assert f'href="{signup_url}"' in content

    content = assert_account_page(client.get(signup_url), "elle est déjà vérifiée")
    assert re.search(r'<input type="email" name="email" value="soizic.kerouredan@exemple.fr"', content)
    assert f'<input type="hidden" name="next" value="{invitation_url}">' in content

    response = client.post(
        signup_url,
        {
            "email": "soizic.kerouredan@exemple.fr",
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
            "next": invitation_url,
        },
    )
    assert response.status_code == 302 and response.url == invitation_url
    user = User.objects.get(email="soizic.kerouredan@exemple.fr")
    assert logged_in_user_id(client) == str(user.pk)
    assert EmailAddress.objects.filter(user=user, email=user.email, verified=True, primary=True).exists()
    assert mailoutbox == []  # no verification email: the invitation link proved the address

    assert "Rejoindre le réseau de la Loire" in client.get(invitation_url).content.decode()
    response = client.post(invitation_url)
    assert response.status_code == 302 and response.url == "/reseau/"
    membership = Membership.objects.get(user=user, departement=loire)
    assert membership.status == MembershipStatus.ACTIVE


def test_signup_from_an_invitation_with_another_address_verifies_that_address(client, loire, mailoutbox):
    invitation = InvitationFactory(departement=loire, email="soizic.kerouredan@exemple.fr")
    client.get(invitation.get_absolute_url())
    response = client.post(
        "/compte/signup/",
        {"email": "soizic@asso-numerique.fr", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert response.status_code == 302 and response.url == "/compte/confirm-email/"
    assert logged_in_user_id(client) is None
    user = User.objects.get(email="soizic@asso-numerique.fr")
    assert list(user.emailaddress_set.values_list("email", "verified")) == [("soizic@asso-numerique.fr", False)]
    assert not User.objects.filter(email="soizic.kerouredan@exemple.fr").exists()
    assert [mail.to for mail in mailoutbox] == [["soizic@asso-numerique.fr"]]
