from django.urls import path

from bulletin import feeds, views
from bulletin.pagecache.responses import cached_response

app_name = "bulletin"


def feed_paths(prefix, name, rss_feed, atom_feed):
    """The RSS and Atom URLs of one feed under `prefix`, both through the page cache."""
    return [
        path(f"{prefix}feeds/rss/", cached_response(rss_feed), name=f"{name}_rss"),
        path(f"{prefix}feeds/atom/", cached_response(atom_feed), name=f"{name}_atom"),
    ]


urlpatterns = [
    path("", views.home, name="home"),
    path("issues/", views.archive, name="archive"),
    path("issues/<int:number>/", views.issue_detail, name="issue"),
    path("issues/<int:number>/<slug:slug>/", views.article_detail, name="article"),
    path("topics/", views.topics, name="topics"),
    path("topics/<slug:slug>/", views.topic_detail, name="topic"),
    path("authors/<slug:slug>/", views.author_detail, name="author"),
    path("search/", views.search, name="search"),
    *feed_paths("", "feed", feeds.ArticlesFeed(), feeds.ArticlesAtomFeed()),
    *feed_paths("topics/<slug:slug>/", "topic_feed", feeds.TopicFeed(), feeds.TopicAtomFeed()),
    *feed_paths("authors/<slug:slug>/", "author_feed", feeds.AuthorFeed(), feeds.AuthorAtomFeed()),
]
