from django.urls import path

from bulletin import feeds, views
from bulletin.pagecache.responses import cached_response

app_name = "bulletin"

urlpatterns = [
    path("", views.home, name="home"),
    path("issues/", views.archive, name="archive"),
    path("issues/<int:number>/", views.issue_detail, name="issue"),
    path("issues/<int:number>/<slug:slug>/", views.article_detail, name="article"),
    path("topics/", views.topics, name="topics"),
    path("topics/<slug:slug>/", views.topic_detail, name="topic"),
    path("authors/<slug:slug>/", views.author_detail, name="author"),
    path("search/", views.search, name="search"),
    path("feeds/rss/", cached_response(feeds.ArticlesFeed()), name="feed_rss"),
    path("feeds/atom/", cached_response(feeds.ArticlesAtomFeed()), name="feed_atom"),
    path(
        "topics/<slug:slug>/feeds/rss/",
        cached_response(feeds.TopicFeed()),
        name="topic_feed_rss",
    ),
    path(
        "topics/<slug:slug>/feeds/atom/",
        cached_response(feeds.TopicAtomFeed()),
        name="topic_feed_atom",
    ),
    path(
        "authors/<slug:slug>/feeds/rss/",
        cached_response(feeds.AuthorFeed()),
        name="author_feed_rss",
    ),
    path(
        "authors/<slug:slug>/feeds/atom/",
        cached_response(feeds.AuthorAtomFeed()),
        name="author_feed_atom",
    ),
]
