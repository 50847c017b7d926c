"""The skills directory of the Loire demo: levels of every demo profile (a few with a note), skills
proposed by members, project cards and the colleagues interested in them (see ``demo.seed``)."""

import zlib
from datetime import timedelta

from django.utils import timezone

from advisors.models import Advisor
from demo.content import LOIRE
from skills.enums import SkillLevel, SkillStatus
from skills.models import AdvisorSkill, Domain, ProjectCard, ProjectInterest, Skill

# The advisors' own craft: every demo advisor is likelier to know its skills, whatever their structure serves.
CRAFT = "metier-de-la-mediation"


def _score(*parts):
    """A stable number in 0–99 for a pair (advisor, skill): ``hash()`` changes from one run to the next."""
    return zlib.crc32(":".join(parts).encode()) % 100


def _skill_level(*, email, skill_slug, domain_slug, services, need_here):
    """The level of a demo advisor for a skill, or None: the rules of ``skills.json`` (everyone masters
    e-mail; nobody masters the gaps; no master where a training need is), else likelier in the domains
    their structure serves."""
    score = _score(email, skill_slug)
    if skill_slug in LOIRE.skills["mastered_everywhere"]:
        return SkillLevel.MASTER
    if skill_slug in LOIRE.skills["gaps"]:
        return SkillLevel.LEARN if score < 40 else SkillLevel.PRACTICE if score < 50 else None
    if need_here:
        return SkillLevel.LEARN
    relevant = domain_slug in services or domain_slug == CRAFT
    master, practice, learn = (25, 55, 70) if relevant else (4, 16, 28)
    if score < master:
        return SkillLevel.MASTER
    if score < practice:
        return SkillLevel.PRACTICE
    if score < learn:
        return SkillLevel.LEARN
    return None


def skills_ensure(*, accounts, users, departement, communes, report):
    """Skill levels (with a few notes), proposed skills, project cards and their interests.

    Only what is missing is created: a profile that already has levels keeps them, a card is found by
    its author and title. Bulk inserts throughout.
    """
    advisors = {
        advisor.user_id: advisor for advisor in Advisor.objects.filter(user__in=[users[a.email] for a in accounts])
    }
    ordered = [
        (account, advisors[users[account.email].pk]) for account in accounts if users[account.email].pk in advisors
    ]
    first_of = {}
    for account, advisor in ordered:
        first_of.setdefault(account.profile.structure, (account, advisor))
    structure_services = {spec.key: spec.services for spec in LOIRE.structures}
    needs = {(communes.get(need["commune"]).epci_id, need["skill"]) for need in LOIRE.skills["training_needs"]}
    notes = {(note["structure"], note["skill"]): (note["level"], note["note"]) for note in LOIRE.skills["notes"]}

    # Levels, for the profiles that have none yet.
    with_levels = set(AdvisorSkill.objects.filter(advisor__in=advisors.values()).values_list("advisor", flat=True))
    skills = list(Skill.objects.validated().select_related("domain").order_by("pk"))
    levels = []
    for account, advisor in ordered:
        if advisor.pk in with_levels:
            continue
        epci = account.commune.epci_id if account.commune else None
        noted = first_of[account.profile.structure][1] is advisor
        for skill in skills:
            level = _skill_level(
                email=account.email,
                skill_slug=skill.slug,
                domain_slug=skill.domain.slug,
                services=structure_services[account.profile.structure],
                need_here=epci is not None and (epci, skill.slug) in needs,
            )
            note = ""
            if noted and (account.profile.structure, skill.slug) in notes:
                level, note = notes[account.profile.structure, skill.slug]
                report.skills["notes"] += 1
            if level:
                levels.append(AdvisorSkill(advisor=advisor, skill=skill, level=level, note=note))

    # Skills proposed by members, with the proposer's own level on them.
    domains = dict(Domain.objects.values_list("slug", "pk"))
    slugs = [spec["slug"] for spec in LOIRE.skills["proposed"]]
    existing = set(Skill.objects.filter(slug__in=slugs).values_list("slug", flat=True))
    proposed = []
    for position, spec in enumerate(LOIRE.skills["proposed"]):
        if spec["slug"] in existing or spec["structure"] not in first_of:
            continue
        _, proposer = first_of[spec["structure"]]
        skill = Skill(
            slug=spec["slug"],
            name=spec["name"],
            domain_id=domains[spec["domain"]],
            status=SkillStatus.PROPOSED,
            proposed_by_id=proposer.user_id,
            proposed_in=departement,
            position=100 + position,
        )
        proposed.append(skill)
        levels.append(AdvisorSkill(advisor=proposer, skill=skill, level=SkillLevel.PRACTICE))
    Skill.objects.bulk_create(proposed)
    AdvisorSkill.objects.bulk_create(levels)
    report.skills["proposed"] = len(proposed)
    report.skills["levels"] = len(levels)

    # Project cards, and colleagues marking them: every 7th advisor after the author, a fixed walk.
    cards = {
        (card.author_id, card.title): card
        for card in ProjectCard.objects.filter(author__in=advisors.values(), departement=departement)
    }
    skill_ids = {skill.slug: skill.pk for skill in skills}
    now = timezone.now()
    new_cards, card_skills, wanted = [], [], []
    for position, spec in enumerate(LOIRE.cards):
        if spec.author not in first_of:
            continue
        _, author = first_of[spec.author]
        card = cards.get((author.pk, spec.title))
        if card is None:
            card = ProjectCard(author=author, departement=departement, title=spec.title, body=spec.body)
            new_cards.append(card)
            card_skills.extend((card, skill_ids[slug]) for slug in spec.skills if slug in skill_ids)
        start = next(index for index, (_, advisor) in enumerate(ordered) if advisor is author)
        walk = [ordered[(start + 7 * step) % len(ordered)][1] for step in range(1, len(ordered))]
        fans = list(dict.fromkeys(advisor for advisor in walk if advisor is not author))[: spec.interested]
        wanted.extend((card, fan, position) for fan in fans)
    ProjectCard.objects.bulk_create(new_cards)
    # Written over the last weeks, the first of the list being the latest.
    for card in new_cards:
        position = next(i for i, spec in enumerate(LOIRE.cards) if spec.title == card.title)
        card.created_at = now - timedelta(days=2 + 3 * position)
    ProjectCard.objects.bulk_update(new_cards, ["created_at"])
    through = ProjectCard.skills.through
    through.objects.bulk_create(through(projectcard_id=card.pk, skill_id=skill) for card, skill in card_skills)
    marked = set(
        ProjectInterest.objects.filter(card__in=[card for card, _, _ in wanted]).values_list("card", "advisor")
    )
    interests = [ProjectInterest(card=card, advisor=fan) for card, fan, _ in wanted if (card.pk, fan.pk) not in marked]
    ProjectInterest.objects.bulk_create(interests)
    report.skills["cards"] = len(new_cards)
    report.skills["interests"] = len(interests)
    report.totals["levels"] = AdvisorSkill.objects.filter(advisor__in=advisors.values()).count()
    report.totals["cards"] = len(cards) + len(new_cards)
    report.totals["interests"] = ProjectInterest.objects.filter(card__in=[card for card, _, _ in wanted]).count()
