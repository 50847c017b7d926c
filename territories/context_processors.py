from territories.scope import get_current_departement


def current_departement(request):
    """The département the visitor chose once (remembered in a cookie), or ``None``."""
    return {"current_departement": get_current_departement(request)}
