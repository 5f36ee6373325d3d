"""Newsletter pages under the language prefix (/en/newsletter/...)."""

from django.urls import path

from newsletter import views, web

app_name = "newsletter"

urlpatterns = [
    path("subscribe/", views.subscribe, name="subscribe"),
    path("confirm/<str:token>/", views.confirm, name="confirm"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("preferences/<str:token>/", views.preferences, name="preferences"),
    path("issues/<int:number>/", web.web_version, name="web_version"),
    path("preferences/<str:token>/data.json", views.personal_data, name="data"),
]
