"""Request-scoped context (the client address) for the audit trail."""

from contextvars import ContextVar

_ip: ContextVar[str | None] = ContextVar("relais_ip", default=None)


def set_ip(value: str | None):
    return _ip.set(value)


def reset_ip(token) -> None:
    _ip.reset(token)


def current_ip() -> str | None:
    return _ip.get()
