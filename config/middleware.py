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
