"""Advisor profiles: the public page of a profile and "Mon profil", edited section by section."""

from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from advisors import perms
from advisors.enums import MembershipRole, MembershipStatus
from advisors.forms.profiles import SECTIONS
from advisors.models import Membership, User, memberships_prime
from advisors.queries.profiles import (
    communes_served_by,
    derived_commune_names,
    profile_completeness,
    profile_queryset,
)
from advisors.services import network as services
from advisors.services.profiles import profile_update_section
from common.shortcuts import check_or_403
from skills.models import skills_by_level
from skills.queries.matching import matches_for

PREVIEWS = {"visiteur": "un visiteur sans compte", "membre": "un membre d’un autre département"}
# Past this many, served communes are summed up by EPCI rather than listed one by one.
MAX_LISTED_COMMUNES = 30


def _preview_viewer(preview):
    """Someone who sees the profile as ``preview`` says: nobody logged in, or an active member of
    another département. The real predicates then decide what they see, so the preview cannot
    drift from the rules."""
    if preview == "visiteur":
        return AnonymousUser()
    viewer = User(email="apercu@maillage.invalid")
    # What ``perms`` reads: an active member elsewhere, coordinator nowhere.
    memberships_prime(
        viewer, [Membership(departement_id="", role=MembershipRole.MEMBER, status=MembershipStatus.ACTIVE)]
    )
    return viewer


def _communes_display(communes):
    """The served communes listed, or summed up by EPCI when there are many."""
    if len(communes) <= MAX_LISTED_COMMUNES:
        return {"communes": communes, "by_epci": None}
    counts = {}
    for commune in communes:
        name = commune.epci.name if commune.epci else "Hors EPCI"
        counts[name] = counts.get(name, 0) + 1
    return {"communes": None, "by_epci": sorted(counts.items())}


@require_GET
def profile(request, pk):
    """A profile as the viewer may see it; hidden ones are a 404, so their existence is not revealed.

    The owner may add ``?apercu=visiteur`` or ``?apercu=membre`` to see it as those people do.
    """
    advisor = get_object_or_404(profile_queryset(), pk=pk)
    is_owner = perms.can_edit_profile(request.user, advisor)
    preview = request.GET.get("apercu") if is_owner else None
    if preview not in PREVIEWS:
        preview = None
    viewer = _preview_viewer(preview) if preview else request.user
    visible = perms.can_view_advisor(viewer, advisor)
    if not visible and not preview:
        raise Http404
    context = {
        "advisor": advisor,
        "preview": preview,
        "preview_label": PREVIEWS.get(preview),
        "visible": visible,
        "is_owner": is_owner and not preview,
        "show_contact": perms.can_see_contact(viewer, advisor),
        "viewer_is_anonymous": not viewer.is_authenticated,
        # Whom the page is shown as (the previewed visitor or member): the panels of other apps read it.
        "viewer": viewer,
    }
    if visible:
        context["skills_by_level"] = skills_by_level(advisor)
        communes, derived = communes_served_by(advisor)
        context.update(_communes_display(communes), communes_derived=derived, communes_count=len(communes))
    return render(request, "advisors/profile/detail.html", context)


def _own_advisor(user):
    """The user's profile, created on first visit for an active member; ``None`` for anyone else."""
    if not perms.is_member_anywhere(user):
        return None
    advisor = profile_queryset().filter(user=user).first()
    if advisor is None:
        membership = user.memberships.active().order_by("created_at").first()
        services.advisor_ensure(user=user, departement=membership.departement)
        advisor = profile_queryset().get(user=user)
    return advisor


def _render_my_profile(request, advisor, *, bound=None, saved=None, status=200):
    sections = []
    for slug, section in SECTIONS.items():
        if bound is not None and bound.slug == slug:
            form = bound.form
        else:
            form = section.form_class(advisor=advisor)
        sections.append({"slug": slug, "title": section.title, "form": form, "saved": saved == slug})
    context = {
        "advisor": advisor,
        "sections": {section["slug"]: section for section in sections},
        "section_list": sections,
        "failed": bound,
        "completeness": profile_completeness(advisor),
        "derived_communes": derived_commune_names(advisor),
        "membre_preview_url": f"{advisor.get_absolute_url()}?apercu=membre",
        "visitor_preview_url": f"{advisor.get_absolute_url()}?apercu=visiteur",
    }
    # Peer matching (skills issue): who can help me, whom I can pass my skills on to.
    context["peers"] = matches_for(advisor, request.user)
    return render(request, "advisors/profile/my_profile.html", context, status=status)


@login_required
@require_GET
def my_profile(request):
    advisor = _own_advisor(request.user)
    if advisor is None:
        return render(request, "advisors/profile/join_first.html")
    saved = request.GET.get("enregistre")
    return _render_my_profile(request, advisor, saved=saved if saved in SECTIONS else None)


class _Bound:
    def __init__(self, slug, form):
        self.slug, self.form, self.title = slug, form, SECTIONS[slug].title


@login_required
@require_POST
def my_profile_section(request, section):
    """Save one section. On error the whole page comes back: this section with what was typed
    and its errors, the others with their saved values."""
    if section not in SECTIONS:
        raise Http404
    # Only members have a profile of their own: ``_own_advisor`` creates it for them.
    check_or_403(perms.is_member_anywhere, request)
    advisor = _own_advisor(request.user)
    form = SECTIONS[section].form_class(request.POST, request.FILES, advisor=advisor)
    if form.is_valid():
        try:
            profile_update_section(advisor=advisor, section=SECTIONS[section].key, data=form.section_data())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect(f"{reverse('advisors:my_profile')}?enregistre={section}#{section}")
    return _render_my_profile(request, advisor, bound=_Bound(section, form))
