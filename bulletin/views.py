"""Reader pages (placeholder views; the reader-site issue builds them out)."""

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import translate_url
from django.utils.translation import get_language_from_request

from bulletin.models import Article, Issue, Topic


def language_redirect(request):
    language = get_language_from_request(request, check_path=False)
    return redirect(translate_url("/en/", language))


def home(request):
    issue = Issue.objects.latest_published()
    return HttpResponse(issue.period_label() if issue else "")


def archive(request):
    return HttpResponse("")


def issue_detail(request, number):
    issue = get_object_or_404(Issue.objects.published(), number=number)
    return HttpResponse(issue.period_label())


def article_detail(request, number, slug):
    article = get_object_or_404(Article.objects.published(), issue__number=number, slug=slug)
    if not article.title:
        raise Http404
    return HttpResponse(article.title)


def topic_detail(request, slug):
    topic = get_object_or_404(Topic, slug=slug)
    return HttpResponse(topic.name)
