class AdminCSPMiddleware:
    """Wagtail's admin sets inline style attributes; relax style-src there and only there.

    Listed after `csp.middleware.CSPMiddleware` so that its response hook runs first.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.path.startswith("/admin/"):
            response._csp_replace = {"style-src": ["'self'", "'unsafe-inline'"]}
        return response
