"""Orienting a person: the search for who fits, the message sent, the orientation and its slip."""

from django.http import HttpResponse


def search(request):
    return HttpResponse(status=501)


def compose(request):
    return HttpResponse(status=501)


def detail(request, pk):
    return HttpResponse(status=501)


def slip(request, pk):
    return HttpResponse(status=501)
