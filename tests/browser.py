"""What the browser tests share: a page signed in to the admin, and catching
Content-Security-Policy violations (a blocked script or style is a bug the
page itself does not show)."""

REPORT_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (e) => {
  console.error(`CSP violation: ${e.violatedDirective} blocked ${e.blockedURI || "inline"} `
                + `at ${e.sourceFile || location.href}:${e.lineNumber}`);
});
"""


def watch_csp(page):
    """Collect the page's CSP violations in `page.violations`."""
    page.violations = []
    page.add_init_script(REPORT_VIOLATIONS)
    page.on("console", lambda m: page.violations.append(m.text)
            if "CSP violation" in m.text or "Content Security Policy" in m.text else None)
    return page


def sign_in(page, base_url, username, password, *, code="", wait=True):
    """Sign in through the admin's login form (a two-factor `code` if asked)."""
    page.goto(f"{base_url}/admin/login/?next=/admin/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    if code:
        page.fill("#id_otp_token", code)
    page.click("input[type=submit]")
    if wait:
        page.wait_for_url(f"{base_url}/admin/")
    return page


def admin_page(browser, base_url, username, password, *, locale="en-GB", viewport=None,
               headers=None, cookies=()):
    """A new page in a context of its own, signed in to the admin: the CSP
    violations it meets collect in `page.violations`, its uncaught script errors
    in `page.errors`."""
    context = browser.new_context(locale=locale, extra_http_headers=headers,
                                  viewport=viewport or {"width": 1280, "height": 1000})
    if cookies:
        context.add_cookies(list(cookies))
    page = watch_csp(context.new_page())
    page.set_default_timeout(15_000)
    page.errors = []
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    return sign_in(page, base_url, username, password)
