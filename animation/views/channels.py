"""Being built (issue 13): each view answers 404 until its engineer lands it."""

from django.http import Http404


def channel_list(request, *args, **kwargs):
    raise Http404


def channel_new(request, *args, **kwargs):
    raise Http404


def channel_edit(request, *args, **kwargs):
    raise Http404


def channel_delete(request, *args, **kwargs):
    raise Http404


def channel_test(request, *args, **kwargs):
    raise Http404
