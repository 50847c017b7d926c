"""Being built (issue 13): each view answers 404 until its engineer lands it."""

from django.http import Http404


def partner_list(request, *args, **kwargs):
    raise Http404


def partner_new(request, *args, **kwargs):
    raise Http404


def partner_detail(request, *args, **kwargs):
    raise Http404


def partner_edit(request, *args, **kwargs):
    raise Http404


def partner_decide(request, *args, **kwargs):
    raise Http404


def partner_know(request, *args, **kwargs):
    raise Http404


def partner_delete(request, *args, **kwargs):
    raise Http404
