"""Language packs for the page corpus: how each language writes dates and labels, and some prose.

The prose is written for this corpus (a short news item about a port strike, an energy price rise
and a court ruling, told in each language); the date formats and labels are the ones news sites and
blogs in these languages print.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Language:
    code: str
    months: tuple[str, ...]  # the form used in a date ("10 августа", "10 sierpnia", "10 de agosto")
    long: Callable[[dt.date, Language], str]
    numeric: Callable[[dt.date], str]
    weekdays: tuple[str, ...]  # Monday first
    published: str
    updated: str
    related: str
    sources: str
    previous: str
    next: str
    legal: tuple[str, ...]
    name: str  # the language's own name, for language switches
    title: str
    sentences: tuple[str, ...]  # {a}...{/a} marks where a link's anchor goes
    comment: str
    today: str = "Today"
    more: str = "Read more"
    clock: Callable[[int, int], str] = field(default=lambda h, m: f"{h:02d}:{m:02d}")


def _dmy_dot(d: dt.date) -> str:
    return f"{d.day:02d}.{d.month:02d}.{d.year}"


def _dmy_slash(d: dt.date) -> str:
    return f"{d.day:02d}/{d.month:02d}/{d.year}"


def _dmy_dash(d: dt.date) -> str:
    return f"{d.day:02d}-{d.month:02d}-{d.year}"


def _ymd_cjk(d: dt.date, lang: Language) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


EN = Language(
    code="en",
    months=(
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ),
    long=lambda d, lang: f"{lang.months[d.month - 1]} {d.day}, {d.year}",
    numeric=lambda d: f"{d.month:02d}/{d.day:02d}/{d.year}",
    weekdays=("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
    published="Published",
    updated="Updated",
    related="Related stories",
    sources="Sources",
    previous="Previous post",
    next="Next post",
    legal=("Privacy policy", "Terms of use"),
    name="English",
    title="Dock workers strike for a second day as energy prices climb",
    sentences=(
        "Dock workers at the country's largest port stopped work for a second day on Tuesday, {a}the union said in a statement{/a}, after talks with the operators broke down late on Monday night.",
        "The strike comes as wholesale energy prices reached their highest level in nine years, according to {a}figures published by the regulator{/a} earlier this month.",
        "Shipping companies warned that containers were piling up at the terminals and that delays would reach supermarkets within a week.",
        "A court in the capital ruled last year that the operators must consult the union before changing shift patterns, a ruling {a}reported at the time by the local press{/a}.",
        "Economists expect the strike to add to inflation, which has risen for six months in a row, as {a}the central bank noted in its latest report{/a}.",
        "The transport ministry said it would meet both sides on Thursday and urged them to return to the table.",
        "Union leaders said the workers would not return until the operators withdrew the new rota, and called for a rally outside parliament.",
        "Operators said the dispute cost them millions a day and accused the union of holding the economy hostage.",
    ),
    comment="Great article, thanks for the detailed coverage of the strike.",
    more="Read more",
)
EN_GB = Language(
    **{
        **EN.__dict__,
        "code": "en-GB",
        "long": lambda d, lang: f"{d.day} {lang.months[d.month - 1]} {d.year}",
        "numeric": _dmy_slash,
    }
)

DE = Language(
    code="de",
    months=(
        "Januar",
        "Februar",
        "März",
        "April",
        "Mai",
        "Juni",
        "Juli",
        "August",
        "September",
        "Oktober",
        "November",
        "Dezember",
    ),
    long=lambda d, lang: f"{d.day}. {lang.months[d.month - 1]} {d.year}",
    numeric=_dmy_dot,
    weekdays=("Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag"),
    published="Veröffentlicht am",
    updated="Aktualisiert am",
    related="Mehr zum Thema",
    sources="Quellen",
    previous="Vorheriger Artikel",
    next="Nächster Artikel",
    legal=("Impressum", "Datenschutz"),
    name="Deutsch",
    title="Hafenarbeiter streiken den zweiten Tag, Energiepreise steigen weiter",
    sentences=(
        "Die Hafenarbeiter im größten Hafen des Landes haben am Dienstag den zweiten Tag in Folge die Arbeit niedergelegt, wie {a}die Gewerkschaft in einer Mitteilung erklärte{/a}.",
        "Der Streik fällt in eine Zeit, in der die Großhandelspreise für Energie laut {a}den Zahlen der Bundesnetzagentur{/a} den höchsten Stand seit neun Jahren erreicht haben.",
        "Reedereien warnten, dass sich an den Terminals die Container stapeln und die Verzögerungen binnen einer Woche die Supermärkte erreichen würden.",
        "Ein Gericht in der Hauptstadt hatte im vergangenen Jahr entschieden, dass die Betreiber vor einer Änderung der Schichtpläne die Gewerkschaft anhören müssen, {a}wie damals berichtet wurde{/a}.",
        "Ökonomen erwarten, dass der Streik die Inflation weiter antreibt, die {a}laut dem jüngsten Bericht der Bundesbank{/a} seit sechs Monaten steigt.",
        "Das Verkehrsministerium kündigte an, beide Seiten am Donnerstag zu treffen, und rief sie auf, an den Verhandlungstisch zurückzukehren.",
        "Die Gewerkschaftsführung erklärte, die Beschäftigten würden erst zurückkehren, wenn die Betreiber den neuen Dienstplan zurückziehen.",
        "Die Betreiber sprachen von Verlusten in Millionenhöhe pro Tag und warfen der Gewerkschaft vor, die Wirtschaft in Geiselhaft zu nehmen.",
    ),
    comment="Danke für den ausführlichen Bericht, sehr informativ.",
    today="Heute",
    more="Weiterlesen",
    clock=lambda h, m: f"{h:02d}.{m:02d} Uhr",
)

FR = Language(
    code="fr",
    months=(
        "janvier",
        "février",
        "mars",
        "avril",
        "mai",
        "juin",
        "juillet",
        "août",
        "septembre",
        "octobre",
        "novembre",
        "décembre",
    ),
    long=lambda d, lang: f"{d.day} {lang.months[d.month - 1]} {d.year}",
    numeric=_dmy_slash,
    weekdays=("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"),
    published="Publié le",
    updated="Mis à jour le",
    related="À lire aussi",
    sources="Sources",
    previous="Article précédent",
    next="Article suivant",
    legal=("Mentions légales", "Confidentialité"),
    name="Français",
    title="Les dockers en grève pour la deuxième journée, les prix de l'énergie s'envolent",
    sentences=(
        "Les dockers du premier port du pays ont cessé le travail pour la deuxième journée consécutive mardi, a indiqué {a}le syndicat dans un communiqué{/a}, après l'échec des négociations.",
        "La grève intervient alors que les prix de gros de l'énergie ont atteint leur plus haut niveau depuis neuf ans, selon {a}les chiffres publiés par le régulateur{/a}.",
        "Les armateurs préviennent que les conteneurs s'accumulent sur les terminaux et que les retards toucheront les supermarchés d'ici une semaine.",
        "Un tribunal de la capitale avait jugé l'an dernier que les opérateurs devaient consulter le syndicat avant de modifier les horaires, {a}comme l'avait rapporté la presse locale{/a}.",
        "Les économistes s'attendent à ce que la grève alimente l'inflation, en hausse depuis six mois selon {a}le dernier rapport de la banque centrale{/a}.",
        "Le ministère des Transports a annoncé qu'il recevrait les deux parties jeudi et les a appelées à reprendre le dialogue.",
        "Les responsables syndicaux affirment que les dockers ne reprendront pas le travail tant que le nouveau planning ne sera pas retiré.",
        "Les opérateurs estiment que le conflit leur coûte des millions chaque jour.",
    ),
    comment="Merci pour cet article très complet sur la grève.",
    today="Aujourd'hui",
    more="Lire la suite",
    clock=lambda h, m: f"{h:02d}h{m:02d}",
)

ES = Language(
    code="es",
    months=(
        "enero",
        "febrero",
        "marzo",
        "abril",
        "mayo",
        "junio",
        "julio",
        "agosto",
        "septiembre",
        "octubre",
        "noviembre",
        "diciembre",
    ),
    long=lambda d, lang: f"{d.day} de {lang.months[d.month - 1]} de {d.year}",
    numeric=_dmy_slash,
    weekdays=("lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo"),
    published="Publicado el",
    updated="Actualizado el",
    related="Te puede interesar",
    sources="Fuentes",
    previous="Entrada anterior",
    next="Entrada siguiente",
    legal=("Aviso legal", "Política de privacidad"),
    name="Español",
    title="Los estibadores cumplen el segundo día de huelga mientras suben los precios de la energía",
    sentences=(
        "Los estibadores del mayor puerto del país pararon por segundo día consecutivo el martes, según {a}informó el sindicato en un comunicado{/a}, tras romperse las negociaciones.",
        "La huelga coincide con unos precios mayoristas de la energía en máximos de nueve años, de acuerdo con {a}los datos publicados por el regulador{/a}.",
        "Las navieras advirtieron de que los contenedores se acumulan en las terminales y de que los retrasos llegarán a los supermercados en una semana.",
        "Un tribunal de la capital dictaminó el año pasado que los operadores deben consultar al sindicato antes de cambiar los turnos, {a}como publicó entonces la prensa local{/a}.",
        "Los economistas prevén que la huelga empuje la inflación, que sube desde hace seis meses según {a}el último informe del banco central{/a}.",
        "El Ministerio de Transportes anunció que se reunirá con ambas partes el jueves.",
        "Los líderes sindicales aseguran que no volverán al trabajo hasta que se retire el nuevo calendario.",
        "Los operadores calculan pérdidas millonarias cada día.",
    ),
    comment="Muy buen artículo, gracias por la información.",
    today="Hoy",
    more="Leer más",
)

IT = Language(
    code="it",
    months=(
        "gennaio",
        "febbraio",
        "marzo",
        "aprile",
        "maggio",
        "giugno",
        "luglio",
        "agosto",
        "settembre",
        "ottobre",
        "novembre",
        "dicembre",
    ),
    long=lambda d, lang: f"{d.day} {lang.months[d.month - 1]} {d.year}",
    numeric=_dmy_slash,
    weekdays=("lunedì", "martedì", "mercoledì", "giovedì", "venerdì", "sabato", "domenica"),
    published="Pubblicato il",
    updated="Aggiornato il",
    related="Leggi anche",
    sources="Fonti",
    previous="Articolo precedente",
    next="Articolo successivo",
    legal=("Note legali", "Privacy"),
    name="Italiano",
    title="Portuali in sciopero per il secondo giorno, i prezzi dell'energia salgono",
    sentences=(
        "I portuali del principale scalo del paese hanno incrociato le braccia per il secondo giorno martedì, ha fatto sapere {a}il sindacato in una nota{/a}, dopo la rottura delle trattative.",
        "Lo sciopero arriva mentre i prezzi all'ingrosso dell'energia hanno toccato il massimo da nove anni, secondo {a}i dati pubblicati dall'autorità di regolazione{/a}.",
        "Gli armatori avvertono che i container si accumulano nei terminal e che i ritardi arriveranno nei supermercati entro una settimana.",
        "Un tribunale della capitale aveva stabilito l'anno scorso che gli operatori devono consultare il sindacato prima di cambiare i turni, {a}come riportato allora dalla stampa locale{/a}.",
        "Gli economisti prevedono che lo sciopero spinga l'inflazione, in aumento da sei mesi secondo {a}l'ultimo rapporto della banca centrale{/a}.",
        "Il ministero dei Trasporti incontrerà le due parti giovedì.",
        "I sindacalisti dicono che i lavoratori non torneranno finché il nuovo turno non sarà ritirato.",
        "Gli operatori parlano di perdite per milioni al giorno.",
    ),
    comment="Ottimo articolo, grazie per l'approfondimento.",
    today="Oggi",
    more="Continua a leggere",
)

NL = Language(
    code="nl",
    months=(
        "januari",
        "februari",
        "maart",
        "april",
        "mei",
        "juni",
        "juli",
        "augustus",
        "september",
        "oktober",
        "november",
        "december",
    ),
    long=lambda d, lang: f"{d.day} {lang.months[d.month - 1]} {d.year}",
    numeric=_dmy_dash,
    weekdays=("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag"),
    published="Gepubliceerd op",
    updated="Bijgewerkt op",
    related="Lees ook",
    sources="Bronnen",
    previous="Vorig artikel",
    next="Volgend artikel",
    legal=("Colofon", "Privacyverklaring"),
    name="Nederlands",
    title="Havenarbeiders staken tweede dag, energieprijzen stijgen",
    sentences=(
        "Havenarbeiders in de grootste haven van het land hebben dinsdag voor de tweede dag het werk neergelegd, meldde {a}de vakbond in een verklaring{/a}, nadat het overleg was vastgelopen.",
        "De staking valt samen met groothandelsprijzen voor energie die volgens {a}cijfers van de toezichthouder{/a} het hoogste niveau in negen jaar bereikten.",
        "Rederijen waarschuwen dat containers zich opstapelen op de terminals en dat de vertragingen binnen een week de supermarkten bereiken.",
        "Een rechtbank in de hoofdstad oordeelde vorig jaar dat de exploitanten de vakbond moeten raadplegen voordat ze roosters wijzigen, {a}zoals toen werd gemeld{/a}.",
        "Economen verwachten dat de staking de inflatie verder opdrijft, die volgens {a}het laatste rapport van de centrale bank{/a} al zes maanden stijgt.",
        "Het ministerie van Verkeer gaat donderdag met beide partijen in gesprek.",
        "De vakbond zegt dat het werk pas wordt hervat als het nieuwe rooster is ingetrokken.",
        "De exploitanten spreken van miljoenen verlies per dag.",
    ),
    comment="Goed stuk, bedankt voor de uitgebreide verslaggeving.",
    today="Vandaag",
    more="Lees meer",
)

PL = Language(
    code="pl",
    months=(
        "stycznia",
        "lutego",
        "marca",
        "kwietnia",
        "maja",
        "czerwca",
        "lipca",
        "sierpnia",
        "września",
        "października",
        "listopada",
        "grudnia",
    ),
    long=lambda d, lang: f"{d.day} {lang.months[d.month - 1]} {d.year}",
    numeric=_dmy_dot,
    weekdays=("poniedziałek", "wtorek", "środa", "czwartek", "piątek", "sobota", "niedziela"),
    published="Opublikowano:",
    updated="Aktualizacja:",
    related="Czytaj także",
    sources="Źródła",
    previous="Poprzedni wpis",
    next="Następny wpis",
    legal=("Polityka prywatności", "Regulamin"),
    name="Polski",
    title="Dokerzy strajkują drugi dzień, ceny energii rosną",
    sentences=(
        "Dokerzy w największym porcie kraju drugi dzień z rzędu przerwali pracę we wtorek, poinformował {a}związek zawodowy w komunikacie{/a}, po zerwaniu rozmów.",
        "Strajk zbiega się z hurtowymi cenami energii na najwyższym poziomie od dziewięciu lat, według {a}danych opublikowanych przez regulatora{/a}.",
        "Armatorzy ostrzegają, że kontenery piętrzą się na terminalach, a opóźnienia w ciągu tygodnia dotrą do supermarketów.",
        "Sąd w stolicy orzekł w zeszłym roku, że operatorzy muszą konsultować zmiany grafików ze związkiem, {a}o czym informowała wtedy lokalna prasa{/a}.",
        "Ekonomiści spodziewają się, że strajk podbije inflację, która według {a}najnowszego raportu banku centralnego{/a} rośnie od sześciu miesięcy.",
        "Ministerstwo Transportu zapowiedziało spotkanie z obiema stronami w czwartek.",
        "Liderzy związku mówią, że dokerzy nie wrócą do pracy, dopóki nowy grafik nie zostanie wycofany.",
        "Operatorzy szacują straty na miliony dziennie.",
    ),
    comment="Świetny artykuł, dziękuję za rzetelną relację.",
    today="Dzisiaj",
    more="Czytaj więcej",
)

UK = Language(
    code="uk",
    months=(
        "січня",
        "лютого",
        "березня",
        "квітня",
        "травня",
        "червня",
        "липня",
        "серпня",
        "вересня",
        "жовтня",
        "листопада",
        "грудня",
    ),
    long=lambda d, lang: f"{d.day} {lang.months[d.month - 1]} {d.year}",
    numeric=_dmy_dot,
    weekdays=("Понеділок", "Вівторок", "Середа", "Четвер", "П'ятниця", "Субота", "Неділя"),
    published="Опубліковано:",
    updated="Оновлено:",
    related="Читайте також",
    sources="Джерела",
    previous="Попередня стаття",
    next="Наступна стаття",
    legal=("Про нас", "Політика конфіденційності"),
    name="Українська",
    title="Докери страйкують другий день, ціни на енергію зростають",
    sentences=(
        "Докери найбільшого порту країни у вівторок другий день поспіль не вийшли на роботу, повідомила {a}профспілка у своїй заяві{/a}, після зриву переговорів.",
        "Страйк збігся з найвищими за дев'ять років оптовими цінами на енергію, згідно з {a}даними, оприлюдненими регулятором{/a}.",
        "Судноплавні компанії попереджають, що контейнери накопичуються на терміналах, а затримки за тиждень дійдуть до супермаркетів.",
        "Суд у столиці торік постановив, що оператори мають погоджувати зміну графіків із профспілкою, {a}як тоді писала місцева преса{/a}.",
        "Економісти очікують, що страйк підживить інфляцію, яка, за {a}останнім звітом центрального банку{/a}, зростає шість місяців поспіль.",
        "Міністерство транспорту зустрінеться з обома сторонами в четвер.",
        "Лідери профспілки кажуть, що докери не повернуться, доки новий графік не скасують.",
        "Оператори оцінюють збитки в мільйони щодня.",
    ),
    comment="Дякую за детальну статтю.",
    today="Сьогодні",
    more="Читати далі",
)

RU = Language(
    code="ru",
    months=(
        "января",
        "февраля",
        "марта",
        "апреля",
        "мая",
        "июня",
        "июля",
        "августа",
        "сентября",
        "октября",
        "ноября",
        "декабря",
    ),
    long=lambda d, lang: f"{d.day} {lang.months[d.month - 1]} {d.year}",
    numeric=_dmy_dot,
    weekdays=("понедельник", "вторник", "среда", "четверг", "пятница", "суббота", "воскресенье"),
    published="Опубликовано:",
    updated="Обновлено:",
    related="Читайте также",
    sources="Источники",
    previous="Предыдущая статья",
    next="Следующая статья",
    legal=("О проекте", "Политика конфиденциальности"),
    name="Русский",
    title="Докеры бастуют второй день, цены на энергию растут",
    sentences=(
        "Докеры крупнейшего порта страны во вторник второй день подряд не вышли на работу, сообщил {a}профсоюз в своем заявлении{/a}, после срыва переговоров.",
        "Забастовка совпала с максимальными за девять лет оптовыми ценами на энергию, согласно {a}данным регулятора{/a}.",
        "Судоходные компании предупреждают, что контейнеры копятся на терминалах, а задержки через неделю дойдут до супермаркетов.",
        "Суд в столице в прошлом году постановил, что операторы должны согласовывать смену графиков с профсоюзом, {a}как тогда писала местная пресса{/a}.",
        "Экономисты ожидают, что забастовка подстегнет инфляцию, которая, согласно {a}последнему докладу центрального банка{/a}, растет шесть месяцев подряд.",
        "Министерство транспорта проведет встречу с обеими сторонами в четверг.",
        "Лидеры профсоюза говорят, что докеры не вернутся, пока новый график не отменят.",
        "Операторы оценивают убытки в миллионы в день.",
    ),
    comment="Спасибо за подробный материал.",
    today="Сегодня",
    more="Читать далее",
)

PT = Language(
    code="pt",
    months=(
        "janeiro",
        "fevereiro",
        "março",
        "abril",
        "maio",
        "junho",
        "julho",
        "agosto",
        "setembro",
        "outubro",
        "novembro",
        "dezembro",
    ),
    long=lambda d, lang: f"{d.day} de {lang.months[d.month - 1]} de {d.year}",
    numeric=_dmy_slash,
    weekdays=("segunda-feira", "terça-feira", "quarta-feira", "quinta-feira", "sexta-feira", "sábado", "domingo"),
    published="Publicado em",
    updated="Atualizado em",
    related="Leia também",
    sources="Fontes",
    previous="Post anterior",
    next="Próximo post",
    legal=("Termos de uso", "Política de privacidade"),
    name="Português",
    title="Estivadores em greve pelo segundo dia enquanto preços da energia sobem",
    sentences=(
        "Os estivadores do maior porto do país pararam pelo segundo dia consecutivo na terça-feira, informou {a}o sindicato em nota{/a}, após o fracasso das negociações.",
        "A greve coincide com preços da energia no atacado no nível mais alto em nove anos, segundo {a}dados divulgados pela agência reguladora{/a}.",
        "As empresas de navegação alertam que os contêineres se acumulam nos terminais e que os atrasos chegarão aos supermercados em uma semana.",
        "Um tribunal da capital decidiu no ano passado que os operadores devem consultar o sindicato antes de mudar os turnos, {a}como noticiou a imprensa local{/a}.",
        "Economistas esperam que a greve pressione a inflação, em alta há seis meses segundo {a}o último relatório do banco central{/a}.",
        "O Ministério dos Transportes vai se reunir com as duas partes na quinta-feira.",
        "Os líderes sindicais dizem que os trabalhadores só voltam quando a nova escala for retirada.",
        "Os operadores falam em prejuízos milionários por dia.",
    ),
    comment="Ótima matéria, obrigado pela cobertura.",
    today="Hoje",
    more="Leia mais",
)

TR = Language(
    code="tr",
    months=(
        "Ocak",
        "Şubat",
        "Mart",
        "Nisan",
        "Mayıs",
        "Haziran",
        "Temmuz",
        "Ağustos",
        "Eylül",
        "Ekim",
        "Kasım",
        "Aralık",
    ),
    long=lambda d, lang: f"{d.day} {lang.months[d.month - 1]} {d.year}",
    numeric=_dmy_dot,
    weekdays=("Pazartesi", "Salı", "Çarşamba", "Perşembe", "Cuma", "Cumartesi", "Pazar"),
    published="Yayınlanma:",
    updated="Güncelleme:",
    related="İlgili haberler",
    sources="Kaynaklar",
    previous="Önceki haber",
    next="Sonraki haber",
    legal=("Künye", "Gizlilik politikası"),
    name="Türkçe",
    title="Liman işçileri ikinci gün greve devam ediyor, enerji fiyatları yükseliyor",
    sentences=(
        "Ülkenin en büyük limanındaki işçiler salı günü ikinci kez iş bıraktı, {a}sendika yaptığı açıklamada{/a} görüşmelerin çöktüğünü bildirdi.",
        "Grev, {a}düzenleyici kurumun yayımladığı verilere{/a} göre toptan enerji fiyatlarının dokuz yılın en yüksek seviyesine çıktığı bir döneme denk geldi.",
        "Denizcilik şirketleri konteynerlerin terminallerde biriktiğini ve gecikmelerin bir hafta içinde marketlere yansıyacağını söyledi.",
        "Başkentteki bir mahkeme geçen yıl operatörlerin vardiya değişikliklerinde sendikaya danışması gerektiğine karar vermişti, {a}yerel basın o dönem haber yapmıştı{/a}.",
        "Ekonomistler grevin, {a}merkez bankasının son raporuna{/a} göre altı aydır yükselen enflasyonu artıracağını düşünüyor.",
        "Ulaştırma Bakanlığı perşembe günü iki tarafla görüşecek.",
        "Sendika yöneticileri yeni çizelge geri çekilene kadar işe dönülmeyeceğini söyledi.",
        "Operatörler günlük milyonlarca zarar ettiklerini belirtti.",
    ),
    comment="Detaylı haber için teşekkürler.",
    today="Bugün",
    more="Devamını oku",
)

ZH = Language(
    code="zh",
    months=tuple(f"{m}月" for m in range(1, 13)),
    long=_ymd_cjk,
    numeric=lambda d: d.isoformat(),
    weekdays=("星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日"),
    published="发布时间：",
    updated="更新时间：",
    related="相关新闻",
    sources="参考资料",
    previous="上一篇",
    next="下一篇",
    legal=("关于我们", "隐私政策"),
    name="中文",
    title="码头工人罢工进入第二天 能源价格持续上涨",
    sentences=(
        "全国最大港口的码头工人周二连续第二天停工，{a}工会在声明中表示{/a}，此前与运营方的谈判破裂。",
        "根据{a}监管机构公布的数据{/a}，能源批发价格已升至九年来的最高水平。",
        "航运公司警告说，集装箱正在码头堆积，一周之内延误就会影响到超市。",
        "首都一家法院去年裁定，运营方在调整班次之前必须征求工会意见，{a}当地媒体当时曾有报道{/a}。",
        "经济学家预计罢工将推高通胀，{a}央行最新报告{/a}显示通胀已连续六个月上升。",
        "交通部表示将于周四与双方会面。",
        "工会领导人说，在新排班被撤回之前工人不会复工。",
        "运营方称每天损失数百万。",
    ),
    comment="感谢详细的报道。",
    today="今天",
    more="阅读全文",
)

JA = Language(
    code="ja",
    months=tuple(f"{m}月" for m in range(1, 13)),
    long=_ymd_cjk,
    numeric=lambda d: f"{d.year}/{d.month:02d}/{d.day:02d}",
    weekdays=("月曜日", "火曜日", "水曜日", "木曜日", "金曜日", "土曜日", "日曜日"),
    published="公開日：",
    updated="更新日：",
    related="関連記事",
    sources="出典",
    previous="前の記事",
    next="次の記事",
    legal=("運営会社", "プライバシーポリシー"),
    name="日本語",
    title="港湾労働者のストライキ2日目 エネルギー価格は上昇続く",
    sentences=(
        "国内最大の港で働く港湾労働者は火曜日、2日連続でストライキを行った。{a}労働組合が声明で明らかにした{/a}。",
        "{a}規制当局が公表したデータ{/a}によると、エネルギーの卸売価格は9年ぶりの高水準に達している。",
        "海運会社は、ターミナルにコンテナが滞留しており、1週間以内にスーパーにも遅れが及ぶと警告した。",
        "首都の裁判所は昨年、運営会社はシフト変更の前に組合と協議しなければならないと判断した。{a}当時、地元紙が報じていた{/a}。",
        "エコノミストは、ストライキがインフレを押し上げると見ている。{a}中央銀行の最新の報告書{/a}によると物価は6か月連続で上昇している。",
        "運輸省は木曜日に双方と会談する予定だ。",
        "組合幹部は、新しい勤務表が撤回されるまで職場に戻らないと述べた。",
        "運営会社は1日あたり数百万の損失が出ていると主張している。",
    ),
    comment="詳しい記事をありがとうございます。",
    today="今日",
    more="続きを読む",
)

KO = Language(
    code="ko",
    months=tuple(f"{m}월" for m in range(1, 13)),
    long=lambda d, lang: f"{d.year}년 {d.month}월 {d.day}일",
    numeric=lambda d: f"{d.year}.{d.month:02d}.{d.day:02d}",
    weekdays=("월요일", "화요일", "수요일", "목요일", "금요일", "토요일", "일요일"),
    published="입력",
    updated="수정",
    related="관련기사",
    sources="출처",
    previous="이전글",
    next="다음글",
    legal=("회사소개", "개인정보처리방침"),
    name="한국어",
    title="항만 노동자 이틀째 파업…에너지 가격 상승 계속",
    sentences=(
        "국내 최대 항구의 항만 노동자들이 화요일 이틀째 파업을 이어갔다고 {a}노조가 성명에서 밝혔다{/a}.",
        "{a}규제 당국이 발표한 자료{/a}에 따르면 에너지 도매 가격은 9년 만에 최고 수준에 이르렀다.",
        "해운사들은 터미널에 컨테이너가 쌓이고 있으며 일주일 안에 마트까지 지연이 번질 것이라고 경고했다.",
        "수도의 한 법원은 지난해 운영사가 근무 조정 전에 노조와 협의해야 한다고 판결했으며 {a}당시 지역 언론이 보도했다{/a}.",
        "경제학자들은 파업이 물가를 끌어올릴 것으로 본다. {a}중앙은행의 최신 보고서{/a}에 따르면 물가는 6개월째 오르고 있다.",
        "교통부는 목요일 양측과 만날 예정이다.",
        "노조 지도부는 새 근무표가 철회될 때까지 복귀하지 않겠다고 말했다.",
        "운영사들은 하루 수백만의 손실을 보고 있다고 주장했다.",
    ),
    comment="자세한 기사 감사합니다.",
    today="오늘",
    more="더보기",
)

LANGUAGES: dict[str, Language] = {
    lang.code: lang for lang in (EN, EN_GB, DE, FR, ES, IT, NL, PL, UK, RU, PT, TR, ZH, JA, KO)
}
