"""Authors as people: an Author (translated name and short bio, a page per
language) and each article's byline, in order. The old free-text `authors`
("Ihar Ramaniuk, Yauhen Lapitski") becomes Author rows: one per distinct name,
the name as written taken as the English one (editors add the Belarusian and
Russian names in the admin, which shows what is missing).

SQLite: the search index's triggers do not read the authors column
(bulletin/search.py re-creates them after every migrate in any case).
"""

import django.db.models.deletion
from django.db import migrations, models
from django.utils.text import slugify


def _names(text):
    return [" ".join(name.split()) for name in (text or "").split(",") if name.strip()]


def authors_from_text(apps, schema_editor):
    Article = apps.get_model("bulletin", "Article")
    Author = apps.get_model("bulletin", "Author")
    Byline = apps.get_model("bulletin", "Byline")
    by_name = {}
    slugs = set()
    bylines = []
    for article_id, text in Article.objects.values_list("pk", "authors_text").iterator():
        seen = set()
        for name in _names(text):
            if name in seen:
                continue
            seen.add(name)
            author = by_name.get(name)
            if author is None:
                base = slugify(name)[:90] or "author"
                slug, number = base, 1
                while slug in slugs:
                    number += 1
                    slug = f"{base}-{number}"
                slugs.add(slug)
                author = by_name[name] = Author.objects.create(
                    name=name, name_en=name, slug=slug)
            bylines.append(Byline(article_id=article_id, author=author, position=len(seen) - 1))
    Byline.objects.bulk_create(bylines, batch_size=1000)


def text_from_authors(apps, schema_editor):
    Article = apps.get_model("bulletin", "Article")
    Byline = apps.get_model("bulletin", "Byline")
    names = {}
    for article_id, name in Byline.objects.order_by("article_id", "position", "pk").values_list(
        "article_id", "author__name_en"
    ):
        names.setdefault(article_id, []).append(name or "")
    for article_id, article_names in names.items():
        Article.objects.filter(pk=article_id).update(
            authors_text=", ".join(n for n in article_names if n)[:300])


class Migration(migrations.Migration):

    dependencies = [
        ('bulletin', '0009_search_folds_yo'),
    ]

    operations = [
        migrations.CreateModel(
            name='Author',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(blank=True, max_length=200, verbose_name='name')),
                ('name_en', models.CharField(blank=True, max_length=200, null=True, verbose_name='name')),
                ('name_be', models.CharField(blank=True, max_length=200, null=True, verbose_name='name')),
                ('name_ru', models.CharField(blank=True, max_length=200, null=True, verbose_name='name')),
                ('bio', models.TextField(blank=True, verbose_name='short bio')),
                ('bio_en', models.TextField(blank=True, null=True, verbose_name='short bio')),
                ('bio_be', models.TextField(blank=True, null=True, verbose_name='short bio')),
                ('bio_ru', models.TextField(blank=True, null=True, verbose_name='short bio')),
                ('slug', models.SlugField(max_length=100, unique=True, verbose_name='slug')),
            ],
            options={
                'verbose_name': 'author',
                'verbose_name_plural': 'authors',
                'ordering': ['slug'],
            },
        ),
        migrations.RenameField(model_name='article', old_name='authors', new_name='authors_text'),
        migrations.CreateModel(
            name='Byline',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('position', models.PositiveSmallIntegerField(default=0, verbose_name='position')),
                ('article', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='bylines', to='bulletin.article')),
                ('author', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='bylines', to='bulletin.author', verbose_name='author')),
            ],
            options={
                'verbose_name': 'byline',
                'verbose_name_plural': 'bylines',
                'ordering': ['position', 'pk'],
            },
        ),
        migrations.AddField(
            model_name='article',
            name='authors',
            field=models.ManyToManyField(blank=True, related_name='articles', through='bulletin.Byline', to='bulletin.author', verbose_name='authors'),
        ),
        migrations.AddConstraint(
            model_name='byline',
            constraint=models.UniqueConstraint(fields=('article', 'author'), name='byline_author_once'),
        ),
        migrations.RunPython(authors_from_text, text_from_authors),
        migrations.RemoveField(model_name='article', name='authors_text'),
    ]
