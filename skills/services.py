"""Writes on the shared list of skills and on the advisors' skill levels.

Keyword-only functions, one transaction each; a merge locks the rows it moves so that an
advisor saving their skills at the same moment cannot bring back a link to the merged skill.
Project cards: post, edit, delete, mark "ça m'interpelle".
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify

from advisors.enums import MembershipStatus
from advisors.services.network import advisor_ensure
from skills.enums import LEVEL_RANK, SkillLevel, SkillStatus
from skills.models import AdvisorSkill, Domain, ProjectCard, ProjectInterest, Skill
from territories.text import normalize

NAME_MAX_LENGTH = 120


def _clean_name(name):
    name = " ".join((name or "").split())
    if not name:
        raise ValidationError({"name": "Indiquez le nom de la compétence."})
    if len(name) > NAME_MAX_LENGTH:
        raise ValidationError({"name": f"Le nom tient en {NAME_MAX_LENGTH} caractères au plus."})
    if not normalize(name):
        raise ValidationError({"name": "Le nom doit contenir des lettres ou des chiffres."})
    return name


def skill_find_duplicate(name, *, exclude=None):
    """The live skill whose name is the same as ``name`` once accents, case and punctuation are ignored."""
    wanted = normalize(name)
    skills = Skill.objects.filter(merged_into__isnull=True).select_related("domain")
    if exclude is not None:
        skills = skills.exclude(pk=exclude.pk)
    return next((skill for skill in skills if normalize(skill.name) == wanted), None)


def _check_not_duplicate(name, *, exclude=None):
    existing = skill_find_duplicate(name, exclude=exclude)
    if existing is not None:
        state = "" if existing.status == SkillStatus.VALIDATED else " (proposée, en attente de validation)"
        raise ValidationError(
            {
                "name": ValidationError(
                    "La compétence « %(name)s » existe déjà dans « %(domain)s »%(state)s : choisissez-la plutôt "
                    "que d’en créer une autre.",
                    code="duplicate",
                    params={"name": existing.name, "domain": existing.domain.name, "state": state, "skill": existing},
                )
            }
        )


# Fixed paths under /competences/: a skill named like one would be unreachable.
RESERVED_SLUGS = {"proposer", "carte", "cartes", "binomes", "export", "tableau"}


def _unique_slug(name):
    base = slugify(name)[:110] or "competence"
    slug, suffix = base, 2
    while slug in RESERVED_SLUGS or Skill.objects.filter(slug=slug).exists():
        slug, suffix = f"{base}-{suffix}", suffix + 1
    return slug


def _departement_of(user):
    """The network a member proposes in: that of their profile, else their oldest active membership."""
    from advisors.models import Advisor

    try:
        return user.advisor.departement
    except Advisor.DoesNotExist:
        pass
    membership = user.memberships.filter(status=MembershipStatus.ACTIVE).order_by("created_at").first()
    return membership.departement if membership else None


@transaction.atomic
def skill_propose(*, user, domain, name):
    """A member proposes a skill missing from the list. It stays "proposée" until a coordinator
    of their département validates it. A name already taken (accents ignored) is refused with
    a message naming the existing skill.

    The duplicate check reads every skill and no constraint backs it: proposals lock the
    domains first, so that two people proposing the same name at once are served one after
    the other and the second one is told about the first one's skill."""
    name = _clean_name(name)
    list(Domain.objects.select_for_update().order_by("pk").values_list("pk", flat=True))
    _check_not_duplicate(name)
    return Skill.objects.create(
        domain=domain,
        name=name,
        slug=_unique_slug(name),
        status=SkillStatus.PROPOSED,
        proposed_by=user,
        proposed_in=_departement_of(user),
    )


def _lock(skill):
    return Skill.objects.select_for_update(of=("self",)).order_by().get(pk=skill.pk)


@transaction.atomic
def skill_validate(*, skill, by):
    skill = _lock(skill)
    if skill.merged_into_id:
        raise ValidationError("Cette compétence a été fusionnée dans une autre.")
    if skill.status != SkillStatus.VALIDATED:
        skill.status = SkillStatus.VALIDATED
        skill.save(update_fields=["status"])
    return skill


@transaction.atomic
def skill_rename(*, skill, name, by):
    """A new name; the address (slug) stays, so links already shared keep working."""
    name = _clean_name(name)
    skill = _lock(skill)
    if skill.merged_into_id:
        raise ValidationError("Cette compétence a été fusionnée dans une autre.")
    _check_not_duplicate(name, exclude=skill)
    skill.name = name
    skill.save(update_fields=["name"])
    return skill


def _move_advisor_links(source, target):
    """Every advisor's link to ``source`` goes to ``target``; one who had both keeps the highest level."""
    links = list(
        AdvisorSkill.objects.select_for_update(of=("self",)).filter(skill__in=[source, target]).order_by("pk")
    )
    on_target = {link.advisor_id: link for link in links if link.skill_id == target.pk}
    for link in links:
        if link.skill_id != source.pk:
            continue
        kept = on_target.get(link.advisor_id)
        if kept is None:
            link.skill = target
            link.save(update_fields=["skill", "updated_at"])
            continue
        if LEVEL_RANK[SkillLevel(link.level)] > LEVEL_RANK[SkillLevel(kept.level)]:
            kept.level = link.level
        if not kept.note and link.note:
            kept.note = link.note
        kept.save(update_fields=["level", "note", "updated_at"])
        link.delete()


@transaction.atomic
def skill_merge(*, source, target, by):
    """Fold ``source`` into ``target``: every advisor's level and every project card move to the target.

    An advisor who had both keeps the highest level; if the surviving link has no note, the
    merged one's note is kept. Nothing is deleted but the duplicate links: ``source`` stays,
    marked ``merged_into=target``, so its old address redirects.
    """
    if source.pk == target.pk:
        raise ValidationError({"target": "Choisissez une autre compétence que celle-ci."})
    # Both rows locked in a fixed order: two merges crossing each other cannot deadlock.
    rows = Skill.objects.select_for_update(of=("self",)).filter(pk__in=[source.pk, target.pk]).order_by("pk")
    locked = {skill.pk: skill for skill in rows}
    source, target = locked[source.pk], locked[target.pk]
    if source.merged_into_id:
        raise ValidationError("Cette compétence a déjà été fusionnée dans une autre.")
    if target.merged_into_id:
        raise ValidationError({"target": "Cette compétence a elle-même été fusionnée : choisissez celle qui reste."})

    _move_advisor_links(source, target)

    through = ProjectCard.skills.through
    cards_on_target = set(through.objects.filter(skill=target).values_list("projectcard_id", flat=True))
    moving = through.objects.filter(skill=source)
    through.objects.bulk_create(
        through(projectcard_id=card_id, skill=target)
        for card_id in moving.values_list("projectcard_id", flat=True)
        if card_id not in cards_on_target
    )
    moving.delete()

    # Skills merged earlier into the source now point straight at the survivor: one redirect, not a chain.
    Skill.objects.filter(merged_into=source).update(merged_into=target)
    source.merged_into = target
    source.save(update_fields=["merged_into"])
    return target


@transaction.atomic
def advisor_skills_set(*, advisor, levels):
    """Replace the advisor's skills with ``levels``: ``{skill_id: (level, note)}``; a skill left out is removed."""
    for level, _note in levels.values():
        if level not in SkillLevel.values:
            raise ValidationError(f"Niveau inconnu : {level}.")
    AdvisorSkill.objects.filter(advisor=advisor).delete()
    AdvisorSkill.objects.bulk_create(
        AdvisorSkill(advisor=advisor, skill_id=skill_id, level=level, note=(note or "").strip())
        for skill_id, (level, note) in levels.items()
    )


# Project cards


@transaction.atomic
def card_create(*, user, departement, title, body, skills):
    """A new card in ``departement``'s board, by the member's profile (created on first need)."""
    author = advisor_ensure(user=user, departement=departement)
    card = ProjectCard.objects.create(author=author, departement=departement, title=title, body=body)
    card.skills.set(skills)
    return card


@transaction.atomic
def card_update(*, card, title, body, skills):
    card.title = title
    card.body = body
    card.save(update_fields=["title", "body", "updated_at"])
    card.skills.set(skills)
    return card


def card_delete(*, card):
    """Removes the card with its interests (cascade)."""
    card.delete()


def card_interest_set(*, card, user, interested):
    """Mark (``interested=True``) or unmark the member's interest in ``card``.

    Setting a state rather than flipping it makes the request idempotent: a double click or a
    replayed form leaves the same result. Two concurrent marks meet the unique constraint and
    the second is ignored (``ON CONFLICT DO NOTHING``), so nobody gets an error. Returns
    whether the member is interested afterwards.
    """
    advisor = advisor_ensure(user=user, departement=card.departement)
    if interested:
        ProjectInterest.objects.bulk_create([ProjectInterest(card=card, advisor=advisor)], ignore_conflicts=True)
    else:
        ProjectInterest.objects.filter(card=card, advisor=advisor).delete()
    return interested
