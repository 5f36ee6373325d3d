from modeltranslation.translator import TranslationOptions, register

from bulletin.models import Article, Image, Issue, Topic


@register(Topic)
class TopicTranslation(TranslationOptions):
    fields = ("name", "description")


@register(Issue)
class IssueTranslation(TranslationOptions):
    fields = ("title", "summary")


@register(Article)
class ArticleTranslation(TranslationOptions):
    fields = ("title", "lead", "body", "correction_note")


@register(Image)
class ImageTranslation(TranslationOptions):
    fields = ("alt", "caption", "credit")
