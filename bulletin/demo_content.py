"""Demo content for `manage.py load_demo`: five topics, the authors and three
weekly issues in en/be/ru."""

# The demo's authors by their English name (the name an article's "authors" gives).
AUTHORS = {
    "Ihar Ramaniuk": {
        "name": {"be": "Ігар Раманюк", "ru": "Игорь Романюк"},
        "bio": {
            "en": "Political analyst; writes on the ruling elite and the presidential vertical.",
            "be": "Палітычны аналітык; піша пра кіруючую эліту і прэзідэнцкую вертыкаль.",
            "ru": "Политический аналитик; пишет о правящей элите и президентской вертикали.",
        },
    },
    "Alesia Hrytsevich": {
        "name": {"be": "Алеся Грыцэвіч", "ru": "Алеся Грицевич"},
        "bio": {
            "en": "Sociologist; follows civil society, parties and public opinion.",
            "be": "Сацыёлаг; сочыць за грамадзянскай супольнасцю, партыямі і грамадскай думкай.",
            "ru": "Социолог; следит за гражданским обществом, партиями и общественным мнением.",
        },
    },
    "Hanna Zhaleznik": {
        "name": {"be": "Ганна Жалезнік", "ru": "Анна Железник"},
        "bio": {
            "en": "Security researcher; covers the army, the security services and the region.",
            "be": "Даследчыца бяспекі; піша пра войска, спецслужбы і рэгіён.",
            "ru": "Исследовательница безопасности; пишет об армии, спецслужбах и регионе.",
        },
    },
    "Uladzimir Kharytonau": {
        "name": {"be": "Уладзімір Харытонаў", "ru": "Владимир Харитонов"},
        "bio": {
            "en": "Former diplomat; writes on relations with the European Union and the US.",
            "be": "Былы дыпламат, цяпер аналітык; піша пра адносіны з Еўрасаюзам і ЗША.",
            "ru": "Бывший дипломат, теперь аналитик; пишет об отношениях с Евросоюзом и США.",
        },
    },
    "Yauhen Lapitski": {
        "name": {"be": "Яўген Лапіцкі", "ru": "Евгений Лапицкий"},
        "bio": {
            "en": "Economist; follows integration with Russia, energy and trade.",
            "be": "Эканаміст; сочыць за інтэграцыяй з Расіяй, энергетыкай і гандлем.",
            "ru": "Экономист; следит за интеграцией с Россией, энергетикой и торговлей.",
        },
    },
    "Maryna Savitskaya": {
        "name": {"be": "Марына Савіцкая", "ru": "Марина Савицкая"},
        "bio": {
            "en": "Journalist; covers regional politics and local government.",
            "be": "Журналістка; піша пра рэгіянальную палітыку і мясцовую ўладу.",
            "ru": "Журналистка; пишет о региональной политике и местной власти.",
        },
    },
}


def author_names(authors: str) -> list[str]:
    """The English names in an article's "authors" ("A, B")."""
    return [" ".join(name.split()) for name in authors.split(",") if name.strip()]


def author_fields(name: str) -> dict:
    """An Author's translated fields for a demo name (only English if unknown)."""
    known = AUTHORS.get(name, {"name": {}, "bio": {}})
    return {
        **{f"name_{code}": text for code, text in known["name"].items()},
        **{f"bio_{code}": text for code, text in known["bio"].items()},
    }

TOPICS = [
    {
        "slug": "ruling-elite",
        "position": 1,
        "name": {"en": "The ruling elite", "be": "Кіруючая эліта", "ru": "Правящая элита"},
        "description": {
            "en": (
                "Personnel decisions, the balance of influence within the nomenklatura and the "
                "workings of the presidential vertical."
            ),
            "be": (
                "Кадравыя рашэнні, расклад уплыву ўнутры наменклатуры і функцыянаванне "
                "прэзідэнцкай вертыкалі."
            ),
            "ru": (
                "Кадровые решения, расстановка сил внутри номенклатуры и функционирование "
                "президентской вертикали."
            ),
        },
    },
    {
        "slug": "society-parties",
        "position": 2,
        "name": {
            "en": "Society and political parties",
            "be": "Грамадства і палітычныя партыі",
            "ru": "Общество и политические партии",
        },
        "description": {
            "en": (
                "Civil society, the opposition, political prisoners, the diaspora and public "
                "sentiment inside the country."
            ),
            "be": (
                "Грамадзянская супольнасць, апазіцыя, палітвязні, дыяспара і грамадскія настроі "
                "ўнутры краіны."
            ),
            "ru": (
                "Гражданское общество, оппозиция, политзаключённые, диаспора и общественные "
                "настроения внутри страны."
            ),
        },
    },
    {
        "slug": "security",
        "position": 3,
        "name": {"en": "Security issues", "be": "Пытанні бяспекі", "ru": "Вопросы безопасности"},
        "description": {
            "en": (
                "Defence policy, the armed forces, military cooperation within the CSTO and the "
                "Union State, and regional security."
            ),
            "be": (
                "Абаронная палітыка, узброеныя сілы, вайсковае супрацоўніцтва ў межах АДКБ і "
                "Саюзнай дзяржавы, рэгіянальная бяспека."
            ),
            "ru": (
                "Оборонная политика, вооружённые силы, военное сотрудничество в рамках ОДКБ и "
                "Союзного государства, региональная безопасность."
            ),
        },
    },
    {
        "slug": "belarus-west",
        "position": 4,
        "name": {
            "en": "Belarus–West relations",
            "be": "Адносіны Беларусі і Захаду",
            "ru": "Отношения Беларуси и Запада",
        },
        "description": {
            "en": (
                "Dialogue and confrontation with the European Union, the United States and "
                "neighbouring states, sanctions and transit."
            ),
            "be": (
                "Дыялог і канфрантацыя з Еўрапейскім саюзам, ЗША і суседнімі краінамі, санкцыі і "
                "транзіт."
            ),
            "ru": (
                "Диалог и противостояние с Европейским союзом, США и соседними государствами, "
                "санкции и транзит."
            ),
        },
    },
    {
        "slug": "belarus-russia",
        "position": 5,
        "name": {
            "en": "Belarus–Russia relations",
            "be": "Беларуска-расійскія адносіны",
            "ru": "Белорусско-российские отношения",
        },
        "description": {
            "en": (
                "Union State integration, energy and trade disputes, loans and the political "
                "relationship between Minsk and Moscow."
            ),
            "be": (
                "Інтэграцыя ў межах Саюзнай дзяржавы, энергетычныя і гандлёвыя спрэчкі, крэдыты і "
                "палітычныя адносіны паміж Мінскам і Масквой."
            ),
            "ru": (
                "Интеграция в рамках Союзного государства, энергетические и торговые споры, "
                "кредиты и политические отношения между Минском и Москвой."
            ),
        },
    },
]

# Three consecutive weekly issues, oldest first. week_offset = how many weeks before
# the current week the issue's Monday lies (3, 2, 1).
ISSUES = [
    {
        "number": 147,
        "week_offset": 3,
        "title": {
            "en": "Gas, troops and a cautious dialogue",
            "be": "Газ, войскі і асцярожны дыялог",
            "ru": "Газ, войска и осторожный диалог",
        },
        "summary": {
            "en": (
                "Moscow has openly tied next year’s gas price to progress on the Union State "
                "programmes, while Russian units are in no hurry to leave Belarusian training "
                "grounds after joint drills. At the same time, Minsk and Washington held their "
                "first substantive consultations in months. The reshuffle of regional governors "
                "confirmed the preference for loyalty over experience."
            ),
            "be": (
                "Масква адкрыта звязала цану на газ на наступны год з выкананнем саюзных праграм, "
                "а расійскія падраздзяленні не спяшаюцца пакідаць беларускія палігоны пасля "
                "сумесных вучэнняў. У той жа час Мінск і Вашынгтон упершыню за шмат месяцаў "
                "правялі змястоўныя кансультацыі. Ратацыя губернатараў пацвердзіла, што "
                "лаяльнасць па-ранейшаму цэніцца вышэй за досвед."
            ),
            "ru": (
                "Москва открыто увязала цену на газ на следующий год с выполнением союзных "
                "программ, а российские подразделения не торопятся покидать белорусские полигоны "
                "после совместных учений. В то же время Минск и Вашингтон впервые за много "
                "месяцев провели содержательные консультации. Ротация губернаторов подтвердила, "
                "что лояльность по-прежнему ценится выше опыта."
            ),
        },
        "articles": [
            {
                "slug": "russian-units-stay-after-joint-drills",
                "topic": "security",
                "trend": "worsened",
                "authors": "Ihar Ramaniuk",
                "title": {
                    "en": "Russian units in no hurry to leave after joint drills",
                    "be": (
                        "Расійскія падраздзяленні не спяшаюцца сыходзіць пасля сумесных вучэнняў"
                    ),
                    "ru": "Российские подразделения не спешат уходить после совместных учений",
                },
                "lead": {
                    "en": (
                        "A week after the end of the joint Belarusian-Russian staff exercise, a "
                        "considerable part of the Russian contingent remains at training grounds "
                        "in the Brest and Grodno regions. Minsk offers no explanation, which "
                        "fuels concern in neighbouring capitals."
                    ),
                    "be": (
                        "Праз тыдзень пасля завяршэння сумеснага беларуска-расійскага штабнога "
                        "вучэння значная частка расійскага кантынгенту застаецца на палігонах "
                        "Брэсцкай і Гродзенскай абласцей. Мінск не дае ніякіх тлумачэнняў, што "
                        "павялічвае занепакоенасць у суседніх сталіцах."
                    ),
                    "ru": (
                        "Спустя неделю после завершения совместного белорусско-российского "
                        "штабного учения значительная часть российского контингента остаётся на "
                        "полигонах Брестской и Гродненской областей. Минск не даёт никаких "
                        "объяснений, что усиливает беспокойство в соседних столицах."
                    ),
                },
                "body": {
                    "en": (
                        "<p>The joint staff exercise of the armed forces of Belarus and Russia "
                        "officially ended last Friday. According to the Defence Ministry, it "
                        "involved about 8,000 servicemen, some 2,500 of them from Russia. "
                        "However, satellite imagery published by independent monitors and reports "
                        "from local residents indicate that at least two Russian battalion "
                        "tactical groups, together with air-defence assets, are still deployed at "
                        "the Obuz-Lesnovsky and Gozhsky training grounds.</p>"
                        "<p>Officially, the Belarusian side describes the situation as a "
                        "<em>“planned redeployment”</em> that takes time because heavy equipment "
                        "has to be returned by rail. The explanation is not very convincing: in "
                        "previous years the withdrawal of Russian units took no more than ten "
                        "days, and the railway schedule was announced in advance.</p>"
                        "<p>Several factors probably lie behind the delay. Moscow has long sought "
                        "a permanent military presence in Belarus beyond the two existing "
                        "facilities – the radar station near Hantsavichy and the naval "
                        "communications centre near Vileika. Minsk, for its part, has "
                        "consistently preferred joint training centres and rotational "
                        "deployments, which allow it to avoid formal commitments.</p>"
                        "<blockquote>The longer the “temporary” presence lasts, the more it "
                        "becomes a bargaining chip in the talks on gas prices and "
                        "loans.</blockquote>"
                        "<p>For Belarus’s neighbours the distinction between rotational and "
                        "permanent presence is becoming academic. Lithuania and Poland have "
                        "already requested clarification under the OSCE Vienna Document. If the "
                        "Russian units are not withdrawn within the next two weeks, additional "
                        "NATO measures along the border should be expected, which would narrow "
                        "Minsk’s room for manoeuvre even further.</p>"
                    ),
                    "be": (
                        "<p>Сумеснае штабное вучэнне ўзброеных сіл Беларусі і Расіі афіцыйна "
                        "завяршылася ў мінулую пятніцу. Паводле звестак Міністэрства абароны, у "
                        "ім удзельнічалі каля 8000 вайскоўцаў, з іх прыкладна 2500 — з Расіі. "
                        "Аднак спадарожнікавыя здымкі, апублікаваныя незалежнымі маніторынгавымі "
                        "групамі, і паведамленні мясцовых жыхароў сведчаць, што прынамсі дзве "
                        "расійскія батальённыя тактычныя групы, а таксама сродкі СПА па-ранейшаму "
                        "знаходзяцца на палігонах Абуз-Лясноўскі і Гожскі.</p>"
                        "<p>Афіцыйна беларускі бок называе тое, што адбываецца, <em>«планавай "
                        "перадыслакацыяй»</em>, якая патрабуе часу, бо цяжкую тэхніку трэба "
                        "вывозіць чыгункай. Гэтае тлумачэнне не надта пераканаўчае: у ранейшыя "
                        "гады вывад расійскіх падраздзяленняў займаў не больш за дзесяць дзён, а "
                        "графік чыгуначных перавозак абвяшчаўся загадзя.</p>"
                        "<p>За затрымкай, верагодна, стаіць некалькі фактараў. Масква даўно "
                        "дамагаецца пастаяннай вайсковай прысутнасці ў Беларусі акрамя двух ужо "
                        "існуючых аб’ектаў — радыёлакацыйнай станцыі каля Ганцавіч і вузла сувязі "
                        "ВМФ каля Вілейкі. Мінск, у сваю чаргу, паслядоўна аддае перавагу фармату "
                        "сумесных вучэбна-баявых цэнтраў і ратацыйнай прысутнасці, які дазваляе "
                        "пазбягаць фармальных абавязацельстваў.</p>"
                        "<blockquote>Чым даўжэй доўжыцца «часовая» прысутнасць, тым больш яна "
                        "ператвараецца ў козыр на перамовах пра цану на газ і "
                        "крэдыты.</blockquote>"
                        "<p>Для суседзяў Беларусі розніца паміж ратацыйнай і пастаяннай "
                        "прысутнасцю становіцца суто акадэмічнай. Літва і Польшча ўжо запыталі "
                        "тлумачэнні ў межах Венскага дакумента АБСЕ. Калі расійскія "
                        "падраздзяленні не будуць выведзеныя ў бліжэйшыя два тыдні, варта чакаць "
                        "дадатковых мер НАТА ўздоўж мяжы, што яшчэ больш звузіць прастору для "
                        "манеўру Мінска.</p>"
                    ),
                    "ru": (
                        "<p>Совместное штабное учение вооружённых сил Беларуси и России "
                        "официально завершилось в прошлую пятницу. По данным Министерства "
                        "обороны, в нём участвовали около 8000 военнослужащих, из них примерно "
                        "2500 — из России. Однако спутниковые снимки, опубликованные независимыми "
                        "мониторинговыми группами, и сообщения местных жителей свидетельствуют о "
                        "том, что как минимум две российские батальонные тактические группы, а "
                        "также средства ПВО по-прежнему находятся на полигонах Обуз-Лесновский и "
                        "Гожский.</p>"
                        "<p>Официально белорусская сторона называет происходящее <em>«плановой "
                        "передислокацией»</em>, которая требует времени, поскольку тяжёлую "
                        "технику необходимо вывозить по железной дороге. Это объяснение не "
                        "слишком убедительно: в прежние годы вывод российских подразделений "
                        "занимал не более десяти дней, а график железнодорожных перевозок "
                        "объявлялся заранее.</p>"
                        "<p>За задержкой, вероятно, стоит несколько факторов. Москва давно "
                        "добивается постоянного военного присутствия в Беларуси помимо двух уже "
                        "существующих объектов — радиолокационной станции под Ганцевичами и узла "
                        "связи ВМФ под Вилейкой. Минск, в свою очередь, последовательно "
                        "предпочитает формат совместных учебно-боевых центров и ротационного "
                        "присутствия, который позволяет избегать формальных обязательств.</p>"
                        "<blockquote>Чем дольше длится «временное» присутствие, тем больше оно "
                        "превращается в козырь на переговорах о цене на газ и "
                        "кредитах.</blockquote>"
                        "<p>Для соседей Беларуси различие между ротационным и постоянным "
                        "присутствием становится сугубо академическим. Литва и Польша уже "
                        "запросили разъяснения в рамках Венского документа ОБСЕ. Если российские "
                        "подразделения не будут выведены в ближайшие две недели, следует ожидать "
                        "дополнительных мер НАТО вдоль границы, что ещё больше сузит пространство "
                        "для манёвра Минска.</p>"
                    ),
                },
            },
            {
                "slug": "gas-price-tied-to-integration-roadmaps",
                "topic": "belarus-russia",
                "trend": "worsened",
                "authors": "Alesia Hrytsevich",
                "title": {
                    "en": "Moscow ties next year’s gas price to integration roadmaps",
                    "be": (
                        "Масква звязала цану на газ на наступны год з інтэграцыйнымі дарожнымі "
                        "картамі"
                    ),
                    "ru": (
                        "Москва увязала цену на газ на следующий год с интеграционными дорожными "
                        "картами"
                    ),
                },
                "lead": {
                    "en": (
                        "Talks on the price of Russian gas for next year have stalled. Moscow has "
                        "made it clear that any discount depends on progress in implementing the "
                        "Union State programmes."
                    ),
                    "be": (
                        "Перамовы пра цану расійскага газу на наступны год зайшлі ў тупік. Масква "
                        "дала зразумець, што любыя зніжкі залежаць ад прагрэсу ў выкананні "
                        "праграм Саюзнай дзяржавы."
                    ),
                    "ru": (
                        "Переговоры о цене российского газа на следующий год зашли в тупик. "
                        "Москва дала понять, что любые скидки зависят от прогресса в выполнении "
                        "программ Союзного государства."
                    ),
                },
                "body": {
                    "en": (
                        "<p>Intergovernmental consultations on energy held in Moscow this week "
                        "ended without result. According to sources in the Belarusian government, "
                        "Gazprom proposed keeping the current price of $128.5 per thousand cubic "
                        "metres only for the first quarter, with a subsequent review “taking into "
                        "account the state of integration processes”.</p>"
                        "<p>The wording itself is not new, but it has never before been put on "
                        "paper so openly. In effect, the energy dossier has been formally linked "
                        "to the Union State programmes, of which, according to the Russian side, "
                        "only about half have been fully implemented. Moscow’s main demands "
                        "concern:</p>"
                        "<ul>"
                        "<li>the unification of tax legislation, primarily VAT and excise "
                        "duties;</li>"
                        "<li>the creation of a single regulator for the gas market;</li>"
                        "<li>equal access for Russian companies to Belarusian public "
                        "procurement.</li>"
                        "</ul>"
                        "<p>For Minsk, each of these items means losing control over important "
                        "economic levers. Belarusian negotiators are trying to separate the "
                        "issues and insist that the gas price should be determined by existing "
                        "intergovernmental agreements rather than by political conditions.</p>"
                        "<p>Without a compromise, the Belarusian economy faces a double blow: "
                        "higher costs for energy-intensive industries – petrochemicals, "
                        "fertiliser and cement producers – and pressure on the budget through "
                        "subsidised utility tariffs. The issue will most likely be raised to the "
                        "level of the two presidents, which traditionally produces a temporary "
                        "rather than a fundamental solution.</p>"
                    ),
                    "be": (
                        "<p>Міжурадавыя кансультацыі па энергетыцы, якія прайшлі на гэтым тыдні ў "
                        "Маскве, завяршыліся безвынікова. Паводле крыніц у беларускім урадзе, "
                        "«Газпрам» прапанаваў захаваць цяперашнюю цану ў 128,5 долара за тысячу "
                        "кубаметраў толькі на першы квартал з наступным пераглядам «з улікам "
                        "стану інтэграцыйных працэсаў».</p>"
                        "<p>Сама фармулёўка не новая, аднак упершыню яна так адкрыта замацаваная "
                        "на паперы. Па сутнасці, энергетычнае дасье фармальна прывязанае да "
                        "саюзных праграм, з якіх, паводле ацэнкі расійскага боку, у поўным аб’ёме "
                        "выкананая толькі прыкладна палова. Асноўныя патрабаванні Масквы "
                        "датычацца:</p>"
                        "<ul>"
                        "<li>уніфікацыі падатковага заканадаўства, перш за ўсё ПДВ і акцызаў;</li>"
                        "<li>стварэння адзінага рэгулятара газавага рынку;</li>"
                        "<li>роўнага доступу расійскіх кампаній да беларускіх дзяржаўных "
                        "закупак.</li>"
                        "</ul>"
                        "<p>Для Мінска кожны з гэтых пунктаў азначае страту кантролю над важнымі "
                        "эканамічнымі рычагамі. Беларускія перагаворшчыкі спрабуюць развесці "
                        "пытанні і настойваюць на тым, што цана газу мусіць вызначацца дзейнымі "
                        "міжурадавымі пагадненнямі, а не палітычнымі ўмовамі.</p>"
                        "<p>Без кампрамісу беларуская эканоміка атрымае двайны ўдар: рост "
                        "выдаткаў энергаёмістых галін — нафтахіміі, вытворцаў угнаенняў і цэменту "
                        "— і ціск на бюджэт праз субсідаваныя тарыфы ЖКГ. Хутчэй за ўсё, пытанне "
                        "будзе вынесена на ўзровень двух прэзідэнтаў, што традыцыйна прыводзіць "
                        "да часовага, а не прынцыповага рашэння.</p>"
                    ),
                    "ru": (
                        "<p>Межправительственные консультации по энергетике, прошедшие на этой "
                        "неделе в Москве, завершились безрезультатно. По данным источников в "
                        "белорусском правительстве, «Газпром» предложил сохранить нынешнюю цену в "
                        "128,5 доллара за тысячу кубометров лишь на первый квартал с последующим "
                        "пересмотром «с учётом состояния интеграционных процессов».</p>"
                        "<p>Сама формулировка не нова, однако впервые она так открыто "
                        "зафиксирована на бумаге. По сути, энергетическое досье формально "
                        "привязано к союзным программам, из которых, по оценке российской "
                        "стороны, в полном объёме выполнена лишь примерно половина. Основные "
                        "требования Москвы касаются:</p>"
                        "<ul>"
                        "<li>унификации налогового законодательства, прежде всего НДС и "
                        "акцизов;</li>"
                        "<li>создания единого регулятора газового рынка;</li>"
                        "<li>равного доступа российских компаний к белорусским государственным "
                        "закупкам.</li>"
                        "</ul>"
                        "<p>Для Минска каждый из этих пунктов означает утрату контроля над "
                        "важными экономическими рычагами. Белорусские переговорщики пытаются "
                        "развести вопросы и настаивают на том, что цена газа должна определяться "
                        "действующими межправительственными соглашениями, а не политическими "
                        "условиями.</p>"
                        "<p>Без компромисса белорусская экономика получит двойной удар: рост "
                        "издержек энергоёмких отраслей — нефтехимии, производителей удобрений и "
                        "цемента — и давление на бюджет через субсидируемые тарифы ЖКХ. Скорее "
                        "всего, вопрос будет вынесен на уровень двух президентов, что традиционно "
                        "приводит к временному, а не принципиальному решению.</p>"
                    ),
                },
            },
            {
                # No Belarusian translation yet (demo of a missing language).
                "slug": "governors-reshuffle-favours-loyalty",
                "topic": "ruling-elite",
                "trend": "unchanged",
                "authors": "Hanna Zhaleznik",
                "title": {
                    "en": "Governors’ reshuffle favours loyalty over experience",
                    "ru": "Ротация губернаторов: лояльность важнее опыта",
                },
                "lead": {
                    "en": (
                        "The head of state has replaced the governors of the Vitebsk and Gomel "
                        "regions. Both newcomers come from the security bloc, continuing a trend "
                        "that has persisted for several years."
                    ),
                    "ru": (
                        "Глава государства сменил губернаторов Витебской и Гомельской областей. "
                        "Оба новых руководителя — выходцы из силового блока, что продолжает "
                        "тенденцию последних лет."
                    ),
                },
                "body": {
                    "en": (
                        "<p>On Tuesday, the head of state signed decrees appointing new chairmen "
                        "of the Vitebsk and Gomel regional executive committees. The former "
                        "Vitebsk governor was moved to the post of presidential aide and "
                        "inspector for the region – a traditional “honourable retirement” for "
                        "officials who have fallen out of favour without being accused of "
                        "anything. The Gomel governor was dismissed “in connection with reaching "
                        "the age limit for civil service”.</p>"
                        "<p>Both new governors have a background in the security agencies: one "
                        "previously served as deputy chairman of the State Control Committee, the "
                        "other headed a regional department of the Interior Ministry. At the "
                        "appointment ceremony, the head of state stressed <strong>order and "
                        "discipline</strong> and demanded that they “restore order” in "
                        "agriculture and in the housing and utilities sector.</p>"
                        "<p>The reshuffle changes little in the balance of power. The regional "
                        "vertical remains entirely dependent on the Presidential Administration, "
                        "and governors have no resource base of their own. At the same time, "
                        "people in uniform now head four of the six regions.</p>"
                        "<p>The logic of such appointments is understandable: amid economic "
                        "stagnation, the authorities rely on control rather than development. "
                        "However, officials from the security services rarely have experience of "
                        "managing the economy, so the effectiveness of regional administration is "
                        "likely to decline further. There is no reason to expect changes in "
                        "personnel policy before the next electoral cycle.</p>"
                    ),
                    "ru": (
                        "<p>Во вторник глава государства подписал указы о назначении новых "
                        "председателей Витебского и Гомельского облисполкомов. Бывший витебский "
                        "губернатор переведён на должность помощника президента — инспектора по "
                        "области, что традиционно означает «почётную отставку» для чиновников, "
                        "утративших расположение, но ни в чём не обвинённых. Гомельский "
                        "губернатор освобождён от должности «в связи с достижением предельного "
                        "возраста пребывания на государственной службе».</p>"
                        "<p>Оба новых губернатора имеют опыт работы в силовых структурах: один "
                        "ранее занимал пост заместителя председателя Комитета государственного "
                        "контроля, другой возглавлял областное управление МВД. На церемонии "
                        "назначения глава государства сделал акцент на <strong>порядке и "
                        "дисциплине</strong> и потребовал «навести порядок» в сельском хозяйстве "
                        "и жилищно-коммунальной сфере.</p>"
                        "<p>Ротация мало что меняет в расстановке сил. Региональная вертикаль "
                        "по-прежнему полностью зависит от Администрации президента, а у "
                        "губернаторов нет собственной ресурсной базы. При этом люди в погонах "
                        "теперь возглавляют четыре области из шести.</p>"
                        "<p>Логика подобных назначений понятна: в условиях экономической "
                        "стагнации власть делает ставку на контроль, а не на развитие. Однако "
                        "выходцы из силовых структур редко имеют опыт управления экономикой, "
                        "поэтому эффективность регионального управления, вероятно, продолжит "
                        "снижаться. Оснований ожидать изменений в кадровой политике до следующего "
                        "электорального цикла нет.</p>"
                    ),
                },
            },
            {
                "slug": "minsk-washington-resume-consultations",
                "topic": "belarus-west",
                "trend": "improved",
                "authors": "Uladzimir Kharytonau",
                "title": {
                    "en": "Minsk and Washington resume consultations",
                    "be": "Мінск і Вашынгтон аднавілі кансультацыі",
                    "ru": "Минск и Вашингтон возобновили консультации",
                },
                "lead": {
                    "en": (
                        "For the first time in many months, Belarusian diplomats have held "
                        "substantive consultations with a US delegation. The agenda included the "
                        "release of political prisoners and a partial easing of sanctions."
                    ),
                    "be": (
                        "Упершыню за шмат месяцаў беларускія дыпламаты правялі змястоўныя "
                        "кансультацыі з дэлегацыяй ЗША. На парадку дня — вызваленне палітвязняў і "
                        "частковае змякчэнне санкцый."
                    ),
                    "ru": (
                        "Впервые за много месяцев белорусские дипломаты провели содержательные "
                        "консультации с делегацией США. В повестке дня — освобождение "
                        "политзаключённых и частичное смягчение санкций."
                    ),
                },
                "body": {
                    "en": (
                        "<p>On Thursday, a US State Department delegation headed by a deputy "
                        "assistant secretary visited Minsk. The talks at the Foreign Ministry "
                        "lasted about five hours, and the delegation was also received at the "
                        "Presidential Administration. No details have been disclosed, but both "
                        "official statements described the meeting as <em>“constructive”</em> – a "
                        "word that has not been used about bilateral contacts for a long time.</p>"
                        "<p>According to available information, the Americans raised the release "
                        "of political prisoners, primarily the elderly, the seriously ill and "
                        "foreign citizens. The Belarusian side is interested in lifting "
                        "restrictions on the national air carrier Belavia and on supplies of "
                        "aircraft spare parts, as well as in restoring the full-scale work of the "
                        "embassies.</p>"
                        "<p>This is a familiar pattern for Minsk: humanitarian gestures in "
                        "exchange for a limited easing of pressure. It worked in 2008 and 2015, "
                        "and the Belarusian leadership clearly hopes to repeat it. The key "
                        "difference is that Washington now acts more independently of Brussels, "
                        "while the European Union is not ready to revise its sanctions regime.</p>"
                        "<p>It would be premature to speak of normalisation. Nevertheless, a "
                        "working channel of communication has been restored, and the first "
                        "practical steps – such as the pardon of a group of prisoners – may "
                        "follow within weeks. For Minsk, the contacts are also a signal to Moscow "
                        "that it has alternatives, which is particularly valuable at the height "
                        "of the gas negotiations.</p>"
                    ),
                    "be": (
                        "<p>У чацвер Мінск наведала дэлегацыя Дзяржаўнага дэпартамента ЗША на "
                        "чале з намеснікам памочніка дзяржсакратара. Перамовы ў МЗС працягваліся "
                        "каля пяці гадзін, акрамя таго, дэлегацыю прынялі ў Адміністрацыі "
                        "прэзідэнта. Падрабязнасці не раскрываюцца, аднак у афіцыйных "
                        "паведамленнях абодвух бакоў сустрэча была названая "
                        "<em>«канструктыўнай»</em> — гэтае слова даўно не гучала ў дачыненні да "
                        "двухбаковых кантактаў.</p>"
                        "<p>Паводле наяўных звестак, амерыканцы паднялі пытанне пра вызваленне "
                        "палітвязняў, перш за ўсё пажылых, цяжкахворых і замежных грамадзян. "
                        "Беларускі бок зацікаўлены ў зняцці абмежаванняў з нацыянальнага "
                        "авіяперавозчыка «Белавія» і з паставак запчастак для самалётаў, а "
                        "таксама ў аднаўленні паўнафарматнай працы пасольстваў.</p>"
                        "<p>Для Мінска гэта звыклая схема: гуманітарныя жэсты ў абмен на "
                        "абмежаванае змяншэнне ціску. Яна спрацоўвала ў 2008 і 2015 гадах, і "
                        "беларускае кіраўніцтва відавочна разлічвае яе паўтарыць. Ключавое "
                        "адрозненне ў тым, што Вашынгтон цяпер дзейнічае больш незалежна ад "
                        "Бруселя, тады як Еўрапейскі саюз не гатовы пераглядаць свой санкцыйны "
                        "рэжым.</p>"
                        "<p>Казаць пра нармалізацыю заўчасна. Разам з тым працоўны канал "
                        "камунікацыі адноўлены, і першыя практычныя крокі — напрыклад, "
                        "памілаванне групы зняволеных — могуць адбыцца на працягу некалькіх "
                        "тыдняў. Для Мінска гэтыя кантакты таксама з’яўляюцца сігналам Маскве пра "
                        "наяўнасць альтэрнатыў, што асабліва каштоўна ў разгар газавых "
                        "перамоў.</p>"
                    ),
                    "ru": (
                        "<p>В четверг Минск посетила делегация Государственного департамента США "
                        "во главе с заместителем помощника госсекретаря. Переговоры в МИД "
                        "продолжались около пяти часов, кроме того, делегацию приняли в "
                        "Администрации президента. Подробности не раскрываются, однако в "
                        "официальных сообщениях обеих сторон встреча была названа "
                        "<em>«конструктивной»</em> — это слово давно не звучало применительно к "
                        "двусторонним контактам.</p>"
                        "<p>По имеющимся данным, американцы подняли вопрос об освобождении "
                        "политзаключённых, прежде всего пожилых, тяжелобольных и иностранных "
                        "граждан. Белорусская сторона заинтересована в снятии ограничений с "
                        "национального авиаперевозчика «Белавиа» и с поставок запчастей для "
                        "самолётов, а также в восстановлении полноформатной работы посольств.</p>"
                        "<p>Для Минска это привычная схема: гуманитарные жесты в обмен на "
                        "ограниченное ослабление давления. Она срабатывала в 2008 и 2015 годах, и "
                        "белорусское руководство явно рассчитывает её повторить. Ключевое отличие "
                        "состоит в том, что Вашингтон сейчас действует более независимо от "
                        "Брюсселя, тогда как Европейский союз не готов пересматривать свой "
                        "санкционный режим.</p>"
                        "<p>Говорить о нормализации преждевременно. Тем не менее рабочий канал "
                        "коммуникации восстановлен, и первые практические шаги — например, "
                        "помилование группы заключённых — могут последовать в течение нескольких "
                        "недель. Для Минска эти контакты также служат сигналом Москве о наличии "
                        "альтернатив, что особенно ценно в разгар газовых переговоров.</p>"
                    ),
                },
            },
        ],
    },
    {
        "number": 148,
        "week_offset": 2,
        "title": {
            "en": "The stick before the carrot",
            "be": "Пуга раней за пернік",
            "ru": "Кнут раньше пряника",
        },
        "summary": {
            "en": (
                "Restrictions on Belarusian dairy exports showed how quickly the Kremlin can "
                "raise the cost of Minsk’s hesitation over integration. Tension on the border "
                "with Lithuania and Poland grew, and Vilnius kept its ban on potash transit. At "
                "home, the authorities expanded the “extremist” lists and brought new in-absentia "
                "cases against exiles."
            ),
            "be": (
                "Абмежаванні на экспарт беларускай малочнай прадукцыі паказалі, як хутка Крэмль "
                "можа павысіць кошт ваганняў Мінска ў пытаннях інтэграцыі. Напружанасць на мяжы з "
                "Літвой і Польшчай вырасла, а Вільня захавала забарону на транзіт калію. Унутры "
                "краіны ўлады пашырылі «экстрэмісцкія» спісы і ўзбудзілі новыя завочныя справы "
                "супраць эмігрантаў."
            ),
            "ru": (
                "Ограничения на экспорт белорусской молочной продукции показали, как быстро "
                "Кремль может повысить цену колебаний Минска в вопросах интеграции. Напряжённость "
                "на границе с Литвой и Польшей выросла, а Вильнюс сохранил запрет на транзит "
                "калия. Внутри страны власти расширили «экстремистские» списки и возбудили новые "
                "заочные дела против эмигрантов."
            ),
        },
        "articles": [
            {
                "slug": "tension-grows-on-western-border",
                "topic": "security",
                "trend": "worsened",
                "authors": "Ihar Ramaniuk, Yauhen Lapitski",
                "title": {
                    "en": "Tension grows on the western border",
                    "be": "Напружанасць на заходняй мяжы расце",
                    "ru": "Напряжённость на западной границе растёт",
                },
                "lead": {
                    "en": (
                        "Lithuania and Poland have strengthened their borders with Belarus in "
                        "response to the continued presence of Russian troops. Minsk has replied "
                        "with a snap combat readiness check in the Western Operational Command."
                    ),
                    "be": (
                        "Літва і Польшча ўзмацнілі ахову мяжы з Беларуссю ў адказ на працяглую "
                        "прысутнасць расійскіх войскаў. Мінск адказаў раптоўнай праверкай баявой "
                        "гатоўнасці ў Заходнім аператыўным камандаванні."
                    ),
                    "ru": (
                        "Литва и Польша усилили охрану границы с Беларусью в ответ на "
                        "сохраняющееся присутствие российских войск. Минск ответил внезапной "
                        "проверкой боеготовности в Западном оперативном командовании."
                    ),
                },
                "body": {
                    "en": (
                        "<p>Russian units have still not left Belarusian training grounds, and "
                        "the neighbours’ reaction was not long in coming. On Monday, Lithuania "
                        "raised the level of border protection and asked its allies to speed up "
                        "the deployment of additional forces to the NATO battlegroup stationed in "
                        "the country. Poland moved part of a mechanised brigade closer to the "
                        "border in the Podlaskie Voivodeship.</p>"
                        "<p>Minsk’s response was symmetrical in form. On Wednesday, a snap combat "
                        "readiness check was announced in the Western Operational Command, "
                        "involving about 3,000 servicemen and 400 pieces of equipment. The "
                        "Defence Ministry stressed that the check was “defensive in nature” and "
                        "“not directed against third countries”, but its timing leaves little "
                        "doubt about the intended audience.</p>"
                        "<p>The growing number of incidents in the air is also a matter of "
                        "concern. Over the past week, Lithuania reported three violations of its "
                        "airspace by small drones coming from the direction of Belarus. The State "
                        "Border Committee of Belarus denies any involvement and in turn accuses "
                        "the neighbours of <em>“provocations”</em>.</p>"
                        "<p>The mechanism of mutual escalation is well known: each side takes "
                        "steps it regards as defensive, while the other perceives them as a "
                        "threat. The main risk is not a deliberate conflict but an incident that "
                        "gets out of control. <strong>There are currently no functioning channels "
                        "of military-to-military communication between Minsk and its western "
                        "neighbours</strong>, and this is the most dangerous element of the "
                        "situation.</p>"
                    ),
                    "be": (
                        "<p>Расійскія падраздзяленні дагэтуль не пакінулі беларускія палігоны, і "
                        "рэакцыя суседзяў не прымусіла сябе чакаць. У панядзелак Літва павысіла "
                        "ўзровень аховы мяжы і папрасіла саюзнікаў паскорыць перакідку дадатковых "
                        "сіл у размешчаную ў краіне баявую групу НАТА. Польшча высунула частку "
                        "механізаванай брыгады бліжэй да мяжы ў Падляшскім ваяводстве.</p>"
                        "<p>Адказ Мінска па форме аказаўся сіметрычным. У сераду ў Заходнім "
                        "аператыўным камандаванні была абвешчаная раптоўная праверка баявой "
                        "гатоўнасці, да якой прыцягнулі каля 3000 вайскоўцаў і 400 адзінак "
                        "тэхнікі. У Міністэрстве абароны падкрэслілі, што праверка мае «абарончы "
                        "характар» і «не накіравана супраць трэціх краін», аднак яе тэрміны амаль "
                        "не пакідаюць сумневаў у тым, каму адрасаваны сігнал.</p>"
                        "<p>Занепакоенасць выклікае і рост колькасці інцыдэнтаў у паветры. За "
                        "мінулы тыдзень літоўскі бок паведаміў пра тры парушэнні сваёй паветранай "
                        "прасторы невялікімі беспілотнікамі, якія заляцелі з боку Беларусі. "
                        "Дзяржаўны памежны камітэт Беларусі адмаўляе сваю датычнасць і, у сваю "
                        "чаргу, абвінавачвае суседзяў у <em>«правакацыях»</em>.</p>"
                        "<p>Механізм узаемнай эскалацыі добра вядомы: кожны бок робіць крокі, "
                        "якія лічыць абарончымі, а іншы ўспрымае іх як пагрозу. Галоўная рызыка — "
                        "не наўмысны канфлікт, а інцыдэнт, які выйдзе з-пад кантролю. "
                        "<strong>Цяпер паміж Мінскам і яго заходнімі суседзямі няма дзейных "
                        "каналаў сувязі па лініі вайскоўцаў</strong>, і гэта самы небяспечны "
                        "элемент сітуацыі.</p>"
                    ),
                    "ru": (
                        "<p>Российские подразделения до сих пор не покинули белорусские полигоны, "
                        "и реакция соседей не заставила себя ждать. В понедельник Литва повысила "
                        "уровень охраны границы и попросила союзников ускорить переброску "
                        "дополнительных сил в размещённую в стране боевую группу НАТО. Польша "
                        "выдвинула часть механизированной бригады ближе к границе в Подляском "
                        "воеводстве.</p>"
                        "<p>Ответ Минска по форме оказался симметричным. В среду в Западном "
                        "оперативном командовании была объявлена внезапная проверка "
                        "боеготовности, к которой привлекли около 3000 военнослужащих и 400 "
                        "единиц техники. В Министерстве обороны подчеркнули, что проверка носит "
                        "«оборонительный характер» и «не направлена против третьих стран», однако "
                        "её сроки почти не оставляют сомнений в том, кому адресован сигнал.</p>"
                        "<p>Беспокойство вызывает и растущее число инцидентов в воздухе. За "
                        "прошедшую неделю литовская сторона сообщила о трёх нарушениях своего "
                        "воздушного пространства небольшими беспилотниками, залетевшими со "
                        "стороны Беларуси. Государственный пограничный комитет Беларуси отрицает "
                        "свою причастность и, в свою очередь, обвиняет соседей в "
                        "<em>«провокациях»</em>.</p>"
                        "<p>Механизм взаимной эскалации хорошо известен: каждая сторона "
                        "предпринимает шаги, которые считает оборонительными, а другая "
                        "воспринимает их как угрозу. Главный риск — не преднамеренный конфликт, а "
                        "инцидент, вышедший из-под контроля. <strong>Сейчас между Минском и его "
                        "западными соседями нет действующих каналов связи по линии "
                        "военных</strong>, и это самый опасный элемент ситуации.</p>"
                    ),
                },
            },
            {
                "slug": "dairy-restrictions-as-pressure-tool",
                "topic": "belarus-russia",
                "trend": "worsened",
                "authors": "Alesia Hrytsevich",
                "title": {
                    "en": "Dairy restrictions as a tool of pressure",
                    "be": "Малочныя абмежаванні як інструмент ціску",
                    "ru": "Молочные ограничения как инструмент давления",
                },
                "lead": {
                    "en": (
                        "Rosselkhoznadzor has restricted supplies from six Belarusian dairy "
                        "plants. The timing suggests a direct link to the stalled gas "
                        "negotiations."
                    ),
                    "be": (
                        "Расельгаснагляд абмежаваў пастаўкі прадукцыі шасці беларускіх малочных "
                        "прадпрыемстваў. Тэрміны прыняцця рашэння ўказваюць на яго непасрэдную "
                        "сувязь з газавымі перамовамі, якія забуксавалі."
                    ),
                    "ru": (
                        "Россельхознадзор ограничил поставки продукции шести белорусских молочных "
                        "предприятий. Сроки принятия решения указывают на его прямую связь с "
                        "буксующими газовыми переговорами."
                    ),
                },
                "body": {
                    "en": (
                        "<p>On Tuesday, Russia’s Federal Service for Veterinary and Phytosanitary "
                        "Surveillance (Rosselkhoznadzor) introduced “enhanced laboratory control” "
                        "over products from six Belarusian dairy enterprises, including two large "
                        "plants in the Minsk and Grodno regions. In practice, every consignment "
                        "is held at the border for up to two weeks, which for fresh dairy "
                        "products amounts to a ban.</p>"
                        "<p>Formally, the restrictions are justified by the detection of "
                        "antibiotic residues and violations of labelling requirements. The "
                        "Belarusian Ministry of Agriculture and Food called the claims unfounded "
                        "and proposed joint inspections. However, the experience of previous "
                        "“dairy wars” shows that technical arguments play a secondary role.</p>"
                        "<blockquote>Russia accounts for more than 80% of Belarusian dairy "
                        "exports, and there is no quick alternative to this market.</blockquote>"
                        "<p>The coincidence with the deadlock in the gas talks is hard to "
                        "overlook. The restrictions hit the agricultural sector, one of the most "
                        "sensitive for the Belarusian leadership because it sustains rural "
                        "employment and regional budgets. The industry’s losses could reach tens "
                        "of millions of dollars a month.</p>"
                        "<p>Minsk’s options are limited. Attempts to redirect exports to China "
                        "and the Gulf states have so far produced only modest volumes. The most "
                        "likely scenario is a gradual lifting of the restrictions as progress is "
                        "made on the Union State roadmaps – which is exactly what Moscow is "
                        "seeking.</p>"
                    ),
                    "be": (
                        "<p>У аўторак Федэральная служба па ветэрынарным і фітасанітарным "
                        "наглядзе Расіі (Расельгаснагляд) увяла «ўзмоцнены лабараторны кантроль» "
                        "у дачыненні да прадукцыі шасці беларускіх малочных прадпрыемстваў, у тым "
                        "ліку двух буйных камбінатаў у Мінскай і Гродзенскай абласцях. На "
                        "практыцы кожная партыя затрымліваецца на мяжы на тэрмін да двух тыдняў, "
                        "што для свежай малочнай прадукцыі раўназначна забароне.</p>"
                        "<p>Фармальна абмежаванні абгрунтоўваюцца выяўленнем рэшткаў антыбіётыкаў "
                        "і парушэннямі патрабаванняў да маркіроўкі. Міністэрства сельскай "
                        "гаспадаркі і харчавання Беларусі назвала прэтэнзіі беспадстаўнымі і "
                        "прапанавала правесці сумесныя праверкі. Аднак досвед папярэдніх "
                        "«малочных войнаў» паказвае, што тэхнічныя аргументы адыгрываюць "
                        "другарадную ролю.</p>"
                        "<blockquote>На Расію прыпадае больш за 80% беларускага экспарту малочнай "
                        "прадукцыі, і хуткай альтэрнатывы гэтаму рынку няма.</blockquote>"
                        "<p>Супадзенне з тупіком у газавых перамовах цяжка не заўважыць. "
                        "Абмежаванні б’юць па аграрным сектары — адным з самых адчувальных для "
                        "беларускага кіраўніцтва, бо ён забяспечвае занятасць на вёсцы і "
                        "напаўненне рэгіянальных бюджэтаў. Страты галіны могуць скласці дзясяткі "
                        "мільёнаў долараў у месяц.</p>"
                        "<p>Магчымасці Мінска абмежаваныя. Спробы пераарыентаваць экспарт на "
                        "Кітай і краіны Персідскага заліва пакуль далі толькі сціплыя аб’ёмы. "
                        "Найбольш верагодны сцэнар — паступовае зняцце абмежаванняў па меры "
                        "прасоўвання саюзных дарожных карт, чаго, уласна, і дамагаецца Масква.</p>"
                    ),
                    "ru": (
                        "<p>Во вторник Федеральная служба по ветеринарному и фитосанитарному "
                        "надзору России (Россельхознадзор) ввела «усиленный лабораторный "
                        "контроль» в отношении продукции шести белорусских молочных предприятий, "
                        "в том числе двух крупных комбинатов в Минской и Гродненской областях. На "
                        "практике каждая партия задерживается на границе на срок до двух недель, "
                        "что для свежей молочной продукции равнозначно запрету.</p>"
                        "<p>Формально ограничения обосновываются обнаружением остатков "
                        "антибиотиков и нарушениями требований к маркировке. Министерство "
                        "сельского хозяйства и продовольствия Беларуси назвало претензии "
                        "необоснованными и предложило провести совместные проверки. Однако опыт "
                        "предыдущих «молочных войн» показывает, что технические аргументы играют "
                        "второстепенную роль.</p>"
                        "<blockquote>На Россию приходится более 80% белорусского экспорта "
                        "молочной продукции, и быстрой альтернативы этому рынку нет.</blockquote>"
                        "<p>Совпадение с тупиком в газовых переговорах трудно не заметить. "
                        "Ограничения бьют по аграрному сектору — одному из самых чувствительных "
                        "для белорусского руководства, поскольку он обеспечивает занятость на "
                        "селе и наполнение региональных бюджетов. Потери отрасли могут составить "
                        "десятки миллионов долларов в месяц.</p>"
                        "<p>Возможности Минска ограничены. Попытки переориентировать экспорт на "
                        "Китай и страны Персидского залива пока дали лишь скромные объёмы. "
                        "Наиболее вероятный сценарий — постепенное снятие ограничений по мере "
                        "продвижения союзных дорожных карт, чего, собственно, и добивается "
                        "Москва.</p>"
                    ),
                },
            },
            {
                "slug": "extremist-lists-expand-in-absentia-trials",
                "topic": "society-parties",
                "trend": "worsened",
                "authors": "Maryna Savitskaya",
                "title": {
                    "en": "“Extremist” lists expand as in-absentia trials multiply",
                    "be": "«Экстрэмісцкія» спісы растуць, завочных працэсаў становіцца больш",
                    "ru": "«Экстремистские» списки растут, заочных процессов становится больше",
                },
                "lead": {
                    "en": (
                        "The authorities have added dozens of new items to the list of “extremist "
                        "materials” and sent several in-absentia criminal cases against "
                        "Belarusians abroad to court. Pressure on the diaspora is becoming "
                        "systematic."
                    ),
                    "be": (
                        "Улады ўнеслі дзясяткі новых пазіцый у спіс «экстрэмісцкіх матэрыялаў» і "
                        "накіравалі ў суд некалькі завочных крымінальных спраў супраць беларусаў, "
                        "якія жывуць за мяжой. Ціск на дыяспару набывае сістэмны характар."
                    ),
                    "ru": (
                        "Власти внесли десятки новых позиций в список «экстремистских материалов» "
                        "и направили в суд несколько заочных уголовных дел против белорусов, "
                        "живущих за рубежом. Давление на диаспору приобретает системный характер."
                    ),
                },
                "body": {
                    "en": (
                        "<p>Over the past week, the Ministry of Information added 46 items to the "
                        "national list of extremist materials, including several regional "
                        "Telegram channels, two YouTube channels run by diaspora bloggers and a "
                        "children’s book by an author living abroad. The Interior Ministry also "
                        "designated three more initiatives as “extremist formations”, making "
                        "participation in them or financial support for them punishable by up to "
                        "six years in prison.</p>"
                        "<p>At the same time, the Investigative Committee announced that four "
                        "criminal cases had been sent to court to be heard under the <em>special "
                        "proceedings</em> procedure, that is, in the absence of the accused. The "
                        "defendants include activists of diaspora organisations in Warsaw and "
                        "Vilnius. A conviction in absentia allows the state to confiscate "
                        "property in Belarus and puts additional pressure on relatives who remain "
                        "in the country.</p>"
                        "<p>The purpose of these measures is not so much to punish émigrés as to "
                        "cut the ties between them and society at home. Subscribing to an "
                        "“extremist” channel or making a donation has become a legal risk, and "
                        "according to human rights defenders, detentions for online comments and "
                        "reposts continue at a rate of several dozen a week.</p>"
                        "<p>Notably, the crackdown coincides with renewed contacts with "
                        "Washington. This is a familiar tactic: the authorities replenish their "
                        "“exchange fund” while demonstrating that any concessions will be made on "
                        "their own terms. There are no signs of a general softening of domestic "
                        "policy.</p>"
                    ),
                    "be": (
                        "<p>За мінулы тыдзень Міністэрства інфармацыі ўнесла ў рэспубліканскі "
                        "спіс экстрэмісцкіх матэрыялаў 46 пазіцый, у тым ліку некалькі "
                        "рэгіянальных Telegram-каналаў, два YouTube-каналы блогераў з дыяспары і "
                        "дзіцячую кнігу аўтара, які жыве за мяжой. МУС таксама прызнала "
                        "«экстрэмісцкімі фарміраваннямі» яшчэ тры ініцыятывы, за ўдзел у якіх або "
                        "іх фінансавую падтрымку пагражае да шасці гадоў пазбаўлення волі.</p>"
                        "<p>Адначасова Следчы камітэт паведаміў пра накіраванне ў суд чатырох "
                        "крымінальных спраў для разгляду ў парадку <em>спецыяльнай "
                        "вытворчасці</em>, гэта значыць у адсутнасць абвінавачаных. Сярод "
                        "фігурантаў — актывісты дыяспарных арганізацый у Варшаве і Вільні. "
                        "Завочны прысуд дазваляе дзяржаве канфіскаваць маёмасць у Беларусі і "
                        "стварае дадатковы ціск на сваякоў, якія засталіся ў краіне.</p>"
                        "<p>Мэта гэтых мер — не столькі пакараць эмігрантаў, колькі разарваць іх "
                        "сувязі з грамадствам унутры краіны. Падпіска на «экстрэмісцкі» канал або "
                        "ахвяраванне сталі юрыдычнай рызыкай, а затрыманні за каментары і рэпосты "
                        "ў сеціве, паводле звестак праваабаронцаў, працягваюцца ў тэмпе некалькіх "
                        "дзясяткаў на тыдзень.</p>"
                        "<p>Характэрна, што ўзмацненне рэпрэсій супадае з аднаўленнем кантактаў з "
                        "Вашынгтонам. Гэта знаёмая тактыка: улады папаўняюць «абменны фонд» і "
                        "адначасова дэманструюць, што любыя саступкі будуць зробленыя на іх "
                        "уласных умовах. Прыкмет агульнага змякчэння ўнутранай палітыкі няма.</p>"
                    ),
                    "ru": (
                        "<p>За прошедшую неделю Министерство информации внесло в республиканский "
                        "список экстремистских материалов 46 позиций, в том числе несколько "
                        "региональных Telegram-каналов, два YouTube-канала блогеров из диаспоры и "
                        "детскую книгу автора, проживающего за границей. МВД также признало "
                        "«экстремистскими формированиями» ещё три инициативы, за участие в "
                        "которых или их финансовую поддержку грозит до шести лет лишения "
                        "свободы.</p>"
                        "<p>Одновременно Следственный комитет сообщил о направлении в суд четырёх "
                        "уголовных дел для рассмотрения в порядке <em>специального "
                        "производства</em>, то есть в отсутствие обвиняемых. Среди фигурантов — "
                        "активисты диаспорных организаций в Варшаве и Вильнюсе. Заочный приговор "
                        "позволяет государству конфисковать имущество в Беларуси и создаёт "
                        "дополнительное давление на родственников, оставшихся в стране.</p>"
                        "<p>Цель этих мер — не столько наказать эмигрантов, сколько разорвать их "
                        "связи с обществом внутри страны. Подписка на «экстремистский» канал или "
                        "пожертвование стали юридическим риском, а задержания за комментарии и "
                        "репосты в сети, по данным правозащитников, продолжаются в темпе "
                        "нескольких десятков в неделю.</p>"
                        "<p>Примечательно, что ужесточение совпадает с возобновлением контактов с "
                        "Вашингтоном. Это знакомая тактика: власти пополняют «обменный фонд» и "
                        "одновременно демонстрируют, что любые уступки будут сделаны на их "
                        "собственных условиях. Признаков общего смягчения внутренней политики "
                        "нет.</p>"
                    ),
                },
            },
            {
                # No Belarusian translation yet (demo of a missing language).
                "slug": "vilnius-extends-potash-transit-ban",
                "topic": "belarus-west",
                "trend": "unchanged",
                "authors": "Uladzimir Kharytonau, Alesia Hrytsevich",
                "title": {
                    "en": "Vilnius extends its ban on potash transit",
                    "ru": "Вильнюс сохранил запрет на транзит калия",
                },
                "lead": {
                    "en": (
                        "The Lithuanian government has confirmed that Belarusian potash will not "
                        "return to the port of Klaipeda. The EU has extended its sectoral "
                        "sanctions for another six months, but the dialogue with Washington "
                        "continues."
                    ),
                    "ru": (
                        "Правительство Литвы подтвердило, что белорусский калий не вернётся в "
                        "порт Клайпеды. ЕС продлил секторальные санкции ещё на полгода, однако "
                        "диалог с Вашингтоном продолжается."
                    ),
                },
                "body": {
                    "en": (
                        "<p>On Wednesday, the Lithuanian government rejected a proposal by "
                        "Klaipeda port operators to consider resuming the transit of Belarusian "
                        "potash fertilisers under a “humanitarian” scheme, with supplies "
                        "earmarked for countries facing food security problems. Vilnius’s "
                        "position is unchanged: transit is impossible while the sanctions regime "
                        "remains in force and political prisoners remain behind bars in "
                        "Belarus.</p>"
                        "<p>For Belaruskali, this means continued dependence on Russian ports in "
                        "the Leningrad region. The additional logistics costs are estimated at "
                        "$30–40 per tonne, and transhipment capacity there is limited, so the "
                        "company has to share terminals with Russian producers on unfavourable "
                        "terms.</p>"
                        "<p>At the same time, the EU Council extended the sectoral economic "
                        "sanctions against Belarus for another six months without changes. The "
                        "decision was taken without the debates that accompanied previous "
                        "extensions. Brussels’ position is clear: any revision requires the "
                        "release of <strong>all</strong> political prisoners, not a selective "
                        "one.</p>"
                        "<p>A gap is thus emerging between the American and European approaches. "
                        "Washington is ready for step-by-step bargaining, while the EU – and "
                        "especially the neighbouring states – insists on a comprehensive "
                        "solution. Minsk will try to exploit this gap, but without Lithuania and "
                        "Poland no easing of the transit regime is possible, so the main economic "
                        "losses will persist.</p>"
                    ),
                    "ru": (
                        "<p>В среду правительство Литвы отклонило предложение операторов "
                        "Клайпедского порта рассмотреть возобновление транзита белорусских "
                        "калийных удобрений по «гуманитарной» схеме — с поставками в страны, "
                        "испытывающие проблемы с продовольственной безопасностью. Позиция "
                        "Вильнюса не изменилась: транзит невозможен, пока действует санкционный "
                        "режим и в Беларуси остаются политзаключённые.</p>"
                        "<p>Для «Беларуськалия» это означает сохранение зависимости от российских "
                        "портов в Ленинградской области. Дополнительные логистические издержки "
                        "оцениваются в 30–40 долларов на тонну, а мощности для перевалки там "
                        "ограничены, поэтому компании приходится делить терминалы с российскими "
                        "производителями на невыгодных условиях.</p>"
                        "<p>Тем временем Совет ЕС без изменений продлил секторальные "
                        "экономические санкции против Беларуси ещё на шесть месяцев. Решение было "
                        "принято без дискуссий, сопровождавших предыдущие продления. Позиция "
                        "Брюсселя ясна: любой пересмотр требует освобождения "
                        "<strong>всех</strong> политзаключённых, а не выборочного.</p>"
                        "<p>Таким образом, между американским и европейским подходами формируется "
                        "разрыв. Вашингтон готов к поэтапному торгу, тогда как ЕС — и особенно "
                        "соседние государства — настаивает на комплексном решении. Минск "
                        "попытается воспользоваться этим разрывом, однако без Литвы и Польши "
                        "никакое смягчение транзитного режима невозможно, поэтому основные "
                        "экономические потери сохранятся.</p>"
                    ),
                },
            },
        ],
    },
    {
        "number": 149,
        "week_offset": 1,
        "title": {
            "en": "A pause without a thaw",
            "be": "Паўза без адлігі",
            "ru": "Пауза без оттепели",
        },
        "summary": {
            "en": (
                "The pardon of a group of political prisoners and a technocratic appointment in "
                "the government’s economic bloc suggest that Minsk is looking for room to "
                "manoeuvre. A temporary gas formula postponed rather than resolved the dispute "
                "with Moscow. At the CSTO summit Belarus declared loyalty to its allies but "
                "avoided new commitments."
            ),
            "be": (
                "Памілаванне групы палітвязняў і прызначэнне тэхнакрата ў эканамічны блок урада "
                "сведчаць пра тое, што Мінск шукае прастору для манеўру. Часовая газавая формула "
                "не развязала спрэчку з Масквой, а толькі адклала яе. На саміце АДКБ Беларусь "
                "заявіла пра вернасць саюзнікам, але ўхілілася ад новых абавязацельстваў."
            ),
            "ru": (
                "Помилование группы политзаключённых и назначение технократа в экономический блок "
                "правительства говорят о том, что Минск ищет пространство для манёвра. Временная "
                "газовая формула не разрешила спор с Москвой, а лишь отложила его. На саммите "
                "ОДКБ Беларусь заявила о верности союзникам, но уклонилась от новых обязательств."
            ),
        },
        "articles": [
            {
                # No Belarusian translation yet (demo of a missing language).
                "slug": "csto-summit-minsk-avoids-new-commitments",
                "topic": "security",
                "trend": "unchanged",
                "authors": "Yauhen Lapitski",
                "title": {
                    "en": "CSTO summit: Minsk avoids new commitments",
                    "ru": "Саммит ОДКБ: Минск уклонился от новых обязательств",
                },
                "lead": {
                    "en": (
                        "At the session of the CSTO Collective Security Council, Belarus endorsed "
                        "all the joint declarations but did not join the initiative to create a "
                        "unified air-defence command. Meanwhile, Russian units have finally begun "
                        "to leave Belarusian training grounds."
                    ),
                    "ru": (
                        "На сессии Совета коллективной безопасности ОДКБ Беларусь поддержала все "
                        "общие декларации, но не присоединилась к инициативе о создании единого "
                        "командования ПВО. Тем временем российские подразделения наконец начали "
                        "покидать белорусские полигоны."
                    ),
                },
                "body": {
                    "en": (
                        "<p>This week’s session of the CSTO Collective Security Council was "
                        "predictably formal. The heads of state adopted a declaration on the "
                        "situation in the Organisation’s area of responsibility and approved the "
                        "plan of joint exercises for next year. Against this background, "
                        "Belarus’s position on one of the key issues attracted attention.</p>"
                        "<p>Russia proposed creating a unified command of the air-defence forces "
                        "of the CSTO member states on the basis of its own Aerospace Forces. "
                        "Belarus, which already shares a regional air-defence system with Russia "
                        "within the Union State, declined to join the new structure, citing the "
                        "<em>“sufficiency of existing bilateral mechanisms”</em>. Kazakhstan took "
                        "a similar position.</p>"
                        "<p>At the same time, on Monday the Russian units began their rail "
                        "redeployment from the Obuz-Lesnovsky and Gozhsky training grounds. "
                        "According to the Defence Ministry, it is to be completed by the end of "
                        "the month. If so, one of the main irritants in relations with the "
                        "neighbours will be removed, although lost trust will not return "
                        "quickly.</p>"
                        "<p>On the whole, the security situation has stabilised, albeit at a "
                        "tense level:</p>"
                        "<ul>"
                        "<li>Minsk has again declared loyalty to its allied commitments while "
                        "avoiding steps that would further limit its sovereignty;</li>"
                        "<li>Lithuania and Poland have not yet announced any reduction of their "
                        "additional measures;</li>"
                        "<li>channels of military communication with the western neighbours "
                        "remain frozen.</li>"
                        "</ul>"
                        "<p>Further developments will depend on whether the withdrawal of Russian "
                        "troops is completed on schedule and how the neighbours respond to it.</p>"
                    ),
                    "ru": (
                        "<p>Прошедшая на этой неделе сессия Совета коллективной безопасности ОДКБ "
                        "была предсказуемо формальной. Главы государств приняли декларацию о "
                        "ситуации в зоне ответственности Организации и утвердили план совместных "
                        "учений на следующий год. На этом фоне внимание привлекла позиция "
                        "Беларуси по одному из ключевых вопросов.</p>"
                        "<p>Россия предложила создать единое командование сил ПВО государств — "
                        "членов ОДКБ на базе собственных Воздушно-космических сил. Беларусь, у "
                        "которой уже есть единая региональная система ПВО с Россией в рамках "
                        "Союзного государства, отказалась присоединяться к новой структуре, "
                        "сославшись на <em>«достаточность существующих двусторонних "
                        "механизмов»</em>. Аналогичную позицию занял Казахстан.</p>"
                        "<p>Одновременно в понедельник российские подразделения начали "
                        "железнодорожную передислокацию с полигонов Обуз-Лесновский и Гожский. По "
                        "данным Министерства обороны, она должна завершиться до конца месяца. "
                        "Если это произойдёт, один из главных раздражителей в отношениях с "
                        "соседями будет устранён, хотя утраченное доверие быстро не вернётся.</p>"
                        "<p>В целом ситуация в сфере безопасности стабилизировалась, хотя и на "
                        "напряжённом уровне:</p>"
                        "<ul>"
                        "<li>Минск вновь заявил о верности союзническим обязательствам, избегая "
                        "шагов, которые ещё больше ограничили бы его суверенитет;</li>"
                        "<li>Литва и Польша пока не объявили о сокращении своих дополнительных "
                        "мер;</li>"
                        "<li>каналы военной коммуникации с западными соседями остаются "
                        "замороженными.</li>"
                        "</ul>"
                        "<p>Дальнейшее развитие событий будет зависеть от того, завершится ли "
                        "вывод российских войск в срок и как на это отреагируют соседи.</p>"
                    ),
                },
            },
            {
                "slug": "temporary-gas-formula-postpones-dispute",
                "topic": "belarus-russia",
                "trend": "unchanged",
                "authors": "Alesia Hrytsevich",
                "title": {
                    "en": "A temporary gas formula postpones the dispute",
                    "be": "Часовая газавая формула адкладае спрэчку",
                    "ru": "Временная газовая формула откладывает спор",
                },
                "lead": {
                    "en": (
                        "Minsk and Moscow have agreed to keep the current gas price for the first "
                        "half of next year. The dispute over the conditions of integration has "
                        "not been resolved, only postponed."
                    ),
                    "be": (
                        "Мінск і Масква дамовіліся захаваць дзейную цану на газ на першае "
                        "паўгоддзе наступнага года. Спрэчка пра ўмовы інтэграцыі не развязаная, а "
                        "толькі адкладзеная."
                    ),
                    "ru": (
                        "Минск и Москва договорились сохранить действующую цену на газ на первое "
                        "полугодие следующего года. Спор об условиях интеграции не разрешён, а "
                        "лишь отложен."
                    ),
                },
                "body": {
                    "en": (
                        "<p>Following talks between the two prime ministers in Moscow, the "
                        "parties signed a protocol under which the gas price for Belarus will "
                        "remain at the current level until the middle of next year. After that it "
                        "will be set “taking into account the implementation of the Union "
                        "programmes”. The formula from the original Russian proposal has thus "
                        "survived; only its application has been deferred.</p>"
                        "<p>In exchange, Minsk made several commitments:</p>"
                        "<ul>"
                        "<li>to approve a roadmap for harmonising indirect taxes by the "
                        "spring;</li>"
                        "<li>to give Russian companies access to public procurement on an equal "
                        "footing with Belarusian ones;</li>"
                        "<li>to start consultations on a single regulator for the gas market.</li>"
                        "</ul>"
                        "<p>Almost simultaneously, Rosselkhoznadzor announced that restrictions "
                        "on three of the six Belarusian dairy plants would be lifted. The link "
                        "between the two dossiers, which the Russian side had officially denied, "
                        "has thus been confirmed in practice.</p>"
                        "<p>This is the classic Belarusian tactic of trading time for promises. "
                        "The commitments are worded as “starting consultations” and “approving "
                        "plans”, which leaves room for delay. In the long term the trend remains "
                        "negative, since each round of bargaining ends with Minsk ceding part of "
                        "its economic sovereignty. This week, however, <strong>no new "
                        "deterioration</strong> was recorded: relations have returned to where "
                        "they stood before the escalation.</p>"
                    ),
                    "be": (
                        "<p>Па выніках перамоў прэм’ер-міністраў дзвюх краін у Маскве бакі "
                        "падпісалі пратакол, паводле якога цана газу для Беларусі захаваецца на "
                        "цяперашнім узроўні да сярэдзіны наступнага года. Пасля гэтага яна будзе "
                        "ўстанаўлівацца «з улікам выканання саюзных праграм». Такім чынам, "
                        "формула з першапачатковай расійскай прапановы захавалася, адкладзенае "
                        "толькі яе прымяненне.</p>"
                        "<p>У абмен Мінск узяў на сябе шэраг абавязацельстваў:</p>"
                        "<ul>"
                        "<li>зацвердзіць да вясны дарожную карту па гарманізацыі ўскосных "
                        "падаткаў;</li>"
                        "<li>даць расійскім кампаніям доступ да дзяржаўных закупак нароўні з "
                        "беларускімі;</li>"
                        "<li>пачаць кансультацыі пра адзіны рэгулятар газавага рынку.</li>"
                        "</ul>"
                        "<p>Амаль адначасова Расельгаснагляд абвясціў пра зняцце абмежаванняў з "
                        "трох з шасці беларускіх малочных прадпрыемстваў. Тым самым сувязь паміж "
                        "двума дасье, якую расійскі бок афіцыйна адмаўляў, на практыцы "
                        "пацвердзілася.</p>"
                        "<p>Гэта класічная беларуская тактыка — абмен часу на абяцанні. "
                        "Абавязацельствы сфармуляваныя як «пачатак кансультацый» і «зацвярджэнне "
                        "планаў», што пакідае прастору для зацягвання. У доўгатэрміновай "
                        "перспектыве тэндэнцыя застаецца негатыўнай, бо па выніках кожнага раўнда "
                        "гандлю Мінск саступае частку эканамічнага суверэнітэту. Аднак на гэтым "
                        "тыдні <strong>новага пагаршэння</strong> не зафіксавана: адносіны "
                        "вярнуліся ў стан, які папярэднічаў эскалацыі.</p>"
                    ),
                    "ru": (
                        "<p>По итогам переговоров премьер-министров двух стран в Москве стороны "
                        "подписали протокол, согласно которому цена газа для Беларуси сохранится "
                        "на нынешнем уровне до середины следующего года. После этого она будет "
                        "устанавливаться «с учётом выполнения союзных программ». Таким образом, "
                        "формула из первоначального российского предложения сохранилась, отложено "
                        "лишь её применение.</p>"
                        "<p>В обмен Минск взял на себя ряд обязательств:</p>"
                        "<ul>"
                        "<li>утвердить к весне дорожную карту по гармонизации косвенных "
                        "налогов;</li>"
                        "<li>предоставить российским компаниям доступ к государственным закупкам "
                        "наравне с белорусскими;</li>"
                        "<li>начать консультации о едином регуляторе газового рынка.</li>"
                        "</ul>"
                        "<p>Практически одновременно Россельхознадзор объявил о снятии "
                        "ограничений с трёх из шести белорусских молочных предприятий. Тем самым "
                        "связь между двумя досье, которую российская сторона официально отрицала, "
                        "на практике подтвердилась.</p>"
                        "<p>Это классическая белорусская тактика — обмен времени на обещания. "
                        "Обязательства сформулированы как «начало консультаций» и «утверждение "
                        "планов», что оставляет пространство для затягивания. В долгосрочной "
                        "перспективе тенденция остаётся негативной, поскольку по итогам каждого "
                        "раунда торга Минск уступает часть экономического суверенитета. Однако на "
                        "этой неделе <strong>нового ухудшения</strong> не зафиксировано: "
                        "отношения вернулись в состояние, предшествовавшее эскалации.</p>"
                    ),
                },
            },
            {
                "slug": "technocrat-takes-over-economic-bloc",
                "topic": "ruling-elite",
                "trend": "improved",
                "authors": "Hanna Zhaleznik",
                "title": {
                    "en": "A technocrat takes over the economic bloc",
                    "be": "Эканамічны блок узначаліў тэхнакрат",
                    "ru": "Экономический блок возглавил технократ",
                },
                "lead": {
                    "en": (
                        "A new deputy prime minister for the economy has been appointed – a "
                        "former head of a large state-owned bank with a reputation as a "
                        "pragmatist. The appointment signals a shift of emphasis from control to "
                        "economic results."
                    ),
                    "be": (
                        "Прызначаны новы віцэ-прэм’ер, які курыруе эканоміку, — былы кіраўнік "
                        "буйнога дзяржаўнага банка з рэпутацыяй прагматыка. Гэтае прызначэнне "
                        "сведчыць пра зрух акцэнту з кантролю на эканамічны вынік."
                    ),
                    "ru": (
                        "Назначен новый вице-премьер, курирующий экономику, — бывший руководитель "
                        "крупного государственного банка с репутацией прагматика. Это назначение "
                        "сигнализирует о смещении акцента с контроля на экономический результат."
                    ),
                },
                "body": {
                    "en": (
                        "<p>On Friday, the head of state appointed a new Deputy Prime Minister "
                        "responsible for the economy, finance and the banking sector. The post, "
                        "vacant for almost two months, went to the chairman of the board of one "
                        "of the largest state-owned banks, a 48-year-old economist who began his "
                        "career at the National Bank.</p>"
                        "<p>The choice stands out against the background of recent personnel "
                        "decisions, which were dominated by people from the security bloc. The "
                        "new deputy prime minister is known in expert circles as a supporter of "
                        "cutting the number of state programmes, tightening budget discipline and "
                        "gradually liberalising prices. At the appointment, the head of state "
                        "demanded that he <em>“ensure growth without adventures”</em>, which "
                        "suggests a certain degree of latitude.</p>"
                        "<p>The appointment is probably linked to external circumstances. The gas "
                        "dispute with Moscow and the resumption of contacts with Washington "
                        "require people who can negotiate with creditors and international "
                        "partners in a language they understand. A technocrat in the economic "
                        "bloc is also a signal to the few foreign investors who remain.</p>"
                        "<p>The importance of a single appointment should not be overestimated. "
                        "Key economic decisions are still taken in the Presidential "
                        "Administration, and previous reform-minded officials in the government "
                        "were quickly replaced once their proposals touched the interests of "
                        "large state enterprises. Nevertheless, for the first time in a long "
                        "while, personnel policy has shown a tilt towards professionalism rather "
                        "than loyalty.</p>"
                    ),
                    "be": (
                        "<p>У пятніцу кіраўнік дзяржавы прызначыў новага віцэ-прэм’ера, адказнага "
                        "за эканоміку, фінансы і банкаўскі сектар. Пасада, вакантная амаль два "
                        "месяцы, дасталася старшыні праўлення аднаго з найбуйнейшых дзяржаўных "
                        "банкаў — 48-гадоваму эканамісту, які пачынаў кар’еру ў Нацыянальным "
                        "банку.</p>"
                        "<p>Гэты выбар вылучаецца на фоне апошніх кадравых рашэнняў, у якіх "
                        "дамінавалі выхадцы з сілавога блока. Новы віцэ-прэм’ер вядомы ў "
                        "экспертным асяроддзі як прыхільнік скарачэння колькасці дзяржаўных "
                        "праграм, умацавання бюджэтнай дысцыпліны і паступовай лібералізацыі цэн. "
                        "Пры прызначэнні кіраўнік дзяржавы запатрабаваў ад яго <em>«забяспечыць "
                        "рост без авантур»</em>, што сведчыць пра пэўную свабоду дзеянняў.</p>"
                        "<p>Прызначэнне, верагодна, звязанае са знешнімі абставінамі. Газавая "
                        "спрэчка з Масквой і аднаўленне кантактаў з Вашынгтонам патрабуюць "
                        "людзей, здольных весці перамовы з крэдыторамі і міжнароднымі партнёрамі "
                        "на зразумелай ім мове. Тэхнакрат у эканамічным блоку — гэта таксама "
                        "сігнал нешматлікім замежным інвестарам, якія яшчэ засталіся.</p>"
                        "<p>Значэнне аднаго прызначэння не варта пераацэньваць. Ключавыя "
                        "эканамічныя рашэнні па-ранейшаму прымаюцца ў Адміністрацыі прэзідэнта, а "
                        "ранейшых рэфарматараў ва ўрадзе хутка замянялі, як толькі іх прапановы "
                        "закраналі інтарэсы буйных дзяржаўных прадпрыемстваў. Тым не менш "
                        "упершыню за доўгі час кадравая палітыка прадэманстравала крэн у бок "
                        "прафесіяналізму, а не лаяльнасці.</p>"
                    ),
                    "ru": (
                        "<p>В пятницу глава государства назначил нового вице-премьера, "
                        "отвечающего за экономику, финансы и банковский сектор. Должность, "
                        "вакантная почти два месяца, досталась председателю правления одного из "
                        "крупнейших государственных банков — 48-летнему экономисту, начинавшему "
                        "карьеру в Национальном банке.</p>"
                        "<p>Этот выбор выделяется на фоне последних кадровых решений, в которых "
                        "доминировали выходцы из силового блока. Новый вице-премьер известен в "
                        "экспертной среде как сторонник сокращения числа государственных "
                        "программ, ужесточения бюджетной дисциплины и постепенной либерализации "
                        "цен. При назначении глава государства потребовал от него <em>«обеспечить "
                        "рост без авантюр»</em>, что указывает на определённую свободу "
                        "действий.</p>"
                        "<p>Назначение, вероятно, связано с внешними обстоятельствами. Газовый "
                        "спор с Москвой и возобновление контактов с Вашингтоном требуют людей, "
                        "способных вести переговоры с кредиторами и международными партнёрами на "
                        "понятном им языке. Технократ в экономическом блоке — это также сигнал "
                        "немногочисленным оставшимся иностранным инвесторам.</p>"
                        "<p>Значение одного назначения не стоит переоценивать. Ключевые "
                        "экономические решения по-прежнему принимаются в Администрации "
                        "президента, а прежних реформаторов в правительстве быстро заменяли, как "
                        "только их предложения затрагивали интересы крупных государственных "
                        "предприятий. Тем не менее впервые за долгое время кадровая политика "
                        "продемонстрировала крен в сторону профессионализма, а не лояльности.</p>"
                    ),
                },
            },
            {
                # English only: not yet translated (demo of missing languages).
                "slug": "pardon-of-political-prisoners",
                "topic": "society-parties",
                "trend": "improved",
                "authors": "Maryna Savitskaya",
                "title": {
                    "en": "Pardon of political prisoners: a gesture without a change of course",
                },
                "lead": {
                    "en": (
                        "The head of state has pardoned 18 people convicted in politically "
                        "motivated cases, including three foreign citizens. Human rights "
                        "defenders welcome the releases but point out that new arrests continue."
                    ),
                },
                "body": {
                    "en": (
                        "<p>On Wednesday, the presidential press service announced the pardon of "
                        "18 convicts, among them people serving sentences under articles on "
                        "“extremism” and “mass riots”. The list includes several elderly and "
                        "seriously ill prisoners, as well as three foreign citizens, who were "
                        "immediately taken to the Lithuanian border and handed over to consular "
                        "officials.</p>"
                        "<p>This is the largest single pardon in several months, and it followed "
                        "the consultations with the US delegation very closely. Washington "
                        "welcomed the decision as “a step in the right direction”; the reaction "
                        "in Brussels was more restrained, with a reminder that more than a "
                        "thousand people remain behind bars for political reasons.</p>"
                        "<blockquote>Those released had to submit petitions for pardon, and some "
                        "were required to sign an undertaking to refrain from political "
                        "activity.</blockquote>"
                        "<p>The conditions of the release reflect its nature. It is not a change "
                        "in domestic policy but an element of foreign-policy bargaining. During "
                        "the same week, human rights defenders recorded at least 30 new "
                        "politically motivated detentions, and the total number of recognised "
                        "political prisoners has hardly changed.</p>"
                        "<p>Nevertheless, for the families of those released and for civil "
                        "society, the event is significant. It confirms that external pressure "
                        "combined with dialogue can bring concrete humanitarian results. The next "
                        "steps will depend on whether Washington is ready to offer something "
                        "tangible in return – most likely in the field of aviation.</p>"
                    ),
                },
            },
        ],
    },
]
