from modeltranslation.translator import TranslationOptions, register

from bulletin.models import Article, Author, Image, Issue, Topic


@register(Topic)
class TopicTranslation(TranslationOptions):
    fields = ("name", "description")


@register(Issue)
class IssueTranslation(TranslationOptions):
    fields = ("title", "summary")


@register(Article)
class ArticleTranslation(TranslationOptions):
    fields = ("title", "lead", "body")


@register(Author)
class AuthorTranslation(TranslationOptions):
    fields = ("name", "bio")


@register(Image)
class ImageTranslation(TranslationOptions):
    fields = ("alt", "caption", "credit")
