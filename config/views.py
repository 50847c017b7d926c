from django.conf import settings
from django.db import connection
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_safe
from django.views.static import serve


@never_cache
@require_safe
def healthz(request):
    """Liveness probe for deployments and the benchmarks' framework floor: one trivial query.
    HEAD too: it is what most load balancers send."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return HttpResponse("ok", content_type="text/plain")


@require_GET
def page(request, template):
    return render(request, template)


def permission_denied(request, exception=None):
    return render(request, "errors/403.html", status=403)


def page_not_found(request, exception=None):
    return render(request, "errors/404.html", status=404)


def server_error(request):
    # No context processors that touch the database: the error may come from it.
    from django.template import loader

    return HttpResponse(loader.get_template("errors/500.html").render(), status=500)


def media(request, path):
    """Uploaded files when DEBUG is on (``make run``): a missing or absurd path is a 404, never a 500;
    resource files are not served here — ``resources:file`` checks who may see them. Without DEBUG, a 404:
    the proxy serves them."""
    if not settings.DEBUG or path.startswith("resources/"):
        raise Http404
    try:
        return serve(request, path, document_root=settings.MEDIA_ROOT)
    except (OSError, ValueError):
        raise Http404 from None
