"""The export of one's own data (RGPD): everything personal the platform holds about a person."""

from django.db.models import Exists, OuterRef, Prefetch
from django.utils import timezone

from advisors.models import Advisor, Invitation, Membership, Permanence
from skills.models import AdvisorSkill, ProjectCard, ProjectInterest, Skill


def _commune(commune):
    return {"code": commune.code, "nom": commune.name} if commune else None


def _profile(advisor):
    return {
        "réseau départemental": advisor.departement_id,
        "rôle": advisor.get_role_display(),
        "structure": advisor.structure.name if advisor.structure_id else None,
        "commune de rattachement": _commune(advisor.commune),
        "communes d’intervention": [_commune(commune) for commune in advisor.intervention_communes.all()],
        "permanences": [
            {
                "lieu": permanence.lieu.name,
                "commune": _commune(permanence.lieu.commune),
                "jour": permanence.get_weekday_display(),
                "de": permanence.opens.strftime("%H:%M"),
                "à": permanence.closes.strftime("%H:%M"),
            }
            for permanence in advisor.permanences.all()
        ],
        "langues parlées": [language.name for language in advisor.languages.all()],
        "publics et prises en charge spécifiques": [public.name for public in advisor.publics.all()],
        "promo de formation": advisor.cohort.name if advisor.cohort_id else None,
        "arrivée dans le réseau": advisor.arrival_date,
        "présentation": advisor.bio,
        "photo": advisor.photo.url if advisor.photo else None,
        "adresse électronique professionnelle": advisor.contact_email,
        "téléphone professionnel": advisor.phone,
        "identifiant Mattermost": advisor.mattermost,
        "identifiant Discord": advisor.discord,
        "profil LinkedIn": advisor.linkedin,
        "disponible pour co-animer": advisor.available_for_co_animation,
        "visibilité du profil": advisor.get_visibility_display(),
        "présenter mon arrivée dans la lettre d’information": advisor.introduce_in_letter,
        "à savoir sur la lettre d’information": (
            "Si vous avez accepté d’être présenté·e, votre nom, votre rôle, votre structure, votre commune et le "
            "début de votre présentation figurent dans les lettres du réseau envoyées depuis, et dans leurs "
            "archives en ligne que lisent les membres du réseau, jusqu’à ce que vous retiriez votre accord (Mon "
            "profil, «\u00a0Lettre d’information\u00a0») ou réserviez votre profil aux coordinateurs\u00a0: vous "
            "disparaissez alors de toutes les lettres, archives comprises, comme à la suppression de votre compte."
        ),
        "créé le": advisor.created_at,
        "mis à jour le": advisor.updated_at,
        "compétences": [
            {
                "compétence": link.skill.name,
                "niveau": link.get_level_display(),
                "précision": link.note,
                "mise à jour le": link.updated_at,
            }
            for link in advisor.advisor_skills.all()
        ],
        "cartes projets": [
            {
                "titre": card.title,
                "projet": card.body,
                "réseau": card.departement_id,
                "compétences en jeu": [skill.name for skill in card.skills.all()],
                "créée le": card.created_at,
                "mise à jour le": card.updated_at,
            }
            for card in advisor.project_cards.all()
        ],
        "« ça m’interpelle »": [
            {"carte": interest.card.title, "le": interest.created_at} for interest in advisor.project_interests.all()
        ],
    }


def account_data(user):
    """What the platform holds about ``user``: a dict of lists, texts, numbers and dates with French
    keys a person reads (``DjangoJSONEncoder`` writes it). A fixed number of queries, whatever the
    number of rows."""
    advisor = (
        Advisor.objects.select_related("structure", "commune", "cohort")
        .prefetch_related(
            "intervention_communes",
            "languages",
            "publics",
            Prefetch("permanences", queryset=Permanence.objects.select_related("lieu__commune")),
            Prefetch("advisor_skills", queryset=AdvisorSkill.objects.select_related("skill").order_by("skill__name")),
            Prefetch("project_cards", queryset=ProjectCard.objects.prefetch_related("skills")),
            Prefetch("project_interests", queryset=ProjectInterest.objects.select_related("card")),
        )
        .filter(user=user)
        .first()
    )
    memberships = user.memberships.select_related("departement", "commune").order_by("created_at")
    return {
        "exporté le": timezone.now(),
        "compte": {
            "adresse électronique": user.email,
            "prénom": user.first_name,
            "nom": user.last_name,
            "inscrit le": user.date_joined,
            "dernière connexion": user.last_login,
            "recevoir la lettre d’information du réseau": user.receives_letter,
            "adresses électroniques": [
                {"adresse": address.email, "vérifiée": address.verified, "principale": address.primary}
                for address in user.emailaddress_set.order_by("email")
            ],
            # What ProConnect said of the person at their last sign-in through it (advisors.proconnect).
            "identités ProConnect": [
                {
                    "identifiant": account.uid,
                    "associée le": account.date_joined,
                    "dernière connexion": account.last_login,
                    "données transmises": {
                        key: value
                        for key, value in (account.extra_data.get("userinfo") or {}).items()
                        if key not in ("iss", "aud", "exp", "iat", "nbf")
                    },
                }
                for account in user.socialaccount_set.order_by("date_joined")
            ],
        },
        "adhésions": [
            {
                "réseau": f"{membership.departement.name} ({membership.departement_id})",
                "rôle": membership.get_role_display(),
                "statut": membership.get_status_display(),
                "structure indiquée": membership.structure_name,
                "commune d’exercice": _commune(membership.commune),
                "message au coordinateur": membership.message,
                "demandée le": membership.created_at,
                "décidée le": membership.decided_at,
            }
            for membership in memberships
        ],
        "profil": _profile(advisor) if advisor else None,
        "compétences proposées": [
            {"compétence": skill.name, "statut": skill.get_status_display(), "proposée le": skill.created_at}
            for skill in Skill.objects.filter(proposed_by=user).order_by("created_at")
        ],
        "invitations envoyées": [
            {
                "adresse invitée": invitation.email,
                "réseau": invitation.departement_id,
                "rôle": invitation.get_role_display(),
                "envoyée le": invitation.created_at,
                "utilisée le": invitation.used_at,
                "annulée le": invitation.revoked_at,
            }
            for invitation in Invitation.objects.filter(created_by=user)
        ],
    }


def sole_coordinated(user):
    """The départements whose only active coordinator is ``user``: they cannot leave those networks
    nor delete their account before naming another coordinator. One query."""
    others = (
        Membership.objects.coordinators().filter(departement=OuterRef("departement")).exclude(user=OuterRef("user"))
    )
    return [
        membership.departement
        for membership in user.memberships.coordinators()
        .filter(~Exists(others))
        .select_related("departement")
        .order_by("departement_id")
    ]
