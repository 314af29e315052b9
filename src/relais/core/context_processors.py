from relais.core.navigation import entries_for


def relais(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_entries": []}
    return {"nav_entries": entries_for(user), "current_path": request.path}
