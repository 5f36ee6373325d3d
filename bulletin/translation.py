"""modeltranslation registrations: each model with the fields bulletin/translated.py
declares for it."""

from modeltranslation.translator import TranslationOptions, translator

from bulletin.models import Article, Author, Image, Issue, Topic
from bulletin.translated import (
    ARTICLE_FIELDS,
    ARTICLE_NOTE_FIELDS,
    IMAGE_FIELDS,
    ISSUE_FIELDS,
    TOPIC_FIELDS,
)

for model, translated_fields in (
    (Topic, TOPIC_FIELDS),
    (Issue, ISSUE_FIELDS),
    (Article, (*ARTICLE_FIELDS, *ARTICLE_NOTE_FIELDS)),
    (Image, IMAGE_FIELDS),
):
    translator.register(
        model, type(f"{model.__name__}Translation", (TranslationOptions,),
                    {"fields": translated_fields})
    )


translator.register(Author, type("AuthorTranslation", (TranslationOptions,),
                                 {"fields": ("name", "bio")}))
