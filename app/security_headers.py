"""Headers every response carries, so a browser does not frame, sniff or leak the panel.

No full Content-Security-Policy: the pages still have inline scripts and handlers (the
uptime chart's data, onclick="window.print()", confirm() on delete forms) that a script
policy would block. frame-ancestors alone is safe and stops clickjacking in browsers that
read CSP; X-Frame-Options says the same to the ones that do not.
"""

HEADERS = {
    "X-Frame-Options": "DENY",
    "Content-Security-Policy": "frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}


def init_security_headers(app):
    @app.after_request
    def add_security_headers(response):
        for name, value in HEADERS.items():
            response.headers.setdefault(name, value)
        return response
