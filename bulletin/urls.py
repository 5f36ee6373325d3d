from django.urls import path

from bulletin import views

app_name = "bulletin"

urlpatterns = [
    path("", views.home, name="home"),
    path("issues/", views.archive, name="archive"),
    path("issues/<int:number>/", views.issue_detail, name="issue"),
    path("issues/<int:number>/<slug:slug>/", views.article_detail, name="article"),
    path("topics/<slug:slug>/", views.topic_detail, name="topic"),
]
