class AdminCSPMiddleware:
    """Relax the Content-Security-Policy for Wagtail's admin, and only there.

    The admin sets inline style attributes, and its date and time widgets emit inline
    `<script>initDateChooser(…)</script>` without a nonce; both break under the strict public
    policy. The admin is behind login; public pages keep the strict policy.
    Listed after `csp.middleware.CSPMiddleware` so that its response hook runs first.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.path.startswith("/admin/"):
            response._csp_replace = {
                "style-src": ["'self'", "'unsafe-inline'"],
                "script-src": ["'self'", "'unsafe-inline'"],
            }
        return response


class PermissionsPolicyMiddleware:
    """Turn off the browser features no government page needs, on every response (等保 2.0).

    Django's SecurityMiddleware already sends Referrer-Policy and Cross-Origin-Opener-Policy;
    listed before WhiteNoise so that static files carry the header too.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response


PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "browsing-topics",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "payment",
        "usb",
    )
)
