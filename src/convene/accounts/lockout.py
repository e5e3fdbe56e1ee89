"""Glue between django-axes (login lockout) and django-allauth (the login form)."""


def login_username(request, credentials) -> str | None:
    """The account a login attempt is for, however it reached axes.

    allauth's form field is `login` but it calls authenticate(username=…); axes looks at one
    or the other depending on where it is called from, so both must give the same name, or a
    locked account could still be opened with the right password.
    """
    credentials = credentials or {}
    name = credentials.get("username") or credentials.get("login")
    if not name and request is not None:
        name = getattr(request, "POST", {}).get("login")
    return name.strip().lower() if name else None
