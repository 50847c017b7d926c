"""The shared list of skills (/competences/), a skill's page, and their moderation."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from advisors.perms import is_coordinator
from common.pagination import paginate
from common.shortcuts import check_or_403, get_object_or_403
from skills import perms, services
from skills.enums import SkillLevel, SkillStatus
from skills.filters import SkillHoldersFilterSet
from skills.forms import SkillMergeForm, SkillProposeForm, SkillRenameForm
from skills.models import Skill
from skills.queries import taxonomy as queries
from territories.scope import get_current_departement

LEVEL_TITLES = {
    SkillLevel.MASTER: "Maîtrisent et peuvent transmettre",
    SkillLevel.PRACTICE: "Pratiquent",
    SkillLevel.LEARN: "Veulent apprendre",
}


def _merge_choices(domains, proposals, skill):
    """The merge select's options, grouped by domain, built from lists already loaded (no query per form)."""
    choices = [("", "Choisissez la compétence qui reste")]
    for domain in domains:
        options = [(other.pk, other.name) for other in domain.validated_skills if other.pk != skill.pk]
        if options:
            choices.append((domain.name, options))
    network = [
        (other.pk, other.name)
        for other in proposals
        if other.pk != skill.pk and other.proposed_in_id == skill.proposed_in_id
    ]
    if network:
        choices.append(("Propositions en attente", network))
    return choices


def _render_index(request, *, propose_form=None, status=200):
    departement = get_current_departement(request)
    domains = queries.domains_with_skills()
    counts = queries.level_counts(request.user, departement)
    for domain in domains:
        for skill in domain.validated_skills:
            skill.level_counts = [
                {"level": level, "label": LEVEL_TITLES[level], "count": counts.get((skill.pk, level.value), 0)}
                for level in SkillLevel
            ]
    proposals = queries.moderation_queue(request.user)
    for proposal in proposals:
        proposal.rename_form = SkillRenameForm(initial={"name": proposal.name}, auto_id=f"id_rename_{proposal.pk}_%s")
        proposal.merge_form = SkillMergeForm(skill=proposal, targets=Skill.objects.none())
        proposal.merge_form.fields["target"].choices = _merge_choices(domains, proposals, proposal)
    can_propose = perms.can_propose_skill(request.user)
    context = {
        "domains": domains,
        "departement": departement,
        "can_propose": can_propose,
        "propose_form": propose_form or (SkillProposeForm() if can_propose else None),
        "proposals": proposals,
        "levels": [(level, LEVEL_TITLES[level]) for level in SkillLevel],
        "is_coordinator": departement is not None and is_coordinator(request.user, departement),
    }
    return render(request, "skills/index.html", context, status=status)


@require_GET
def index(request):
    return _render_index(request)


@login_required
@require_POST
def propose(request):
    check_or_403(perms.can_propose_skill, request)
    form = SkillProposeForm(request.POST)
    if form.is_valid():
        try:
            skill = services.skill_propose(
                user=request.user, domain=form.cleaned_data["domain"], name=form.cleaned_data["name"]
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                f"Merci ! « {skill.name} » est proposée : un coordinateur de votre département la validera.",
            )
            return redirect(skill)
    return _render_index(request, propose_form=form, status=400)


@require_GET
def detail(request, slug):
    skill = get_object_or_404(queries.skill_page(), slug=slug)
    if skill.merged_into_id:
        # A merge re-points earlier merges at the survivor, so one hop always lands on a live skill.
        target = reverse("skills:detail", args=[skill.merged_into.slug])
        query = request.GET.urlencode()
        return redirect(f"{target}?{query}" if query else target, permanent=True)
    if not perms.can_view_skill(request.user, skill):
        raise Http404
    return _render_detail(request, skill)


def _render_detail(request, skill, *, rename_form=None, merge_form=None, status=200):
    filterset = SkillHoldersFilterSet(request.GET, queryset=Skill.objects.none(), request=request)
    territory = filterset.territory
    only_level = request.GET.get("niveau")
    if only_level not in SkillLevel.values:
        only_level = None
    if only_level:
        level = SkillLevel(only_level)
        holders = queries.skill_holders(skill, request.user, territory, level)
        pages = {level: paginate(request, holders, size="skill_holders")}
    else:
        pages = queries.first_holders_by_level(skill, request.user, territory)
    sections = [{"level": level, "title": LEVEL_TITLES[level], "page": page} for level, page in pages.items()]
    moderate = perms.can_moderate_skill(request.user, skill)
    context = {
        "skill": skill,
        "filter": filterset,
        "territory": territory,
        "sections": sections,
        "only_level": only_level,
        "moderate": moderate,
    }
    if moderate:
        context["rename_form"] = rename_form or SkillRenameForm(initial={"name": skill.name})
        context["merge_form"] = merge_form or SkillMergeForm(skill=skill)
        context["can_validate"] = skill.status == SkillStatus.PROPOSED
    return render(request, "skills/detail.html", context, status=status)


def _back(request, skill):
    """Back to the list when the action came from it, else to the skill's page."""
    if request.POST.get("from") == "index":
        return redirect(reverse("skills:index") + "#propositions")
    return redirect(skill)


@login_required
@require_POST
def validate(request, slug):
    skill = get_object_or_403(queries.skill_page(), perms.can_moderate_skill, request, slug=slug)
    try:
        skill = services.skill_validate(skill=skill, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"« {skill.name} » est validée : tous les membres peuvent la choisir.")
    return _back(request, skill)


@login_required
@require_POST
def rename(request, slug):
    skill = get_object_or_403(queries.skill_page(), perms.can_moderate_skill, request, slug=slug)
    form = SkillRenameForm(request.POST)
    if form.is_valid():
        old_name = skill.name
        try:
            skill = services.skill_rename(skill=skill, name=form.cleaned_data["name"], by=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"« {old_name} » s’appelle maintenant « {skill.name} ».")
            return _back(request, skill)
    return _render_detail(request, skill, rename_form=form, status=400)


@login_required
@require_POST
def merge(request, slug):
    skill = get_object_or_403(queries.skill_page(), perms.can_moderate_skill, request, slug=slug)
    form = SkillMergeForm(request.POST, skill=skill)
    if form.is_valid():
        target = form.cleaned_data["target"]
        try:
            services.skill_merge(source=skill, target=target, by=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"« {skill.name} » est fusionnée dans « {target.name} ».")
            if request.POST.get("from") == "index":
                return redirect(reverse("skills:index") + "#propositions")
            return redirect(target)
    return _render_detail(request, skill, merge_form=form, status=400)
