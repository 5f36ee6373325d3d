from modeltranslation.translator import TranslationOptions, register

from bulletin.models import Article, Image, Issue, Topic
from bulletin.translated import ARTICLE_FIELDS, IMAGE_FIELDS, ISSUE_FIELDS, TOPIC_FIELDS


@register(Topic)
class TopicTranslation(TranslationOptions):
    fields = TOPIC_FIELDS


@register(Issue)
class IssueTranslation(TranslationOptions):
    fields = ISSUE_FIELDS


@register(Article)
class ArticleTranslation(TranslationOptions):
    fields = ARTICLE_FIELDS


@register(Image)
class ImageTranslation(TranslationOptions):
    fields = IMAGE_FIELDS
