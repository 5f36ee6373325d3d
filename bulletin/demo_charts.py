"""The demo's charts, drawn with Pillow when `load_demo` runs, and the figures and
tables the demo articles show them in. The numbers are illustrative.

Each chart is uploaded like any image (bulletin/images.py): decoded, cleaned,
renditions queued. Text inside the pictures is numbers and years only, so one
file serves every language; titles, alt text and captions are translated.
"""

import io

from PIL import Image as PILImage
from PIL import ImageDraw, ImageFont

WIDTH, HEIGHT = 1600, 900
INK, GRID, MUTED = (29, 29, 27), (221, 221, 221), (110, 110, 110)
COLOURS = [(140, 28, 19), (44, 95, 138), (120, 144, 72)]


def _font(size):
    return ImageFont.load_default(size=size)


def _frame(values_max: float, steps: int = 5):
    image = PILImage.new("RGB", (WIDTH, HEIGHT), "white")
    draw = ImageDraw.Draw(image)
    left, top, right, bottom = 140, 60, WIDTH - 60, HEIGHT - 120
    for step in range(steps + 1):
        y = bottom - (bottom - top) * step / steps
        draw.line((left, y, right, y), fill=GRID, width=2)
        label = f"{values_max * step / steps:g}"
        draw.text((left - 20, y), label, fill=MUTED, font=_font(30), anchor="rm")
    draw.line((left, bottom, right, bottom), fill=INK, width=3)
    return image, draw, (left, top, right, bottom)


def line_chart(labels, series, values_max) -> bytes:
    image, draw, (left, top, right, bottom) = _frame(values_max)
    step = (right - left) / (len(labels) - 1)
    for index, label in enumerate(labels):
        draw.text((left + step * index, bottom + 40), str(label), fill=INK, font=_font(32),
                  anchor="mm")
    for colour, values in zip(COLOURS, series, strict=False):
        points = [(left + step * i, bottom - (bottom - top) * v / values_max)
                  for i, v in enumerate(values)]
        draw.line(points, fill=colour, width=8, joint="curve")
        for x, y in points:
            draw.ellipse((x - 11, y - 11, x + 11, y + 11), fill=colour)
        x, y = points[-1]
        draw.text((x, y - 40), f"{values[-1]:g}", fill=colour, font=_font(34), anchor="mm")
    return _png(image)


def bar_chart(labels, series, values_max) -> bytes:
    image, draw, (left, top, right, bottom) = _frame(values_max)
    group = (right - left) / len(labels)
    bar = group * 0.7 / len(series)
    for index, label in enumerate(labels):
        x0 = left + group * index + group * 0.15
        for offset, (colour, values) in enumerate(zip(COLOURS, series, strict=False)):
            value = values[index]
            x = x0 + bar * offset
            y = bottom - (bottom - top) * value / values_max
            draw.rectangle((x, y, x + bar - 6, bottom), fill=colour)
            draw.text((x + bar / 2, y - 24), f"{value:g}", fill=INK, font=_font(28), anchor="mm")
        draw.text((left + group * index + group / 2, bottom + 40), str(label), fill=INK,
                  font=_font(32), anchor="mm")
    return _png(image)


def _png(image) -> bytes:
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


# slug → what the article shows: a lead image and/or a body figure, and body
# additions (a heading, a table, a quote) per language.
CHARTS = {
    "gas-price-tied-to-integration-roadmaps": {
        "place": "lead",
        "draw": lambda: line_chart(
            [2015, 2016, 2017, 2018, 2019, 2020, 2021],
            [[142, 132, 129, 129, 127, 128, 128]], 160),
        "credit": {"en": "Gazprom, Ministry of Energy", "be": "«Газпрам», Мінэнерга",
                   "ru": "«Газпром», Минэнерго"},
        "alt": {
            "en": "Line chart: the gas price for Belarus, US dollars per 1,000 cubic metres, "
                  "fell from 142 in 2015 to 128 in 2021.",
            "be": "Лінейная дыяграма: цана газу для Беларусі, долараў ЗША за 1000 кубаметраў, "
                  "знізілася са 142 у 2015 годзе да 128 у 2021-м.",
            "ru": "Линейная диаграмма: цена газа для Беларуси, долларов США за 1000 кубометров, "
                  "снизилась со 142 в 2015 году до 128 в 2021-м.",
        },
        "caption": {
            "en": "Gas price for Belarus, USD per 1,000 m³",
            "be": "Цана газу для Беларусі, долараў за 1000 м³",
            "ru": "Цена газа для Беларуси, долларов за 1000 м³",
        },
    },
    "vilnius-extends-potash-transit-ban": {
        "place": "body",
        "draw": lambda: bar_chart(
            ["Q1", "Q2", "Q3", "Q4"], [[2.6, 2.4, 0.9, 0.0], [0.3, 0.5, 1.4, 2.1]], 3),
        "credit": {"en": "Belaruskali, port statistics", "be": "«Беларуськалій», партовая "
                   "статыстыка", "ru": "«Беларуськалий», портовая статистика"},
        "alt": {
            "en": "Bar chart: potash shipped through Klaipėda fell from 2.6 to 0 million "
                  "tonnes a quarter over the year, while Russian ports rose from 0.3 to 2.1.",
            "be": "Слупковая дыяграма: перавалка калію праз Клайпеду за год знізілася з 2,6 да "
                  "0 млн тон у квартал, а праз расійскія порты вырасла з 0,3 да 2,1.",
            "ru": "Столбчатая диаграмма: перевалка калия через Клайпеду за год снизилась с 2,6 "
                  "до 0 млн тонн в квартал, а через российские порты выросла с 0,3 до 2,1.",
        },
        "caption": {
            "en": "Potash exports by route, million tonnes per quarter: Klaipėda (red) and "
                  "Russian ports (blue)",
            "be": "Экспарт калію па маршрутах, млн тон у квартал: Клайпеда (чырвоны) і "
                  "расійскія порты (сіні)",
            "ru": "Экспорт калия по маршрутам, млн тонн в квартал: Клайпеда (красный) и "
                  "российские порты (синий)",
        },
        "append": {
            "en": (
                "<h2>What the new route costs</h2>"
                "<table><tbody>"
                "<tr><th>Route</th><th>Distance to port, km</th><th>Cost per tonne, USD</th></tr>"
                "<tr><td>Klaipėda</td><td>600</td><td>18</td></tr>"
                "<tr><td>Ust-Luga</td><td>900</td><td>31</td></tr>"
                "<tr><td>St Petersburg</td><td>850</td><td>29</td></tr>"
                "</tbody></table>"
                "<blockquote><p>“Every tonne now travels further and pays more, and the "
                "difference stays in Russia.”</p></blockquote>"
            ),
            "be": (
                "<h2>Колькі каштуе новы маршрут</h2>"
                "<table><tbody>"
                "<tr><th>Маршрут</th><th>Адлегласць да порта, км</th>"
                "<th>Кошт за тону, долараў</th></tr>"
                "<tr><td>Клайпеда</td><td>600</td><td>18</td></tr>"
                "<tr><td>Усць-Луга</td><td>900</td><td>31</td></tr>"
                "<tr><td>Санкт-Пецярбург</td><td>850</td><td>29</td></tr>"
                "</tbody></table>"
                "<blockquote><p>«Кожная тона цяпер едзе далей і плаціць больш, а розніца "
                "застаецца ў Расіі».</p></blockquote>"
            ),
            "ru": (
                "<h2>Сколько стоит новый маршрут</h2>"
                "<table><tbody>"
                "<tr><th>Маршрут</th><th>Расстояние до порта, км</th>"
                "<th>Стоимость за тонну, долларов</th></tr>"
                "<tr><td>Клайпеда</td><td>600</td><td>18</td></tr>"
                "<tr><td>Усть-Луга</td><td>900</td><td>31</td></tr>"
                "<tr><td>Санкт-Петербург</td><td>850</td><td>29</td></tr>"
                "</tbody></table>"
                "<blockquote><p>«Каждая тонна теперь едет дальше и платит больше, а разница "
                "остаётся в России».</p></blockquote>"
            ),
        },
    },
    "temporary-gas-formula-postpones-dispute": {
        "place": "lead",
        "draw": lambda: bar_chart(
            [2019, 2020, 2021, 2022], [[49, 50, 48, 59], [26, 23, 20, 6]], 60),
        "credit": {"en": "Belstat", "be": "Белстат", "ru": "Белстат"},
        "alt": {
            "en": "Bar chart: Russia's share of Belarus's foreign trade rose from 49 to 59 per "
                  "cent between 2019 and 2022, the EU's fell from 26 to 6.",
            "be": "Слупковая дыяграма: доля Расіі ў знешнім гандлі Беларусі з 2019 па 2022 год "
                  "вырасла з 49 да 59 працэнтаў, доля ЕС знізілася з 26 да 6.",
            "ru": "Столбчатая диаграмма: доля России во внешней торговле Беларуси с 2019 по 2022 "
                  "год выросла с 49 до 59 процентов, доля ЕС снизилась с 26 до 6.",
        },
        "caption": {
            "en": "Share of foreign trade, per cent: Russia (red) and the EU (blue)",
            "be": "Доля ў знешнім гандлі, працэнтаў: Расія (чырвоны) і ЕС (сіні)",
            "ru": "Доля во внешней торговле, процентов: Россия (красный) и ЕС (синий)",
        },
    },
}


def figure_html(image, caption: str) -> str:
    """The figure the editor would make for `image` (bulletin/sanitize.py keeps it)."""
    from django.utils.html import format_html

    return format_html(
        '<figure><img src="{}" alt="{}" data-file="{}"><figcaption>{}</figcaption></figure>',
        image.file.url, image.alt_en, image.pk, caption,
    )
