"""Being built (issue 13): each view answers 404 until its engineer lands it."""

from django.http import Http404


def dashboard(request, *args, **kwargs):
    raise Http404


def dashboard_export(request, *args, **kwargs):
    raise Http404


def profile_remind(request, *args, **kwargs):
    raise Http404


def dashboard_list(request, *args, **kwargs):
    raise Http404
