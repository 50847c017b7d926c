"""The coordinators' form of a channel: where the network talks, how to join it, and its webhook."""

from collections import OrderedDict

from django import forms
from django.core.validators import URLValidator

from animation.enums import ChannelAccess, ChannelPlatform
from animation.models import Channel
from animation.queries.channels import spaces_of
from animation.services.webhooks import WEBHOOK_PLATFORMS, webhook_url_problem
from skills.models import Public, Skill

MAX_POSITION = 999


class NamedChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class WebURLField(forms.URLField):
    """A link people will open: http or https only (no ``javascript:``, no ``ftp:``)."""

    default_validators = [URLValidator(schemes=["http", "https"])]


class SpaceChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} ({obj.get_platform_display()})"


class ChannelForm(forms.ModelForm):
    """``departement``: the network the channel belongs to; its spaces are the parents offered."""

    parent = SpaceChoiceField(
        label="Dans l’espace",
        queryset=Channel.objects.none(),
        required=False,
        empty_label="Aucun : c’est un espace ou un canal à part",
        help_text="Un canal d’une équipe Mattermost ou d’un serveur Discord : choisissez l’équipe ou le serveur.",
        error_messages={"invalid_choice": "Choisissez un espace de ce réseau dans la liste."},
    )
    skills = NamedChoiceField(
        label="Thématiques",
        queryset=Skill.objects.validated().select_related("domain").order_by("domain__position", "name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Les sujets dont on y parle, s’il est thématique.",
        error_messages={"invalid_choice": "Cette thématique n’existe plus : décochez-la."},
    )
    publics = NamedChoiceField(
        label="Publics",
        queryset=Public.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Les publics dont on y parle, s’il en vise.",
        error_messages={"invalid_choice": "Ce public n’existe plus : décochez-le."},
    )
    join_url = WebURLField(
        label="Lien pour rejoindre",
        max_length=500,
        required=False,
        assume_scheme="https",
        help_text="Le lien d’invitation ou la page d’inscription, commençant par https://.",
        error_messages={
            "invalid": "Indiquez une adresse web complète, commençant par https://.",
            "max_length": "Le lien fait %(show_value)d caractères : 500 au plus.",
        },
    )
    position = forms.IntegerField(
        label="Ordre d’affichage",
        min_value=0,
        max_value=MAX_POSITION,
        initial=0,
        help_text="Les plus petits nombres d’abord ; à égalité, par ordre alphabétique.",
        error_messages={
            "required": "Indiquez un nombre de 0 à 999 (0 pour le début de la liste).",
            "invalid": "Indiquez un nombre entier.",
            "min_value": "Indiquez un nombre de 0 à 999.",
            "max_value": "Indiquez un nombre de 0 à 999.",
        },
    )
    webhook_url = forms.CharField(
        label="Adresse du webhook entrant",
        max_length=500,
        required=False,
        widget=forms.URLInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        help_text=(
            "Mattermost : Intégrations › Webhooks entrants ; Discord : Paramètres du salon › Intégrations › "
            "Webhooks. Elle commence par https:// et n’indique pas de port (seul le port habituel, 443, "
            "est accepté). Cette adresse est secrète : quiconque la connaît peut écrire dans le canal. "
            "Seule la coordination la voit."
        ),
        error_messages={"max_length": "L’adresse fait %(show_value)d caractères : 500 au plus."},
    )

    class Meta:
        model = Channel
        fields = [
            "parent",
            "name",
            "platform",
            "purpose",
            "skills",
            "publics",
            "access",
            "join_url",
            "join_instructions",
            "show_to_newcomers",
            "position",
            "webhook_url",
            "announce_events",
            "announce_resources",
            "announce_network_only",
        ]
        labels = {
            "name": "Nom",
            "platform": "Outil",
            "purpose": "À quoi il sert",
            "access": "Accès",
            "join_instructions": "Comment le rejoindre",
            "show_to_newcomers": "Le montrer aux nouveaux membres, dans leur panneau de bienvenue",
            "announce_events": "Y annoncer les nouveaux événements du réseau",
            "announce_resources": "Y annoncer les nouvelles ressources du réseau",
            "announce_network_only": "Annoncer aussi ce qui est réservé aux membres du réseau",
        }
        help_texts = {
            "name": "Par exemple « ~entraide » ou « Réseau numérique Loire ».",
            "purpose": "Ce qu’on y trouve, qui y parle, ce qu’on y poste. 1 000 caractères au plus.",
            "join_instructions": "Ce qu’il faut faire si le lien ne suffit pas : à qui écrire, quoi préciser.",
            "announce_network_only": (
                "Sans cette case, seuls les événements et ressources publics sont annoncés : "
                "cochez-la si le canal est réservé aux membres."
            ),
        }
        widgets = {
            "purpose": forms.Textarea(attrs={"rows": 3}),
            "join_instructions": forms.Textarea(attrs={"rows": 3}),
            "access": forms.RadioSelect,
        }
        error_messages = {
            "name": {
                "required": "Donnez un nom au canal.",
                "max_length": "Le nom fait %(show_value)d caractères : 150 au plus.",
            },
            "platform": {"required": "Choisissez l’outil.", "invalid_choice": "Choisissez un outil de la liste."},
            "purpose": {
                "required": "Dites en une phrase à quoi sert ce canal.",
                "max_length": "Le texte fait %(show_value)d caractères : 1 000 au plus.",
            },
            "access": {"required": "Dites si le canal est ouvert ou sur demande.", "invalid_choice": "Choisissez."},
            "join_instructions": {"max_length": "Le texte fait %(show_value)d caractères : 1 000 au plus."},
        }

    def __init__(self, *args, departement, **kwargs):
        super().__init__(*args, **kwargs)
        self.departement = departement
        self.fields["parent"].queryset = spaces_of(departement, exclude=self.instance)
        self.fields["access"].choices = ChannelAccess.choices
        self.fields["platform"].choices = [("", "Choisissez l’outil"), *ChannelPlatform.choices]

    def clean_webhook_url(self):
        url = self.cleaned_data["webhook_url"].strip()
        if not url:
            return ""
        try:
            URLValidator(schemes=["http", "https"])(url)
        except forms.ValidationError:
            raise forms.ValidationError("Indiquez une adresse web complète, commençant par https://.") from None
        problem = webhook_url_problem(url)
        if problem:
            raise forms.ValidationError(problem)
        return url

    def clean(self):
        data = super().clean()
        parent = data.get("parent")
        if parent is not None:
            # The list offers only this network's top-level channels; a forged id or a move of the space
            # since the page was shown still gets its answer here.
            if parent.departement_id != self.departement.code or parent.parent_id is not None:
                self.add_error("parent", "Choisissez un espace de ce réseau, qui n’est pas lui-même dans un espace.")
            elif self.instance.pk and self.instance.children.exists():
                self.add_error(
                    "parent",
                    "Ce canal contient d’autres canaux : il reste un espace. Déplacez d’abord ses canaux.",
                )
        url = data.get("webhook_url")
        platform = data.get("platform")
        if url and platform and platform not in WEBHOOK_PLATFORMS:
            self.add_error(
                "webhook_url",
                f"Les annonces par webhook se font vers Mattermost ou Discord, pas vers "
                f"{ChannelPlatform(platform).label}.",
            )
        if not url and (data.get("announce_events") or data.get("announce_resources")):
            self.add_error(
                "webhook_url", "Pour y annoncer les événements ou les ressources, indiquez l’adresse du webhook."
            )
        return data

    def skill_groups(self):
        """The checkboxes grouped by domain: [(domain, [subwidget, …], any checked), …]."""
        groups = OrderedDict()
        for checkbox in self["skills"]:
            groups.setdefault(checkbox.data["value"].instance.domain, []).append(checkbox)
        return [(domain, boxes, any(box.data["selected"] for box in boxes)) for domain, boxes in groups.items()]

    @property
    def service_data(self):
        data = {name: self.cleaned_data[name] for name in self.Meta.fields}
        data["skills"] = list(data["skills"])
        data["publics"] = list(data["publics"])
        return data
