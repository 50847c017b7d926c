"""Being built (issue 13): each view answers 404 until its engineer lands it."""

from django.http import Http404


def letter_list(request, *args, **kwargs):
    raise Http404


def letter_new(request, *args, **kwargs):
    raise Http404


def letter_detail(request, *args, **kwargs):
    raise Http404


def letter_edit(request, *args, **kwargs):
    raise Http404


def letter_test(request, *args, **kwargs):
    raise Http404


def letter_send(request, *args, **kwargs):
    raise Http404


def letter_unsubscribe(request, *args, **kwargs):
    raise Http404
