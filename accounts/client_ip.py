"""The address a request came from, for login records and the lockout (AXES_CLIENT_IP_CALLABLE).

REMOTE_ADDR, unless it lies in one of the reverse-proxy networks of TRUSTED_PROXIES: then the
last X-Forwarded-For hop outside them, the address the outermost trusted proxy saw. Without
TRUSTED_PROXIES the header is ignored, since any client can send it.
"""

from ipaddress import ip_address, ip_network

from django.conf import settings


def _address(text):
    try:
        return ip_address(text.strip())
    except ValueError:
        return None


def _trusted(address):
    return any(address in ip_network(proxy, strict=False) for proxy in settings.TRUSTED_PROXIES)


def client_ip(request):
    remote = _address(request.META.get("REMOTE_ADDR", ""))
    if remote is None:
        return None
    if not _trusted(remote):
        return str(remote)
    for hop in reversed(request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")):
        address = _address(hop)
        if address is None:
            break
        if not _trusted(address):
            return str(address)
    return str(remote)
