"""The one pager of the site: page sizes live in ``settings.PAGE_SIZES``, page links use
``{% querystring %}`` (components/pagination.html), so every list pages the same way."""

from django.conf import settings
from django.core.paginator import Paginator


def paginate(request, object_list, *, size="default"):
    """The page of ``object_list`` asked for by ``?page=`` (the last one past the end, the first
    one for anything that is not a number), ``settings.PAGE_SIZES[size]`` rows long."""
    return Paginator(object_list, settings.PAGE_SIZES[size]).get_page(request.GET.get("page"))
