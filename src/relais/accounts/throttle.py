"""Failed-login throttling: after LOGIN_MAX_FAILURES failures for a username or an address, both
are refused for LOGIN_LOCKOUT_SECONDS. Counters live in the cache (Redis in production)."""

from django.conf import settings
from django.core.cache import cache


def _keys(username: str, ip: str) -> list[str]:
    return [f"relais:login-fail:user:{username.lower()}", f"relais:login-fail:ip:{ip}"]


def is_locked(username: str, ip: str) -> bool:
    return any((cache.get(key) or 0) >= settings.LOGIN_MAX_FAILURES for key in _keys(username, ip))


def record_failure(username: str, ip: str) -> None:
    for key in _keys(username, ip):
        if cache.add(key, 1, settings.LOGIN_LOCKOUT_SECONDS):
            continue
        try:
            cache.incr(key)
        except ValueError:
            cache.set(key, 1, settings.LOGIN_LOCKOUT_SECONDS)


def reset(username: str, ip: str) -> None:
    cache.delete_many(_keys(username, ip))
