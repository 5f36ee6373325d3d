"""What a reader page is made of: its content (`Page`: main column, sidebar,
the languages it exists in) and its head (`Meta`: canonical and hreflang links,
OpenGraph, feeds). bulletin/pages.py builds a Page; the page cache stores it."""

from dataclasses import dataclass, field

from django.utils.translation import get_language

from bulletin import languages


@dataclass
class Meta:
    """What goes into <head>: canonical and hreflang links, OpenGraph tags, feeds."""

    title: str
    description: str = ""
    canonical: str = ""  # a path; SITE_URL is put in front in the template
    alternates: list[tuple[str, str]] = field(default_factory=list)  # (language, path)
    x_default: str | None = None
    og_type: str = "website"
    og_locale: str = ""
    og_locale_alternates: list[str] = field(default_factory=list)
    og_extra: list[tuple[str, str]] = field(default_factory=list)  # (property, content)
    feeds: list[tuple[str, str, str]] = field(default_factory=list)  # (title, mime type, path)
    noindex: bool = False
    # The social preview image, a URL or a path; "" for the site's default.
    og_image: str = ""


@dataclass
class Page:
    """A reader page's content, rendered once per language and generation."""

    kind: str  # home, issue, article, topic, topics, archive, search: a CSS hook
    title: str
    main: str
    aside: str = ""
    description: str = ""
    # language -> path of this same page, for the languages it exists in
    urls: dict[str, str] = field(default_factory=dict)
    # language -> where the language switch leads where the page does not exist
    fallbacks: dict[str, str] = field(default_factory=dict)
    canonical: str = ""
    og_type: str = "website"
    og_extra: list[tuple[str, str]] = field(default_factory=list)
    og_image: str = ""  # the or article's image; "" for the site's default
    feeds: list[tuple[str, str, str]] = field(default_factory=list)
    subscribe_box: bool = False
    preview: bool = False
    noindex: bool = False

    def __post_init__(self):
        # A language that is not live has no pages to point at.
        live = languages.codes()
        self.urls = {code: url for code, url in self.urls.items() if code in live}

    def meta(self) -> Meta:
        current = get_language()
        return Meta(
            title=self.title,
            description=self.description,
            canonical=self.canonical or self.urls.get(current, ""),
            alternates=list(self.urls.items()),
            x_default=languages.x_default(self.urls),
            og_type=self.og_type,
            og_locale=languages.og_locale(current),
            og_locale_alternates=[
                languages.og_locale(code) for code in self.urls if code != current
            ],
            og_extra=self.og_extra,
            og_image=self.og_image,
            feeds=self.feeds,
            noindex=self.noindex or self.preview,
        )

    def language_links(self):
        return languages.links(self.urls, self.fallbacks)
