"""Following orientations: received and sent, their state, and the network's flows for coordinators."""

from django.http import HttpResponse


def inbox(request):
    return HttpResponse(status=501)


def sent(request):
    return HttpResponse(status=501)


def change_status(request, pk):
    return HttpResponse(status=501)


def flows(request, code):
    return HttpResponse(status=501)
