from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path, re_path
from django.utils.translation import gettext_lazy

from accounts.forms import StaffLoginForm
from accounts.views import two_factor
from bulletin import desk
from bulletin import views as bulletin_views
from bulletin.pagecache.responses import cached_response
from bulletin.sitemaps import SITEMAPS
from newsletter import views as newsletter_views
from newsletter import webhooks

# A database outage is a 503 with Retry-After, never a 500 (config/unavailable.py).
handler500 = "config.unavailable.server_error"
# Refused under /admin/: the admin's own page; elsewhere the reader site's (config/denied.py).
handler403 = "config.denied.permission_denied"

admin.site.site_header = "Bulletin"
admin.site.site_title = "Bulletin"
admin.site.index_title = gettext_lazy("Editorial desk")
# Password, and the authenticator's code for accounts that use one (accounts/).
admin.site.login_form = StaffLoginForm
admin.site.login_template = "accounts/login.html"

urlpatterns = [
    path("admin/desk/<str:role>/", admin.site.admin_view(desk.desk_view), name="staff_desk"),
    path("admin/preferences/", admin.site.admin_view(desk.preferences_view),
         name="staff_preferences"),
    path("admin/two-factor/", admin.site.admin_view(two_factor), name="two_factor"),
    path("admin/", admin.site.urls),
    path("", bulletin_views.language_redirect, name="root"),
    path("robots.txt", bulletin_views.robots_txt, name="robots_txt"),
    # Browsers ask for /favicon.ico whatever the page says.
    path("favicon.ico", bulletin_views.favicon, name="favicon"),
    path(
        "sitemap.xml",
        cached_response(sitemap, paged=True),
        {"sitemaps": SITEMAPS},
        name="sitemap",
    ),
    # Uploaded images in the file-system storage (with object storage their URLs
    # point there instead). Random names, never listed; cached for a year.
    re_path(
        r"^media/(?P<path>images/[-\w/.]+)$",
        bulletin_views.media_file,
        name="media",
    ),
    # Providers' bounce, complaint and delivery events (django-anymail's views).
    path("anymail/", include((webhooks.tracking_urlpatterns(), "anymail"))),
    # RFC 8058 one-click unsubscribe: outside the language prefix, no cookies needed.
    path(
        "newsletter/one-click/<str:token>/",
        newsletter_views.one_click_unsubscribe,
        name="newsletter_one_click",
    ),
]

urlpatterns += i18n_patterns(
    path("newsletter/", include("newsletter.urls")),
    path("", include("bulletin.urls")),
    prefix_default_language=True,
)
