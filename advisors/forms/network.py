from django import forms

from advisors.enums import MembershipRole
from advisors.models import Invitation, Membership
from territories.forms import CommuneField, DepartementChoiceField
from territories.models import Departement


class MembershipRequestForm(forms.Form):
    departement = DepartementChoiceField(
        label="Réseau départemental",
        queryset=Departement.objects.order_by("code"),
        empty_label="Choisissez un département",
        error_messages={"required": "Choisissez le département dont vous voulez rejoindre le réseau."},
    )
    first_name = forms.CharField(label="Prénom", max_length=150, error_messages={"required": "Indiquez votre prénom."})
    last_name = forms.CharField(label="Nom", max_length=150, error_messages={"required": "Indiquez votre nom."})
    structure_name = forms.CharField(
        label="Votre structure",
        max_length=200,
        help_text="Commune, association, médiathèque, France Services…",
        error_messages={"required": "Indiquez la structure pour laquelle vous travaillez."},
    )
    commune = CommuneField(
        label="Commune où vous exercez",
        help_text="Tapez le nom ou le code postal, puis choisissez dans la liste.",
    )
    role = forms.ChoiceField(
        label="Vous rejoignez le réseau comme",
        choices=MembershipRole.choices,
        initial=MembershipRole.MEMBER,
        widget=forms.RadioSelect,
        error_messages={"required": "Indiquez si vous rejoignez le réseau comme membre ou pour le coordonner."},
    )
    message = forms.CharField(
        label="Un mot pour les coordinateurs (facultatif)",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean(self):
        cleaned = super().clean()
        departement, commune = cleaned.get("departement"), cleaned.get("commune")
        if departement and commune and commune.departement_id != departement.code:
            self.add_error(
                "commune",
                f"{commune.name} est dans le département {commune.departement_id}, pas dans le {departement.code}.",
            )
        return cleaned


class InvitationForm(forms.Form):
    email = forms.EmailField(
        label="Adresse électronique de la personne invitée",
        error_messages={
            "required": "Indiquez l’adresse électronique de la personne à inviter.",
            "invalid": "Cette adresse électronique n’est pas valide (exemple : prenom.nom@exemple.fr).",
        },
    )
    role = forms.ChoiceField(
        label="Rôle dans le réseau",
        choices=MembershipRole.choices,
        initial=MembershipRole.MEMBER,
        widget=forms.RadioSelect,
        error_messages={"required": "Choisissez le rôle de la personne invitée dans le réseau."},
    )

    def __init__(self, *args, departement, **kwargs):
        super().__init__(*args, **kwargs)
        self.departement = departement

    def clean(self):
        cleaned = super().clean()
        email, role = cleaned.get("email"), cleaned.get("role")
        if not email:
            return cleaned
        email = cleaned["email"] = email.strip().lower()
        member = Membership.objects.active().in_departement(self.departement).filter(user__email__iexact=email).first()
        # Inviting a member to coordinate is how a coordination hands over; anything else is a duplicate.
        if member and (member.is_coordinator or role != MembershipRole.COORDINATOR):
            self.add_error("email", f"{email} fait déjà partie du réseau : inutile de l’inviter.")
        elif Invitation.objects.usable().filter(departement=self.departement, email__iexact=email).exists():
            self.add_error(
                "email", f"{email} a déjà une invitation en cours : annulez-la d’abord pour en envoyer une autre."
            )
        return cleaned
