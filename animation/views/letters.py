"""The monthly letter: the archive, the web version, composing, editing, the test, the sending and the
one-click unsubscribe."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from advisors.models import User
from animation import perms
from animation.enums import LetterStatus
from animation.forms.letters import LetterEditForm, LetterPeriodForm
from animation.models import Letter
from animation.queries.letters import (
    departement_today,
    letter_display,
    letter_live_content,
    letter_recipients,
    letters_for,
    month_label,
    period_from,
)
from animation.services import letters as services
from common.markdown import render_markdown
from common.pagination import paginate
from common.shortcuts import check_or_403, get_object_or_403
from territories.french import of_word
from territories.models import Departement

SENT_ALREADY = "Cette lettre est déjà envoyée\u00a0: elle ne peut plus être modifiée ni envoyée une seconde fois."


def _departement(code):
    return get_object_or_404(Departement.objects.all(), code=code)


def _manages(user, letter):
    return perms.can_manage_letters(user, letter.departement_id)


def _letter(request, code, period, predicate=_manages):
    """The letter of ``code`` for ``period`` (``2026-11``), if ``predicate`` lets the viewer in (the
    coordination, by default); a bad period (``2026-13``, ``abc``) is a 404."""
    month = period_from(period)
    if month is None:
        raise Http404
    return get_object_or_403(
        Letter.objects.select_related("departement"), predicate, request, departement_id=code, period=month
    )


@login_required
@require_GET
def letter_list(request, code):
    """``/reseau/42/lettres/``: the sent letters, newest first; the coordination also sees its drafts."""
    departement = _departement(code)
    check_or_403(perms.can_view_network_life, request, departement)
    coordinator = perms.can_manage_letters(request.user, departement)
    page = paginate(request, letters_for(departement, coordinator=coordinator))
    this_month = departement_today(departement).replace(day=1)  # the network's month, in its time zone
    # The coordination's button: compose this month's letter, or go back to its draft.
    this_month_status = None
    if coordinator:
        this_month_status = (
            Letter.objects.filter(departement=departement, period=this_month).values_list("status", flat=True).first()
        )
    return render(
        request,
        "animation/letters/archive.html",
        {
            "departement": departement,
            "page": page,
            "coordinator": coordinator,
            "this_month": f"{this_month:%Y-%m}",
            "this_month_label": month_label(this_month),
            "this_month_status": this_month_status,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def letter_new(request, code):
    """Choose the month (this one by default); the draft is composed from the network's data, or the month's
    letter opened if it exists."""
    departement = _departement(code)
    check_or_403(perms.can_manage_letters, request, departement)
    form = LetterPeriodForm(request.POST if request.method == "POST" else None, today=departement_today(departement))
    if request.method == "POST" and form.is_valid():
        letter, created = services.letter_create(
            departement=departement, period=form.cleaned_data["period"], by=request.user
        )
        if created:
            messages.success(request, "La lettre est composée à partir des données du réseau\u00a0: relisez-la.")
        else:
            messages.info(request, f"La lettre {of_word(month_label(letter.period))} existe déjà\u00a0: la voici.")
        if letter.status == LetterStatus.DRAFT:
            return redirect("animation:letter_edit", code=departement.code, period=f"{letter.period:%Y-%m}")
        return redirect(letter)
    return render(
        request,
        "animation/letters/new.html",
        {"departement": departement, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
@require_GET
def letter_detail(request, code, period):
    """The web version, at a stable URL: the letter as it was sent (a draft: its coordinators only)."""
    letter = _letter(request, code, period, predicate=perms.can_read_letter)
    if letter.status == LetterStatus.DRAFT:
        letter.content = letter_live_content(letter)  # the draft as it would leave now
    return render(
        request,
        "animation/letters/page.html",
        {
            "letter": letter,
            "departement": letter.departement,
            "month": month_label(letter.period),
            "sections": letter_display(letter),
            "editorial_html": render_markdown(letter.editorial, top_level=3),
            "coordinator": perms.can_manage_letters(request.user, letter.departement_id),
        },
    )


def _sent_already(request, letter):
    messages.error(request, SENT_ALREADY)
    return redirect(letter)


@login_required
@require_http_methods(["GET", "POST"])
def letter_edit(request, code, period):
    """A draft's subject, editorial and the items that stay; « recomposer » refreshes them from the data."""
    letter = _letter(request, code, period)
    if letter.status != LetterStatus.DRAFT:
        return _sent_already(request, letter)
    letter.content = letter_live_content(letter)  # no box for what the letter may no longer show
    form = LetterEditForm(request.POST if request.method == "POST" else None, letter=letter)
    if request.method == "POST" and form.is_valid():
        recompose = request.POST.get("action") == "recomposer"
        try:
            letter = services.letter_update(
                letter=letter,
                subject=form.cleaned_data["subject"],
                editorial=form.cleaned_data["editorial"],
                kept=form.kept(),
                recompose=recompose,
            )
        except ValidationError:
            return _sent_already(request, letter)
        if recompose:
            messages.success(request, "La lettre est enregistrée et recomposée à partir des données du jour.")
        else:
            messages.success(request, "La lettre est enregistrée.")
        return redirect("animation:letter_edit", code=code, period=period)
    return render(
        request,
        "animation/letters/edit.html",
        {
            "letter": letter,
            "departement": letter.departement,
            "month": month_label(letter.period),
            "form": form,
            "recipients": letter_recipients(letter.departement_id).count(),
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def letter_test(request, code, period):
    """Send the draft to the coordinator alone."""
    letter = _letter(request, code, period)
    if letter.status != LetterStatus.DRAFT:
        return _sent_already(request, letter)
    services.letter_test_send(letter=letter, by=request.user)
    messages.success(request, f"Un test vous a été envoyé à {request.user.email}.")
    return redirect("animation:letter_edit", code=code, period=period)


@login_required
@require_http_methods(["GET", "POST"])
def letter_send(request, code, period):
    """GET: the confirmation, with the number of recipients; POST: the letter leaves, once."""
    letter = _letter(request, code, period)
    if letter.status != LetterStatus.DRAFT:
        return _sent_already(request, letter)
    if request.method == "POST":
        try:
            letter = services.letter_send(letter=letter, by=request.user)
        except ValidationError:
            return _sent_already(request, letter)
        count = letter.recipients_count
        messages.success(
            request,
            f"La lettre part vers {count} membre{'s' if count >= 2 else ''} du réseau. "
            "Elle est en ligne, dans les archives, à l’adresse de cette page.",
        )
        return redirect(letter)
    return render(
        request,
        "animation/letters/confirm.html",
        {
            "letter": letter,
            "departement": letter.departement,
            "month": month_label(letter.period),
            "recipients": letter_recipients(letter.departement_id).count(),
        },
    )


def _masked(email):
    """« c•••@demo.maillage.fr »: enough for a person to recognise their address, not to read it whole."""
    local, _, domain = email.partition("@")
    return f"{local[:1]}•••@{domain}"


# Exempt from the CSRF check: this is the link of ``List-Unsubscribe`` (RFC 8058). A mail client's one-click
# unsubscribe POSTs ``List-Unsubscribe=One-Click`` to it, with no cookie and no token of ours, and it must
# work. Nothing is lost by the exemption: the signed token in the URL is the key (only the person's own
# mailbox holds it), the only thing a POST can do is stop the letter to that person, and doing it twice
# changes nothing. The page's own form still carries a token, as every form of the site.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def letter_unsubscribe(request, token):
    """``/lettre/desinscription/<token>/``: a page with one button; its POST (or the mail client's) stops
    the letter. A forged or damaged token gets a page that says so (400)."""
    user_id = services.unsubscribe_user_id(token)
    user = User.objects.filter(pk=user_id).first() if isinstance(user_id, int) else None
    if user is None:
        return render(request, "animation/letters/unsubscribe.html", {"invalid": True}, status=400)
    done = False
    if request.method == "POST":
        services.letter_unsubscribe(user=user)
        done = True
    return render(
        request,
        "animation/letters/unsubscribe.html",
        {"masked_email": _masked(user.email), "token": token, "done": done, "already": not user.receives_letter},
    )
